"""One shared sentence encoder pass per body sentence, for every learned layer.

An int8 ONNX transformer (``audit/models/encoder/model.onnx``, run with onnxruntime +
tokenizers only; no torch at run time) reads each sentence once and returns its word-piece
hidden states. Learned layers are small numpy heads over those states
(:mod:`audit.analyzers.encoder_heads`): the target-sentiment head pools the mention's
word pieces (so every actor of a sentence shares the one pass), the loaded-language head
reads the sentence vector and each word piece.

``encode(texts)`` batches the sentences of many articles together, sorted by length (less
padding), and keeps the input order. Each result is an :class:`Encoded`: word-piece states,
their character offsets in the sentence, the sentence vector (the mean of the word-piece
states, special tokens excluded) and ``token_states(spans)`` to align the states to spaCy
tokens (the mean of the word pieces that overlap each token).

The pooling helpers here (:func:`pool_span`, :func:`sentence_vector`) are the same
arithmetic the training script (``python -m audit.training.encoder.train``) uses in torch, so
the heads see at run time what they saw in training.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parent / "models" / "encoder"
MODEL_FILES = ("model.onnx", "tokenizer.json", "config.json", "heads.npz")
MAX_LENGTH = 256   # word pieces per sentence (a news sentence is about 35; under 0.2% exceed 128)


class EncoderUnavailable(RuntimeError):
    """The encoder's files are missing or cannot be loaded."""


@dataclass
class Encoded:
    """One encoded sentence. ``states``: (pieces, hidden) float32 including [CLS] and [SEP];
    ``offsets``: (pieces, 2) character offsets in the sentence ((0, 0) for special tokens)."""
    text: str
    states: "object"
    offsets: "object"

    @property
    def vector(self):
        return sentence_vector(self.states, self.offsets)

    def pieces_in(self, start: int, end: int):
        """Indices of the word pieces overlapping characters ``[start, end)`` of the sentence."""
        import numpy as np

        o = self.offsets
        return np.nonzero((o[:, 0] < end) & (o[:, 1] > start) & (o[:, 1] > o[:, 0]))[0]

    def token_states(self, spans):
        """Per character span (e.g. the spaCy tokens of the sentence, offsets relative to the
        sentence): the mean state of the word pieces overlapping it (zeros when none, e.g. a
        whitespace token or text cut off by the length limit)."""
        import numpy as np

        out = np.zeros((len(spans), self.states.shape[1]), dtype=np.float32)
        for k, (s, e) in enumerate(spans):
            idx = self.pieces_in(s, e)
            if len(idx):
                out[k] = self.states[idx].mean(0)
        return out


def sentence_vector(states, offsets):
    """Mean of the word-piece states, special tokens ([CLS], [SEP]) excluded."""
    import numpy as np

    real = offsets[:, 1] > offsets[:, 0]
    if not real.any():
        return states.mean(0)
    return states[real].mean(0)


def pool_span(states, idx):
    """(mean, max) of the states at word-piece indices ``idx``: the TD-BERT target pooling."""
    import numpy as np

    if len(idx) == 0:
        z = np.zeros(states.shape[1], dtype=np.float32)
        return z, z
    sub = states[idx]
    return sub.mean(0), sub.max(0)


def model_available(model_dir: Path | str | None = None) -> bool:
    d = Path(model_dir) if model_dir else MODEL_DIR
    return all((d / f).is_file() for f in MODEL_FILES)


def _config(d: Path) -> dict:
    try:
        return json.loads((d / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def serves_sentiment(model_dir: Path | str | None = None) -> bool:
    """Whether the encoder's target head is part of the learned sentiment engine: as the whole
    engine (config ``"sentiment_engine": true``, set when its dev figures match or beat the pair
    model's) or as the first stage of the cascade (:func:`sentiment_cascade`). Then the
    encoder's pass is paid for by every default audit, and other heads may read it."""
    d = Path(model_dir) if model_dir else MODEL_DIR
    if not model_available(d):
        return False
    return bool(_config(d).get("sentiment_engine")) or sentiment_cascade(d) is not None


def sentiment_cascade(model_dir: Path | str | None = None) -> dict | None:
    """The cascade's settings (config ``sentiment_cascade``: ``threshold``), when the encoder's
    target head reads every target and the pair model (``audit/models/sentiment``) re-reads the
    targets the head is unsure of; None when not configured or the pair model is missing."""
    d = Path(model_dir) if model_dir else MODEL_DIR
    if not model_available(d):
        return None
    cfg = _config(d)
    casc = cfg.get("sentiment_cascade")
    if cfg.get("sentiment_engine") or not isinstance(casc, dict) or "threshold" not in casc:
        return None
    from .analyzers.sentiment_model import model_available as pair_available

    return dict(casc) if pair_available() else None


@functools.lru_cache(maxsize=4)
def load(model_dir: str | None = None):
    """(onnxruntime session, tokenizer, config) for the encoder directory, once per process."""
    d = Path(model_dir) if model_dir else MODEL_DIR
    for f in MODEL_FILES:
        if not (d / f).is_file():
            raise EncoderUnavailable(
                f"the encoder file {d / f} is missing, so the learned heads cannot run; "
                "use --sentiment lexicon, or re-run `python -m audit.training.encoder.train` to restore it")
    return open_onnx(d, error=EncoderUnavailable, what="the encoder", default_threads=1,
                     default_max_length=MAX_LENGTH, fallback="use --sentiment lexicon")


def open_onnx(d: Path, *, error: type[Exception], what: str, default_threads: int, default_max_length: int,
              fallback: str):
    """(onnxruntime session, tokenizer, config) of an exported model directory (``model.onnx``,
    ``tokenizer.json``, ``config.json``), for every learned model shipped in the package. A missing
    run-time package or a truncated/corrupt file raises ``error`` naming ``what`` and the ``fallback``."""
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - install requirements
        raise error(f"{what} needs onnxruntime and tokenizers ({exc}); {fallback}") from exc
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(config.get("intra_op_num_threads", default_threads))
    try:
        session = ort.InferenceSession(str(d / "model.onnx"), sess_options=opts, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(d / "tokenizer.json"))
    except Exception as exc:  # a truncated or corrupt file: say which, keep the fallback open
        raise error(f"{what} in {d} could not be loaded ({exc.__class__.__name__}: {exc}); {fallback}") from exc
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=int(config.get("max_length", default_max_length)))
    return session, tokenizer, config


# The last sentences encoded, so that several heads reading the same sentences of a batch
# (sentiment, loaded language) share one pass. Bounded (oldest dropped first): about 60 MB
# at news-sentence lengths, so memory stays flat in the number of articles.
CACHE_SIZE = 1024
_cache: dict[tuple[str, str], Encoded] = {}


def clear_cache() -> None:
    _cache.clear()


def encode(texts: list[str], *, batch_size: int = 1, model_dir: Path | str | None = None) -> list[Encoded]:
    """One encoder pass per text (sentence); results in input order. Identical texts are
    encoded once, and a text encoded by a recent call is not encoded again.

    ``batch_size`` 1 (the default) makes each sentence's states depend on that sentence only:
    int8 dynamic quantisation scales activations over the whole input (padding included), so in
    a batch a sentence's states move with its batch-mates. On one thread it is also no slower
    (no padding): 300 NewsMTSC sentences took 1.23-1.26 s one by one, 1.29-1.84 s in batches of
    32 sorted by length."""
    if not texts:
        return []
    key = str(model_dir) if model_dir else ""
    session, tokenizer, _ = load(str(model_dir) if model_dir else None)
    # whitespace at the edges changes no word piece: encode (and cache) the stripped text, and
    # shift the offsets back for a caller whose text starts with whitespace
    cores = [t.strip() for t in texts]
    distinct = list(dict.fromkeys(cores))
    found = {t: _cache[(key, t)] for t in distinct if (key, t) in _cache}
    todo = [t for t in distinct if t not in found]
    if todo:
        new = _run(session, tokenizer, todo, batch_size)
        found.update(zip(todo, new))
        for e in new:
            if len(_cache) >= CACHE_SIZE:
                del _cache[next(iter(_cache))]
            _cache[(key, e.text)] = e
    out = []
    for t, core in zip(texts, cores):
        e = found[core]
        if t != core:
            lead = len(t) - len(t.lstrip())
            offs = e.offsets.copy()
            offs[offs[:, 1] > offs[:, 0]] += lead
            e = Encoded(t, e.states, offs)
        out.append(e)
    return out


def _run(session, tokenizer, uniq: list[str], batch_size: int) -> list[Encoded]:
    import numpy as np

    encs = tokenizer.encode_batch(uniq)
    names = {i.name for i in session.get_inputs()}
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
    res: list = [None] * len(encs)
    bs = max(1, batch_size)
    for b in range(0, len(order), bs):
        idx = order[b:b + bs]
        width = max(len(encs[i].ids) for i in idx)
        ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for r, i in enumerate(idx):
            n = len(encs[i].ids)
            ids[r, :n] = encs[i].ids
            mask[r, :n] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        states = session.run(["states"], {k: v for k, v in feeds.items() if k in names})[0]
        for r, i in enumerate(idx):
            n = len(encs[i].ids)
            res[i] = Encoded(uniq[i], np.array(states[r, :n], dtype=np.float32),  # a copy: no batch kept alive
                             np.asarray(encs[i].offsets, dtype=np.int64).reshape(-1, 2))
    return res


def body_sentences(doc) -> list[tuple[int, int]]:
    """The character spans of ``doc``'s sentences, without the whitespace at their edges."""
    text = doc.text
    out = []
    for sent in doc.sents:
        raw = text[sent.start_char:sent.end_char]
        stripped = raw.strip()
        if stripped:
            start = sent.start_char + len(raw) - len(raw.lstrip())
            out.append((start, start + len(stripped)))
    return out


def encode_docs(docs, *, model_dir: Path | str | None = None) -> list[list[tuple[tuple[int, int], Encoded]]]:
    """Every body sentence of every doc in one batched call: per doc, ``(sentence span, Encoded)``."""
    spans = [body_sentences(d) for d in docs]
    flat = [d.text[s:e] for d, sp in zip(docs, spans) for s, e in sp]
    encs = iter(encode(flat, model_dir=model_dir))
    return [[(sp, next(encs)) for sp in doc_spans] for doc_spans in spans]


def aligned_states(doc, span: tuple[int, int], e: Encoded):
    """The states of ``e`` (the sentence ``doc.text[span[0]:span[1]]``) aligned to the spaCy
    tokens of that sentence: ``(tokens, array (tokens, hidden))``."""
    s, end = span
    toks = [t for t in doc.char_span(s, end, alignment_mode="expand")] if end > s else []
    rel = [(t.idx - s, t.idx + len(t.text) - s) for t in toks]
    return toks, e.token_states(rel)
