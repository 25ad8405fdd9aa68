"""``newsaudit evaluate articles``: every layer of whole annotated articles.

Per layer, as ../shared/eval/README.md specifies: attributions by content overlap (the
attribution task's alignment: token-F1 ≥ 0.5), with source-type accuracy over matched
attributions; hedges and unverified claims by span overlap (claims also need the right
reason); actors by name with mention recall, and portrayal macro-F1 over matched actors.
Predictions are the ``articles`` schema (``audit.tables.article_record``), one line per
gold line.
"""
from __future__ import annotations

from ..tables import article_record, rows_for
from .attribution import align
from .common import audit_gold, prf, read_gold, write_jsonl
from .hedging import claim_span_prf, hedge_span_prf
from .sentiment import actor_prf


def _att_items(rec: dict) -> list[dict]:
    return [{"content_spans": a["content"], "source": a["source"], "source_type": a["source_type"]}
            for a in rec.get("attributions", [])]


def score(rows: list[dict], preds: list[dict], results) -> dict:
    n_gold = n_pred = tp = kind_ok = 0
    confusion: dict[str, dict[str, int]] = {}
    for row, rec in zip(rows, preds):
        gold, pred = _att_items(row), _att_items(rec)
        n_gold += len(gold)
        n_pred += len(pred)
        for i, j, _ in align(row["text"], gold, pred):
            tp += 1
            g, p = gold[i]["source_type"], pred[j]["source_type"]
            kind_ok += g == p
            confusion.setdefault(g, {}).setdefault(p, 0)
            confusion[g][p] += 1
    actors = actor_prf(rows, results)
    return {
        "articles": len(rows),
        "attributions": prf(tp, n_pred, n_gold),
        "source_type_accuracy": round(kind_ok / tp, 4) if tp else 0.0,
        "source_type_confusion": confusion,
        "hedges": hedge_span_prf(rows, results),
        "unverified_claims": claim_span_prf(rows, results),
        "actors": actors,
    }


def evaluate(gold_path, *, predictions=None, progress=None) -> dict:
    rows = read_gold(gold_path)
    preds, results = [], []
    for row, (art, res) in audit_gold(rows, progress=progress, with_article=True):
        rec = article_record(rows_for(art, res))
        rec["id"] = row["id"]
        preds.append(rec)
        results.append(res)
    if predictions:
        write_jsonl(predictions, preds)
    return score(rows, preds, results)
