"""``newsaudit evaluate hedging``: sentence-level hedging on the Szeged-style gold.

Each gold line is one sentence. It is audited with the same ``analyze_doc`` as
``newsaudit run``; a sentence is predicted *hedged* when the audit holds a cue of an
epistemic kind (``audit.analyzers.hedging.EPISTEMIC_KINDS``: modal, epistemic, reporting,
distancing, and the news-only expectation and belief; approximators and boosters do not
make a sentence hedged). Headline metric:
P/R/F1 of the hedged class; cue-level exact-span F1 is reported for information.

Also here, for the ``articles`` task: :func:`hedge_span_prf` and :func:`claim_span_prf`
score the hedges and unverified-claims layers by span overlap (claims: with the right reason).
"""
from __future__ import annotations

from ..analyzers.hedging import ARTICLE_HEDGE_KINDS, EPISTEMIC_KINDS
from .common import audit_gold, prf, read_gold, spans_overlap, write_jsonl

# Gold cue types that make a sentence hedged (../shared/eval/README.md).
GOLD_HEDGE_TYPES = ("speculation_modal", "speculation_hypo_doxastic")


def _gold_cue_spans(row) -> list[tuple[int, int]]:
    return [tuple(c["span"]) for c in row.get("cues", []) if c.get("type", "").startswith(GOLD_HEDGE_TYPES)]


def predict(row, result) -> dict:
    """The predictions-file line for one gold sentence."""
    cues = [h for h in result.hedges if h.kind in EPISTEMIC_KINDS]
    return {"id": row["id"], "hedged": bool(cues), "cues": [{"span": list(h.span)} for h in cues]}


def evaluate(gold_path, *, predictions=None, progress=None) -> dict:
    rows = read_gold(gold_path)
    preds = [predict(row, res) for row, res in audit_gold(rows, progress=progress)]
    if predictions:
        write_jsonl(predictions, preds)
    tp = sum(1 for r, p in zip(rows, preds) if r["hedged"] and p["hedged"])
    n_pred = sum(1 for p in preds if p["hedged"])
    n_gold = sum(1 for r in rows if r["hedged"])
    sent = prf(tp, n_pred, n_gold)
    ctp = cpred = cgold = 0
    for r, p in zip(rows, preds):
        g = set(_gold_cue_spans(r))
        q = {tuple(c["span"]) for c in p["cues"]}
        ctp += len(g & q)
        cpred += len(q)
        cgold += len(g)
    cue = prf(ctp, cpred, cgold)
    acc = sum(1 for r, p in zip(rows, preds) if bool(r["hedged"]) == p["hedged"]) / len(rows) if rows else 0.0
    return {
        "task": "hedging",
        "sentences": len(rows),
        "f1_hedged": sent["f1"],
        "precision_hedged": sent["precision"],
        "recall_hedged": sent["recall"],
        "accuracy": round(acc, 4),
        "cue_exact_f1": cue["f1"],
        "cue_exact_precision": cue["precision"],
        "cue_exact_recall": cue["recall"],
        "counts": {"tp": tp, "pred": n_pred, "gold": n_gold},
    }


# --- span-overlap scoring for the articles task ------------------------------------------

def _match(gold: list, pred: list, ok) -> int:
    """Greedy one-to-one matching in text order; ``ok(g, p)`` says whether a pair counts."""
    used = set()
    tp = 0
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and ok(g, p):
                used.add(j)
                tp += 1
                break
    return tp


def _spans_of(items, key="span"):
    out = []
    for it in items:
        sp = it[key] if isinstance(it, dict) else getattr(it, key)
        out.append(tuple(sp))
    return out


def hedge_span_prf(gold_rows, results) -> dict:
    """Hedge P/R/F1 over articles: a predicted cue of the articles guidelines' kinds
    (:data:`~audit.analyzers.hedging.ARTICLE_HEDGE_KINDS`: not boosters, not the news-only
    ``expectation``/``belief`` kinds) matches a gold hedge it overlaps.

    ``results`` are ``AuditResult`` objects (or predictions dicts with a ``hedges`` list of
    ``{"span"}``), aligned with ``gold_rows``; spans outside ``boilerplate`` only.
    """
    tp = n_pred = n_gold = 0
    for row, res in zip(gold_rows, results):
        hedges = res.get("hedges", []) if isinstance(res, dict) else [h for h in res.hedges if h.kind in ARTICLE_HEDGE_KINDS]
        if isinstance(res, dict):  # a predictions line: kinds, where given, filtered the same way
            hedges = [h for h in hedges if h.get("kind", "approximator") in ARTICLE_HEDGE_KINDS]
        skips = [tuple(b) for b in row.get("boilerplate", [])]
        pred = [s for s in _spans_of(hedges) if not any(spans_overlap(s, b) for b in skips)]
        gold = _spans_of(row.get("hedges", []))
        tp += _match(gold, pred, spans_overlap)
        n_pred += len(pred)
        n_gold += len(gold)
    return prf(tp, n_pred, n_gold)


def claim_span_prf(gold_rows, results) -> dict:
    """Unverified-claim P/R/F1 over articles: span overlap *and* the same reason."""
    tp = n_pred = n_gold = 0
    any_tp = 0
    for row, res in zip(gold_rows, results):
        claims = res.get("unverified_claims", []) if isinstance(res, dict) else list(res.claims)
        pred = [(tuple(c["span"]) if isinstance(c, dict) else c.span, c["reason"] if isinstance(c, dict) else c.reason)
                for c in claims]
        skips = [tuple(b) for b in row.get("boilerplate", [])]
        pred = [p for p in pred if not any(spans_overlap(p[0], b) for b in skips)]
        gold = [(tuple(c["span"]), c["reason"]) for c in row.get("unverified_claims", [])]
        tp += _match(gold, pred, lambda g, p: spans_overlap(g[0], p[0]) and g[1] == p[1])
        any_tp += _match(gold, pred, lambda g, p: spans_overlap(g[0], p[0]))
        n_pred += len(pred)
        n_gold += len(gold)
    out = prf(tp, n_pred, n_gold)
    out["f1_any_reason"] = prf(any_tp, n_pred, n_gold)["f1"]
    return out
