"""Loaded language: the word choices that tilt a sentence ("regime", "slammed", "so-called").

``find_loaded(doc, sentences, scorer=...)`` returns one :class:`~audit.findings.LoadedSentence`
per body sentence: the probability that its wording is loaded, whether that passes the
engine's threshold, and the words that carry it (:class:`~audit.findings.LoadedWord`, with
character spans into the article body). Words inside a quotation belong to the quoted speaker,
not to the outlet: every word carries ``in_quote``, and a sentence is ``in_quote`` when its
loaded words all sit inside quotation marks (or, when it has none, when most of it does).
Article and outlet scores count only the own-voice sentences (``audit.scores``).

Engines (the scorer interface)
------------------------------
A *scorer* is any callable with two float attributes::

    scorer(sentences: Sequence[spacy.tokens.Span]) -> list[tuple[float, list[tuple[int, int, float]]]]
    scorer.sentence_threshold: float   # a sentence is loaded when P(loaded) >= this
    scorer.word_threshold: float       # a word is reported when P(word) >= this
    scorer.name: str                   # "lexicon", "model", ... (stored with the findings)

For each sentence, in order: ``(P(sentence loaded), [(start, end, P(word loaded)), ...])`` with
``start``/``end`` character offsets into ``sentence.text`` (relative to the sentence, end
exclusive). Words may be listed with any probability (the analyzer keeps those at or above
``word_threshold``); a scorer that works on plain strings reads ``[s.text for s in sentences]``.
All sentences of a batch of articles come in one call, so a model engine runs one batched pass.

- ``lexicon`` (:class:`LexiconScorer`, no model files): a word list with probabilities learned
  from BABE (``audit/data/loaded_lexicon.json``, written by ``python -m
  audit.training.loaded.train``; see its ``_card``): each content word's probability is a small
  logistic model over its lemma's smoothed rate of being marked biased, how often the lemma was
  seen, how common the word is in plain news (NewsMTSC's sentences, MIT), its VADER valence and
  its part of speech; the sentence probability is a logistic model
  over its words' probabilities (noisy-or, largest, second largest, number of words). Every
  threshold and the smoothing were chosen by cross-validation with folds grouped by topic.
- ``model``: the head on the shared sentence encoder (``audit.encoder``), when installed.

BABE is AGPL-3.0 licensed: the shipped word list is derived from it (see the data file's card).
"""
from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Sequence
from importlib import resources

from ..findings import LoadedSentence, LoadedWord, Span
from .doctext import doc_text

ENGINES = ("lexicon", "model")
ENGINE_ENV = "NEWSAUDIT_LOADED"

#: Coarse parts of speech the token model tells apart (everything else is "other").
POS_GROUPS = ("ADJ", "ADV", "VERB", "NOUN", "PROPN")

#: Features of the word model, in order (``token_features``).
TOKEN_FEATURES = ("logit_lexicon", "log_seen", "unseen", "log_background", "vader_abs", "vader_neg",
                  *(f"pos_{p}" for p in POS_GROUPS))
#: Features of the sentence model, in order (``sentence_features``).
SENTENCE_FEATURES = ("noisy_or", "max", "second", "mean_top3", "log_words")


# --- the lexicon engine ---------------------------------------------------------------------

def key(tok) -> str:
    """The lexicon key of a token: its lower-cased lemma (``claimed``/``claiming`` → ``claim``)."""
    return (tok.lemma_ or tok.text).lower()


def is_candidate(tok) -> bool:
    """Tokens that can carry loaded wording: words with a letter, not numbers or punctuation."""
    return not (tok.is_punct or tok.is_space or tok.like_num) and any(c.isalpha() for c in tok.text)


@functools.lru_cache(maxsize=1)
def _vader_lexicon() -> dict:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().lexicon


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


def smoothed(counts: tuple[int, int] | None, prior: float, alpha: float) -> float:
    """P(a word is marked loaded) from its ``(marked, seen)`` counts, shrunk toward ``prior``."""
    b, n = counts or (0, 0)
    return (b + alpha * prior) / (n + alpha)


def token_features(tok, counts: dict, prior: float, alpha: float, background: dict | None = None) -> list[float]:
    """The word model's inputs for one token (:data:`TOKEN_FEATURES`); ``background``: how often
    each lower-cased word occurs in plain news text (a word common in all news is rarely loaded)."""
    c = counts.get(key(tok))
    vader = _vader_lexicon()
    v = vader.get(tok.lower_, vader.get(key(tok), 0.0))
    pos = tok.pos_
    return [_logit(smoothed(c, prior, alpha)), math.log1p(c[1] if c else 0), 0.0 if c else 1.0,
            math.log1p((background or {}).get(tok.lower_, 0)), abs(v) / 4.0, 1.0 if v < 0 else 0.0, *(1.0 if pos == p else 0.0 for p in POS_GROUPS)]


def sentence_features(word_probs: Sequence[float]) -> list[float]:
    """The sentence model's inputs from its words' probabilities (:data:`SENTENCE_FEATURES`)."""
    ps = sorted(word_probs, reverse=True)
    none = 1.0
    for p in ps:
        none *= 1.0 - p
    top = ps[:3]
    return [1.0 - none, ps[0] if ps else 0.0, ps[1] if len(ps) > 1 else 0.0,
            sum(top) / len(top) if top else 0.0, math.log1p(len(ps))]


def sentence_probability(model: dict, word_probs: Sequence[float]) -> float:
    """The sentence model's P(loaded); a sentence with no content word has no wording to load (0)."""
    if not word_probs:
        return 0.0
    return linear(model, sentence_features(word_probs))


def linear(model: dict, x: Sequence[float]) -> float:
    z = model["intercept"]
    for w, m, s, v in zip(model["coef"], model["mean"], model["scale"], x):
        z += w * (v - m) / s
    return _sigmoid(z)


class LexiconScorer:
    """The ``lexicon`` engine: see the module docstring. ``data`` is the parsed data file."""

    name = "lexicon"

    def __init__(self, data: dict):
        self.prior = float(data["prior"])
        self.alpha = float(data["alpha"])
        self.counts = {w: (int(b), int(n)) for w, (b, n) in data["words"].items()}
        self.background = {w: int(n) for w, n in data.get("background", {}).items()}
        self.token_model = data["token_model"]
        self.sentence_model = data["sentence_model"]
        self.sentence_threshold = float(data["sentence_threshold"])
        self.word_threshold = float(data["word_threshold"])
        self._memo: dict[tuple[int, int, int], tuple[float, int] | None] = {}

    #: At most this many words are remembered (then the memo starts afresh).
    MEMO_SIZE = 20_000

    def word_probability(self, tok) -> float:
        return linear(self.token_model, token_features(tok, self.counts, self.prior, self.alpha, self.background))

    def _word(self, tok):
        """``(probability, length)`` of a candidate token, ``None`` for any other. Whether a token
        is a candidate and its probability depend only on its form, lemma and part of speech
        (:func:`is_candidate`, :func:`token_features`): a word met before (most words of a news
        article are) is looked up, not computed again."""
        memo_key = (tok.orth, tok.lemma, tok.pos)
        try:
            return self._memo[memo_key]
        except KeyError:
            pass
        out = (self.word_probability(tok), len(tok.text)) if is_candidate(tok) else None
        if len(self._memo) >= self.MEMO_SIZE:
            self._memo.clear()
        self._memo[memo_key] = out
        return out

    def score(self, sent) -> tuple[float, list[tuple[int, int, float]]]:
        base = sent.start_char
        words = []
        for t in sent:
            w = self._word(t)
            if w is not None:
                s = t.idx - base
                words.append((s, s + w[1], w[0]))
        p = sentence_probability(self.sentence_model, [w[2] for w in words])
        return p, words

    def __call__(self, sentences):
        return [self.score(s) for s in sentences]


def read_lexicon(path=None) -> dict:
    """The lexicon data file (``audit/data/loaded_lexicon.json`` unless ``path``)."""
    if path is not None:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    with resources.files("audit").joinpath("data", "loaded_lexicon.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=1)
def lexicon_scorer() -> LexiconScorer:
    return LexiconScorer(read_lexicon())


# --- the model engine (the shared encoder's head) -------------------------------------------

def model_available() -> bool:
    """Whether the shared encoder and its loaded-language head are installed."""
    try:
        from .. import encoder
        from . import encoder_heads  # noqa: F401
    except ImportError:
        return False
    return all((encoder.MODEL_DIR / f).is_file() for f in encoder.MODEL_FILES)


class ModelScorer:
    """The ``model`` engine: ``audit.analyzers.encoder_heads.loaded_scores`` over the sentence texts."""

    name = "model"

    def __init__(self):
        from . import encoder_heads

        self._scores = encoder_heads.loaded_scores
        th = encoder_heads.loaded_thresholds()
        self.sentence_threshold = float(th["sentence_threshold"])
        self.word_threshold = float(th["word_threshold"])

    def __call__(self, sentences):
        return [(float(p), [(int(s), int(e), float(q)) for s, e, q in words])
                for p, words in self._scores([s.text for s in sentences])]


def resolve_engine(name: str | None = None, *, sentiment_engine: str | None = None) -> str:
    """``name``, else ``$NEWSAUDIT_LOADED``, else the default: the model when the shared
    encoder's pass is already paid for, i.e. the run's sentiment engine is the learned one
    (``sentiment_engine`` ``"model"`` or unset) and the encoder's target head is part of it
    (``audit.encoder.serves_sentiment``: the whole engine or the cascade's first stage); else
    the lexicon. One encoder pass per sentence serves every learned layer: a new layer never
    adds a second full pass by default, so with ``--sentiment lexicon`` the model is opt-in
    (it costs about 0.9x the parse)."""
    name = name or os.environ.get(ENGINE_ENV) or None
    if name is None:
        from .. import encoder

        paid = (sentiment_engine or "model") == "model" and encoder.serves_sentiment()
        return "model" if paid and model_available() else "lexicon"
    if name not in ENGINES:
        raise ValueError(f"unknown loaded-language engine {name!r} (choose from {', '.join(ENGINES)})")
    if name == "model" and not model_available():
        raise ValueError("the loaded-language model engine is not installed (the shared encoder's files "
                         "are missing); use the lexicon engine")
    return name


def scorer_for(engine: str | None = None, *, sentiment_engine: str | None = None):
    engine = resolve_engine(engine, sentiment_engine=sentiment_engine)
    return ModelScorer() if engine == "model" else lexicon_scorer()


# --- the analyzer -----------------------------------------------------------------------------

def _inside(span: Span, quotes: Sequence[Span]) -> bool:
    return any(q[0] <= span[0] and span[1] <= q[1] for q in quotes)


def _quoted_share(span: Span, quotes: Sequence[Span]) -> float:
    n = span[1] - span[0]
    if n <= 0:
        return 0.0
    inside = sum(max(0, min(span[1], q[1]) - max(span[0], q[0])) for q in quotes)
    return inside / n


def sentence_spans(doc, spans: Sequence[Span]):
    """spaCy ``Span`` objects for character ``spans`` of ``doc`` (e.g. ``AuditResult.sentences``)."""
    out = []
    for s, e in spans:
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is not None and len(sp):
            out.append(sp)
    return out


def find_loaded(doc, sentences, *, scorer=None, scores=None) -> tuple[LoadedSentence, ...]:
    """One finding per sentence of ``sentences`` (spaCy ``Span`` objects of ``doc``).

    ``scores``: the scorer's output for these sentences when the caller batched it across
    articles; otherwise ``scorer`` (default: the engine :func:`resolve_engine` picks) is called.
    """
    from .attribution.helpers import doc_quote_spans

    sentences = list(sentences)
    if not sentences:
        return ()
    scorer = scorer or scorer_for()
    if scores is None:
        scores = scorer(sentences)
    text = doc_text(doc)
    quotes = doc_quote_spans(doc)
    out = []
    for sent, (p, words) in zip(sentences, scores):
        base = sent.start_char
        kept = []
        for s, e, q in words:
            if q < scorer.word_threshold:
                continue
            span = (base + s, base + e)
            kept.append(LoadedWord(span=span, text=text[span[0]:span[1]], probability=round(q, 4),
                                   in_quote=_inside(span, quotes)))
        span = (sent.start_char, sent.end_char)
        if kept:
            in_quote = all(w.in_quote for w in kept)
        else:
            in_quote = _quoted_share(span, quotes) > 0.5
        out.append(LoadedSentence(sentence=span, probability=round(float(p), 4),
                                  loaded=bool(p >= scorer.sentence_threshold), in_quote=in_quote,
                                  words=tuple(kept), engine=scorer.name))
    return tuple(out)


def own_voice(findings: Sequence[LoadedSentence]) -> list[LoadedSentence]:
    """The loaded sentences that speak in the article's own voice (not inside a quotation)."""
    return [f for f in findings if f.loaded and not f.in_quote]
