"""``newsaudit evaluate bias``: loaded language on BABE-style gold (one sentence per line).

Each gold line is audited with the same ``analyze_articles`` as ``newsaudit run``; the
sentence's verdict is the loaded-language layer's (``LoadedSentence.loaded``, any sentence of
the line) and its words are the layer's words (quoted or not: the gold marks the sentence's
words whoever speaks them). Metrics:

- **macro-F1** over biased / not biased (the headline), with per-class F1 and accuracy;
- **word-level** precision / recall / F1: a gold word (each entry of ``biased_words``, located
  in the text as a whole word, case-insensitively, every occurrence) is *found* when a
  predicted span overlaps one of its occurrences (recall); a predicted span is *right* when it
  overlaps a gold word's occurrence (precision). Gold words that cannot be located in the text
  count as missed (``gold_words_unlocated`` says how many).
"""
from __future__ import annotations

import re

from .common import audit_gold, prf, read_gold, spans_overlap, write_jsonl


def locate_words(text: str, words) -> list[list[tuple[int, int]]]:
    """For each word string, the spans of its occurrences in ``text`` (whole word, ignoring
    case; else any occurrence; else none)."""
    out = []
    for w in words:
        w = (w or "").strip()
        if not w:
            out.append([])
            continue
        esc = re.escape(w)
        found = [m.span() for m in re.finditer(rf"(?<!\w){esc}(?!\w)", text, re.IGNORECASE)]
        if not found:
            found = [m.span() for m in re.finditer(esc, text, re.IGNORECASE)]
        out.append(found)
    return out


def predict(row, result) -> dict:
    """The predictions-file line for one gold sentence."""
    loaded = result.loaded
    words = sorted({w.span for f in loaded for w in f.words})
    return {"id": row["id"], "biased": any(f.loaded for f in loaded), "words": [list(s) for s in words]}


def word_counts(text: str, gold_words, pred_spans) -> tuple[int, int, int, int, int]:
    """``(gold found, gold, predicted right, predicted, gold unlocated)`` for one sentence."""
    occ = locate_words(text, gold_words)
    pred = [tuple(s) for s in pred_spans]
    found = sum(1 for spans in occ if any(spans_overlap(g, p) for g in spans for p in pred))
    right = sum(1 for p in pred if any(spans_overlap(g, p) for spans in occ for g in spans))
    return found, len(occ), right, len(pred), sum(1 for spans in occ if not spans)


def score(rows, preds) -> dict:
    """The bias metrics of predictions ``preds`` (dicts of the predictions schema) against ``rows``."""
    per = {}
    for label, want in (("biased", True), ("not_biased", False)):
        tp = sum(1 for r, p in zip(rows, preds) if bool(r["biased"]) == want and bool(p["biased"]) == want)
        per[label] = prf(tp, sum(1 for p in preds if bool(p["biased"]) == want),
                         sum(1 for r in rows if bool(r["biased"]) == want))
    found = gold = right = n_pred = unlocated = 0
    for r, p in zip(rows, preds):
        f, g, rt, n, u = word_counts(r["text"], r.get("biased_words") or [], p["words"])
        found, gold, right, n_pred, unlocated = found + f, gold + g, right + rt, n_pred + n, unlocated + u
    wp = right / n_pred if n_pred else 0.0
    wr = found / gold if gold else 0.0
    wf = 2 * wp * wr / (wp + wr) if wp + wr else 0.0
    acc = sum(1 for r, p in zip(rows, preds) if bool(r["biased"]) == bool(p["biased"])) / len(rows) if rows else 0.0
    return {
        "task": "bias",
        "sentences": len(rows),
        "macro_f1": round((per["biased"]["f1"] + per["not_biased"]["f1"]) / 2, 4),
        "f1_biased": per["biased"]["f1"],
        "precision_biased": per["biased"]["precision"],
        "recall_biased": per["biased"]["recall"],
        "f1_not_biased": per["not_biased"]["f1"],
        "accuracy": round(acc, 4),
        "word_precision": round(wp, 4),
        "word_recall": round(wr, 4),
        "word_f1": round(wf, 4),
        "counts": {"gold_biased": per["biased"]["gold"], "pred_biased": per["biased"]["pred"],
                   "gold_words": gold, "gold_words_found": found, "gold_words_unlocated": unlocated,
                   "pred_words": n_pred, "pred_words_right": right},
    }


def evaluate(gold_path, *, predictions=None, progress=None) -> dict:
    rows = read_gold(gold_path)
    for n, r in enumerate(rows, 1):
        if "biased" not in r:
            from .common import GoldFileError

            raise GoldFileError(f"{gold_path}: line {n} ({r['id']}) has no 'biased' field (not a bias gold file?)")
    preds = [predict(row, res) for row, res in audit_gold(rows, progress=progress)]
    if predictions:
        write_jsonl(predictions, preds)
    from ..analyzers.loaded import resolve_engine

    out = score(rows, preds)
    out["engine"] = resolve_engine()
    return out
