"""The loaded-language layer (issue 22): the scorer interface, in_quote, own-voice scores,
the shipped lexicon engine on loaded and neutral wordings of the same fact, and the tables."""
from __future__ import annotations

import json

import pytest

from audit.analyzers import loaded as L
from audit.findings import AuditResult, LoadedSentence, LoadedWord


# --- the scorer interface, with an invented scorer ----------------------------------------------

class WordListScorer:
    """A scorer of the documented interface: words of a fixed list get 0.9, others 0.1;
    a sentence's probability is its largest word's."""

    name = "test"
    sentence_threshold = 0.5
    word_threshold = 0.5

    def __init__(self, words):
        self.words = set(words)
        self.calls = 0

    def __call__(self, sentences):
        self.calls += 1
        out = []
        for s in sentences:
            words = [(t.idx - s.start_char, t.idx - s.start_char + len(t.text), 0.9 if t.lower_ in self.words else 0.1)
                     for t in s if t.is_alpha]
            out.append((max((w[2] for w in words), default=0.0), words))
        return out


def _find(nlp, text, scorer):
    doc = nlp(text)
    return L.find_loaded(doc, list(doc.sents), scorer=scorer)


@pytest.mark.parametrize("text, words, in_quote, loaded", [
    # own voice: the outlet's word
    ("The regime slammed the plan on Tuesday.", ["slammed"], [False], [True]),
    # the same word inside a quotation: the speaker's
    ('"The regime slammed the plan," the minister said.', ["slammed"], [True], [True]),
    # scare-free neutral wording of the same fact: nothing
    ("The government criticised the plan on Tuesday.", [], [], [False]),
    # a quotation that is neutral, own voice loaded after it
    ('"We will vote," she said, as the regime slammed the plan.', ["slammed"], [False], [True]),
    # nothing to find
    ("12 - 4.", [], [], [False]),
])
def test_words_spans_and_in_quote(nlp, text, words, in_quote, loaded):
    found = _find(nlp, text, WordListScorer({"slammed"}))
    got = [w for f in found for w in f.words]
    assert [w.text for w in got] == words
    assert [text[w.span[0]:w.span[1]] for w in got] == words       # spans into the body
    assert [w.in_quote for w in got] == in_quote
    assert [f.loaded for f in found] == loaded
    assert all(f.engine == "test" for f in found)


def test_sentence_in_quote_follows_its_words(nlp):
    text = 'Officials met on Monday. "This shameful plan is a disaster," the senator said.'
    found = _find(nlp, text, WordListScorer({"shameful", "disaster"}))
    assert [f.in_quote for f in found] == [False, True]
    assert [f.loaded for f in found] == [False, True]
    assert L.own_voice(found) == []


def test_scores_count_the_own_voice_only():
    from audit.findings import Readability
    from audit.scores import summarize

    own = LoadedSentence((0, 10), 0.9, True, False, (LoadedWord((0, 4), "ruse", 0.9, False),))
    quoted = LoadedSentence((11, 30), 0.8, True, True, (LoadedWord((12, 16), "sham", 0.8, True),
                                                        LoadedWord((17, 20), "lie", 0.7, True)))
    plain = LoadedSentence((31, 40), 0.1, False, False, ())
    r = AuditResult(article_id="x", sentences=((0, 10), (11, 30), (31, 40), (41, 50)), loaded=(own, quoted, plain),
                    readability=Readability(50.0, 5.0, 5.0, 50, 4, 12.5))
    s = summarize(r)
    assert s["loaded_sentence_share"] == 0.25
    assert s["loaded_words_per_100_words"] == 2.0      # one own-voice word in 50
    assert s["quoted_loaded_sentences"] == 1
    assert s["loaded_engine"] == "lexicon"
    empty = summarize(AuditResult(article_id="y"))
    assert (empty["loaded_sentence_share"], empty["loaded_words_per_100_words"], empty["loaded_engine"]) == (0.0, 0.0, None)


def test_scores_batched_by_the_caller_are_used(nlp):
    doc = nlp("The regime slammed the plan. Nothing else happened.")
    sents = list(doc.sents)
    scorer = WordListScorer(set())
    scores = [(0.7, [(4, 10, 0.8)]), (0.2, [])]
    found = L.find_loaded(doc, sents, scorer=scorer, scores=scores)
    assert scorer.calls == 0
    assert [w.text for w in found[0].words] == ["regime"]
    assert [f.loaded for f in found] == [True, False]


@pytest.mark.parametrize("name", ["bert", "LEXICON", "x"])
def test_unknown_engine_is_refused(name):
    with pytest.raises(ValueError, match="unknown loaded-language engine"):
        L.resolve_engine(name)


def test_model_engine_refused_without_its_files(monkeypatch):
    monkeypatch.setattr(L, "model_available", lambda: False)
    with pytest.raises(ValueError, match="not installed"):
        L.resolve_engine("model")
    monkeypatch.delenv(L.ENGINE_ENV, raising=False)
    assert L.resolve_engine() == "lexicon"


@pytest.mark.parametrize("installed, shared, sentiment, expected", [
    (True, True, None, "model"),        # the encoder's pass is paid for by the sentiment engine
    (True, True, "model", "model"),
    (True, True, "lexicon", "lexicon"),  # a lexicon-sentiment run pays for no encoder pass
    (True, False, "model", "lexicon"),   # the model would be a second full pass: opt-in only
    (True, False, None, "lexicon"),
    (False, False, None, "lexicon"),
    (False, True, "model", "lexicon"),
])
def test_default_engine_never_adds_a_second_pass(monkeypatch, installed, shared, sentiment, expected):
    from audit import encoder

    monkeypatch.delenv(L.ENGINE_ENV, raising=False)
    monkeypatch.setattr(L, "model_available", lambda: installed)
    monkeypatch.setattr(encoder, "serves_sentiment", lambda *a: shared)
    assert L.resolve_engine(sentiment_engine=sentiment) == expected


# --- the lexicon engine's arithmetic, on an invented word list ---------------------------------

def _tiny_lexicon():
    return {
        "prior": 0.05, "alpha": 1.0, "sentence_threshold": 0.5, "word_threshold": 0.3,
        # word model: the logit of the smoothed rate, nothing else
        "token_model": {"features": list(L.TOKEN_FEATURES), "mean": [0.0] * len(L.TOKEN_FEATURES),
                        "scale": [1.0] * len(L.TOKEN_FEATURES),
                        "coef": [1.0] + [0.0] * (len(L.TOKEN_FEATURES) - 1), "intercept": 0.0},
        # sentence model: the largest word probability, centred on 0.3
        "sentence_model": {"features": list(L.SENTENCE_FEATURES), "mean": [0.0, 0.3, 0.0, 0.0, 0.0],
                           "scale": [1.0] * 5, "coef": [0.0, 20.0, 0.0, 0.0, 0.0], "intercept": 0.0},
        "words": {"slam": [9, 10], "regime": [4, 5], "government": [0, 50], "criticise": [0, 8]},
    }


def test_smoothing_shrinks_toward_the_prior():
    assert L.smoothed((9, 10), 0.05, 1.0) == pytest.approx((9 + 0.05) / 11)
    assert L.smoothed(None, 0.05, 1.0) == pytest.approx(0.05)
    assert L.smoothed((1, 1), 0.05, 10.0) < L.smoothed((10, 10), 0.05, 10.0)


@pytest.mark.parametrize("loaded, neutral, word", [
    ("The regime slammed the plan.", "The government criticised the plan.", "slammed"),
    ("Critics slammed the bill.", "Critics criticised the bill.", "slammed"),
])
def test_lexicon_engine_lemmas_and_pairs(nlp, loaded, neutral, word):
    scorer = L.LexiconScorer(_tiny_lexicon())
    a, b = _find(nlp, loaded, scorer), _find(nlp, neutral, scorer)
    assert a[0].probability > b[0].probability
    assert word in [w.text for w in a[0].words]          # "slammed" found through its lemma "slam"
    assert a[0].loaded and not b[0].loaded
    assert b[0].words == ()


def test_sentence_without_words_has_probability_zero(nlp):
    scorer = L.LexiconScorer(_tiny_lexicon())
    doc = nlp("2024.")
    assert scorer([doc[:]]) == [(0.0, [])]


# --- the shipped lexicon: loaded and neutral wordings of the same fact ----------------------------

PAIRS = [
    # (loaded wording, neutral wording of the same fact, a word that carries the load)
    ("The senator's bizarre tirade against the bill was absurd.", "The senator spoke against the bill.", "bizarre"),
    ("Democrats launched a radical scheme to destroy the economy.", "Democrats proposed a plan to change the economy.", "radical"),
    ("The governor's disastrous policy was a shameful failure.", "The governor's policy did not meet its goals.", "disastrous"),
]


@pytest.mark.parametrize("loaded, neutral, word", PAIRS)
def test_shipped_lexicon_tells_the_wordings_apart(nlp, loaded, neutral, word):
    scorer = L.lexicon_scorer()
    a, b = _find(nlp, loaded, scorer), _find(nlp, neutral, scorer)
    assert a[0].probability > b[0].probability + 0.1, (a, b)
    assert a[0].loaded
    assert word in [w.text for w in a[0].words]
    assert not any(w.text == word for w in b[0].words)


@pytest.mark.parametrize("loaded, neutral, word", PAIRS)
def test_shipped_lexicon_quoted_speaker_is_not_the_outlet(nlp, loaded, neutral, word):
    from audit.analyze import analyze_text

    own = analyze_text(loaded)
    quoted = analyze_text(f'"{loaded}" the analyst said.')
    assert own.summary["loaded_sentence_share"] > 0 and own.summary["quoted_loaded_sentences"] == 0
    assert quoted.summary["loaded_sentence_share"] == 0 and quoted.summary["quoted_loaded_sentences"] == 1
    assert quoted.summary["loaded_words_per_100_words"] == 0
    assert all(w.in_quote for f in quoted.loaded for w in f.words)


def test_shipped_lexicon_card_names_the_licence():
    data = L.read_lexicon()
    assert "AGPL-3.0" in data["_card"]["licence"]
    assert data["_card"]["command"].startswith("python -m audit.training.loaded.train")
    assert 0 < data["sentence_threshold"] < 1 and 0 < data["word_threshold"] < 1
    # a word list with counts only: no entry is a sentence
    assert all(" " not in w for w in data["words"]) and all(len(v) == 2 for v in data["words"].values())


# --- tables and exports -------------------------------------------------------------------------

def test_loaded_rows_in_the_tables_and_the_jsonl_record():
    from audit.ingest.article import Article
    from audit.tables import article_record, frames

    text = '"A sham," he said. The regime slammed it.'
    art = Article.build(text, title="t")
    res = AuditResult(article_id=art.id, sentences=((0, 18), (19, 41)), loaded=(
        LoadedSentence((0, 18), 0.8, True, True, (LoadedWord((3, 7), "sham", 0.81, True),)),
        LoadedSentence((19, 41), 0.9, True, False, (LoadedWord((23, 29), "regime", 0.6, False),
                                                   LoadedWord((30, 37), "slammed", 0.7, False))),
    ))
    df = frames([(art, res)])["loaded_language"]
    assert list(df["n"]) == [0, 1]
    row = df.iloc[1].to_dict()
    assert (row["sentence_start"], row["sentence_end"], row["loaded"], row["in_quote"]) == (19, 41, 1, 0)
    assert json.loads(row["word_spans"]) == [[23, 29], [30, 37]]
    assert json.loads(row["words"]) == ["regime", "slammed"]
    assert json.loads(row["word_in_quote"]) == [False, False]
    rec = article_record({"article": frames([(art, res)])["articles"], "documents": frames([(art, res)])["documents"],
                          "loaded_language": df})
    assert rec["loaded_language"][0] == {"sentence": [0, 18], "probability": 0.8, "loaded": True, "in_quote": True,
                                         "words": [{"span": [3, 7], "text": "sham", "probability": 0.81,
                                                    "in_quote": True}]}


def test_a_sentence_with_nothing_loaded_is_not_a_row():
    from audit.ingest.article import Article
    from audit.tables import frames

    art = Article.build("Officials met.", title="t")
    res = AuditResult(article_id=art.id, sentences=((0, 14),), loaded=(LoadedSentence((0, 14), 0.2, False),))
    assert frames([(art, res)])["loaded_language"].empty


def test_model_engine_adapter_reads_the_encoder_head(nlp, monkeypatch):
    """The ``model`` engine wraps ``encoder_heads.loaded_scores`` (plain sentence texts in, offsets
    relative to each sentence out) and its thresholds; a fake head stands in for the encoder."""
    import sys
    import types

    import audit.analyzers as pkg

    seen = []

    def loaded_scores(texts):
        seen.append(list(texts))
        return [(0.9, [(t.index("slammed"), t.index("slammed") + 7, 0.8)]) if "slammed" in t else (0.1, [])
                for t in texts]

    fake = types.ModuleType("audit.analyzers.encoder_heads")
    fake.loaded_scores = loaded_scores
    fake.loaded_thresholds = lambda: {"sentence_threshold": 0.6, "word_threshold": 0.5}
    monkeypatch.setitem(sys.modules, "audit.analyzers.encoder_heads", fake)
    monkeypatch.setattr(pkg, "encoder_heads", fake, raising=False)
    scorer = L.ModelScorer()
    text = 'Officials met. "They slammed it," he said. The regime slammed the plan.'
    found = _find(nlp, text, scorer)
    assert len(seen) == 1 and len(seen[0]) == len(found)          # one batched call
    assert [f.loaded for f in found] == [False, True, True]
    assert [(w.text, w.in_quote) for f in found for w in f.words] == [("slammed", True), ("slammed", False)]
    assert {f.engine for f in found} == {"model"}


# --- the training script's fold and threshold helpers ------------------------------------------

def test_group_folds_never_split_a_group():
    from audit.training.loaded.train import group_folds

    groups = ["a"] * 5 + ["b"] * 3 + ["c"] * 3 + ["d"] * 2 + ["e"]
    folds = group_folds(groups, 3)
    by_group = {}
    for g, f in zip(groups, folds):
        by_group.setdefault(g, set()).add(f)
    assert all(len(fs) == 1 for fs in by_group.values())
    assert sorted(folds.count(f) for f in range(3)) == [4, 5, 5]


def test_threshold_helpers():
    from audit.training.loaded.train import best_sentence_threshold, best_word_threshold

    assert best_sentence_threshold([True, True, False, False], [0.9, 0.6, 0.4, 0.1], [0.3, 0.5, 0.7]) == 0.5
    # two sentences; gold word tokens: [[0]] and none; token 0 of sentence 1 marked
    t = best_word_threshold([[0.8, 0.2], [0.5]], [[True, False], [False]], [[[0]], []], [0.1, 0.4, 0.6])
    assert t == 0.6                                     # keeps only the right word: P = R = 1
