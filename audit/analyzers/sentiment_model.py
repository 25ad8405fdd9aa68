"""The learned sentiment engine: per-target (neg, neu, pos) probabilities from a small
fine-tuned transformer, run with onnxruntime + tokenizers only (no torch at run time).

The model (``audit/models/sentiment/``) is all-MiniLM-L6-v2 fine-tuned on the NewsMTSC
training pool by ``python -m audit.training.sentiment.train`` and exported as int8 ONNX;
see ``audit/models/sentiment/MODEL_CARD.md``.

Input encoding (shared with the training script, so both sides mark targets the same way):
a sentence pair ``(target text, sentence with the target wrapped in two marker tokens)``;
the network reads the hidden states of ``[CLS]`` and of both markers.

The ONNX session and tokenizer are loaded lazily, once per process, on first use.
"""
from __future__ import annotations

import functools
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "sentiment"
MODEL_FILES = ("model.onnx", "tokenizer.json", "config.json")

# Marker tokens: two of BERT's reserved "[unusedN]" vocabulary entries, registered as
# special tokens in the exported tokenizer, so no embedding row had to be added.
MARK_START = "[unused0]"
MARK_END = "[unused1]"
LABELS = ("negative", "neutral", "positive")

# Sentences longer than this (characters) are cut to a window around the target, so the
# markers always survive the tokenizer's 128-token truncation. NewsMTSC sentences average
# about 150 characters; under 1% exceed 400.
MAX_CHARS = 400

# At run time the window is narrower: on the NewsMTSC dev files a 200-character window
# scores the same as 400 (macro-F1 within 0.001 on both) and reads fewer tokens, which is
# most of the engine's cost (``benchmarks/bench_sentiment_model.py``).
INFER_MAX_CHARS = 200


class ModelUnavailable(RuntimeError):
    """The learned sentiment model's files are missing or cannot be loaded."""


def mark_target(text: str, span: tuple[int, int], *, max_chars: int = MAX_CHARS) -> tuple[str, str]:
    """The model's input pair for one target: ``(target text, marked sentence)``.

    >>> mark_target("Ann praised Bob.", (12, 15))
    ('Bob', 'Ann praised [unused0] Bob [unused1] .')
    """
    start, end = span
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"target span {span!r} is not inside a text of {len(text)} characters")
    left, target, right = text[:start], text[start:end], text[end:]
    room = max(max_chars - len(target), 0)
    if len(left) + len(right) > room:
        keep_left = min(len(left), room // 2)
        keep_right = min(len(right), room - keep_left)
        keep_left = min(len(left), room - keep_right)
        left = left[len(left) - keep_left:] if keep_left else ""
        right = right[:keep_right]
    marked = f"{left.rstrip()} {MARK_START} {target.strip()} {MARK_END} {right.lstrip()}".strip()
    return " ".join(target.split()), marked


def model_available(model_dir: Path | str | None = None) -> bool:
    """True when every file the model engine needs is present."""
    d = Path(model_dir) if model_dir else MODEL_DIR
    return all((d / f).is_file() for f in MODEL_FILES)


def _check_files(d: Path) -> None:
    for f in MODEL_FILES:
        if not (d / f).is_file():
            raise ModelUnavailable(
                f"the sentiment model file {d / f} is missing, so the 'model' sentiment engine "
                "cannot run; use the lexicon engine instead (--sentiment lexicon), or reinstall "
                "newsaudit / re-run `python -m audit.training.sentiment.train` to restore it"
            )


@functools.lru_cache(maxsize=4)
def _load(model_dir: str):
    """(onnxruntime session, tokenizer, config) for a model directory, once per process."""
    d = Path(model_dir)
    _check_files(d)
    from ..encoder import open_onnx

    return open_onnx(d, error=ModelUnavailable, what="the sentiment model", default_threads=0,
                     default_max_length=128, fallback="use the lexicon engine instead (--sentiment lexicon)")


def clear_cache() -> None:
    """Forget the loaded sessions (a model directory was written again, e.g. by training)."""
    _load.cache_clear()


def _softmax(row):
    import math

    m = max(row)
    ex = [math.exp(v - m) for v in row]
    s = sum(ex)
    return tuple(v / s for v in ex)


def predict_targets(
    items: list[tuple[str, tuple[int, int]]],
    *,
    batch_size: int = 32,
    model_dir: Path | str | None = None,
) -> list[tuple[float, float, float]]:
    """(neg, neu, pos) probabilities for each ``(sentence text, target span in that text)``.

    Items are grouped by length into batches of ``batch_size`` (so callers should pass all
    the targets of many articles at once); the output keeps the input order.
    Raises ``ModelUnavailable`` when the model files are missing.
    """
    import numpy as np

    if not items:
        return []
    session, tokenizer, config = _load(str(Path(model_dir) if model_dir else MODEL_DIR))
    pairs = [mark_target(text, span, max_chars=INFER_MAX_CHARS) for text, span in items]
    encs = tokenizer.encode_batch(pairs)
    input_names = {i.name for i in session.get_inputs()}
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
    out: list[tuple[float, float, float] | None] = [None] * len(encs)
    for b in range(0, len(order), max(1, batch_size)):
        idx = order[b:b + max(1, batch_size)]
        width = max(len(encs[i].ids) for i in idx)
        ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        types = np.zeros((len(idx), width), dtype=np.int64)
        for r, i in enumerate(idx):
            e = encs[i]
            n = len(e.ids)
            ids[r, :n] = e.ids
            mask[r, :n] = 1
            types[r, :n] = e.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        logits = session.run(["logits"], {k: v for k, v in feeds.items() if k in input_names})[0]
        for r, i in enumerate(idx):
            out[i] = _softmax([float(v) for v in logits[r]])
    return out  # type: ignore[return-value]


def label_of(probs: tuple[float, float, float]) -> str:
    """The most probable class name."""
    return LABELS[max(range(3), key=lambda k: probs[k])]


def score_of(probs: tuple[float, float, float]) -> float:
    """A -1 .. 1 score: P(positive) - P(negative)."""
    return float(probs[2] - probs[0])
