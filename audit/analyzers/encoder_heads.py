"""Small numpy heads over the shared sentence encoder (:mod:`audit.encoder`).

- **target sentiment** (TD-BERT): for a target span in a sentence, softmax of a linear layer
  over ``[sentence vector; mean; max]`` of the target's word-piece states. Every target of a
  sentence reads the same encoder pass.
- **loaded language**: P(the sentence is biased) from ``[sentence vector; [CLS] state]`` and,
  per word piece, P(it is part of a biased word) from its state (word probability: the
  largest of its pieces'), with thresholds chosen on a held-out fold of BABE.

Weights live in ``audit/models/encoder/heads.npz`` beside the encoder; both are written by
``python -m audit.training.encoder.train`` (see the model card there).
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from .. import encoder as enc

LABELS = ("negative", "neutral", "positive")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@functools.lru_cache(maxsize=4)
def _heads(model_dir: str | None = None):
    import numpy as np

    d = Path(model_dir) if model_dir else enc.MODEL_DIR
    enc.load(str(d) if model_dir else None)  # raises EncoderUnavailable with a clear message
    with np.load(d / "heads.npz") as z:
        heads = {k: z[k].astype(np.float32) for k in z.files}
    config = json.loads((d / "config.json").read_text(encoding="utf-8"))
    return heads, config


def clear_cache() -> None:
    """Forget the loaded heads (their directory was written again, e.g. by training)."""
    _heads.cache_clear()


def _softmax(x):
    import numpy as np

    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


def _sigmoid(x):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-x))


def sentiment_features(e: enc.Encoded, span: tuple[int, int]):
    """``[sentence vector; mean; max]`` of the target's word pieces (span: characters in ``e.text``)."""
    import numpy as np

    mean, mx = enc.pool_span(e.states, e.pieces_in(*span))
    return np.concatenate([e.vector, mean, mx])


def predict_targets(items: list[tuple[str, tuple[int, int]]], *, model_dir=None,
                    encoded: list[enc.Encoded] | None = None) -> list[tuple[float, float, float]]:
    """(neg, neu, pos) per ``(sentence text, target span in it)``, the interface of
    :func:`audit.analyzers.sentiment_model.predict_targets`; each distinct sentence is
    encoded once however many targets it holds (or pass ``encoded``, one per item)."""
    import numpy as np

    if not items:
        return []
    heads, _ = _heads(str(model_dir) if model_dir else None)
    if encoded is None:
        encoded = enc.encode([t for t, _ in items], model_dir=model_dir)
    x = np.stack([sentiment_features(e, span) for e, (_, span) in zip(encoded, items)])
    p = _softmax(x @ heads["sent_W"] + heads["sent_b"])
    return [tuple(float(v) for v in row) for row in p]


def predict_targets_cascade(items: list[tuple[str, tuple[int, int]]], *, threshold: float,
                            model_dir=None, pair=None) -> list[tuple[float, float, float]]:
    """The sentiment cascade: (neg, neu, pos) per item from the target head; where the head's
    largest probability is below ``threshold``, the mean of its distribution and the pair
    model's (``pair``: a ``predict_targets`` function, default the shipped pair model's), which
    reads only those items. The threshold is chosen by ``python -m audit.training.encoder.cascade``."""
    if not items:
        return []
    head = predict_targets(items, model_dir=model_dir)
    unsure = [k for k, p in enumerate(head) if max(p) < threshold]
    if not unsure:
        return head
    if pair is None:
        from .sentiment_model import predict_targets as pair
    second = pair([items[k] for k in unsure])
    out = list(head)
    for k, q in zip(unsure, second):
        out[k] = tuple((a + b) / 2.0 for a, b in zip(head[k], q))
    return out


def loaded_scores(sentences: list[str], *, model_dir=None, encoded: list[enc.Encoded] | None = None):
    """Per sentence: ``(P(biased), [(start, end, P(biased word)) per word])``, words being runs
    of word characters (offsets into the sentence). One encoder pass per distinct sentence."""
    import numpy as np

    if not sentences:
        return []
    heads, _ = _heads(str(model_dir) if model_dir else None)
    if encoded is None:
        encoded = enc.encode(list(sentences), model_dir=model_dir)
    out = []
    for text, e in zip(sentences, encoded):
        cls = e.states[0]
        ps = float(_sigmoid(np.concatenate([e.vector, cls]) @ heads["bias_W"] + heads["bias_b"])[0])
        pt = _sigmoid(e.states @ heads["tok_W"] + heads["tok_b"])[:, 0]
        # word pieces in text order: one walk over them gives each word its pieces' largest
        pieces = [(s, t, p) for (s, t), p in zip(e.offsets.tolist(), pt.tolist()) if t > s]
        words, j = [], 0
        for m in _WORD.finditer(text):
            ws, we = m.span()
            while j < len(pieces) and pieces[j][1] <= ws:
                j += 1
            k, best = j, None
            while k < len(pieces) and pieces[k][0] < we:
                best = pieces[k][2] if best is None else max(best, pieces[k][2])
                k += 1
            if best is not None:
                words.append((ws, we, float(best)))
        out.append((ps, words))
    return out


def loaded_thresholds(model_dir=None) -> dict:
    """The sentence and word thresholds chosen in training (``config.json``: ``loaded``)."""
    _, config = _heads(str(model_dir) if model_dir else None)
    return dict(config.get("loaded", {"sentence_threshold": 0.5, "word_threshold": 0.5}))
