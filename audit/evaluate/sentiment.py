"""``newsaudit evaluate sentiment``: polarity toward each gold target (NewsMTSC format).

Each gold text is audited with the same pipeline ``newsaudit run`` uses (``audit_gold``),
then ``target_polarities`` (the function ``actor_sentiments`` scores every mention with)
labels each gold target span. Metrics: macro-F1 over negative/neutral/positive per target,
and accuracy.

``actor_prf`` scores actors against the articles gold (by name, with mention recall);
the articles task reuses it.
"""
from __future__ import annotations

import re

from ..analyzers.sentiment import target_polarities
from .common import audit_gold, macro_f1, prf, read_gold, token_f1, write_jsonl

_NAME_TOKENS = re.compile(r"\w+")
_STOP = frozenset({"the", "of", "s", "and", "a", "an"})


def evaluate(gold_path, *, predictions=None, progress=None, engine: str | None = None) -> dict:
    """``engine``: "lexicon" or "model"; default as for ``newsaudit run`` (``resolve_engine``)."""
    from ..analyze import resolve_engine
    from ..executors import batched
    from ..nlp import parse_batch

    engine = resolve_engine(engine)
    rows = read_gold(gold_path)
    gold, pred, out = [], [], []
    # the same parse newsaudit run gives the text; the article audit is not needed for
    # per-target polarity, so parse directly (nlp.parse_batch) and score the gold spans
    parsed = (doc for chunk in batched(rows, 64) for doc in parse_batch([r["text"] for r in chunk], batch_size=64))
    for row, doc in zip(rows, parsed):
        spans = [tuple(t["span"]) for t in row["targets"]]
        labels = target_polarities(doc, spans, engine=engine)
        out.append({"id": row["id"], "targets": [{"span": list(s), "polarity": lab} for s, (lab, _) in zip(spans, labels)]})
        for t, (lab, _) in zip(row["targets"], labels):
            gold.append(t["polarity"])
            pred.append(lab)
        if progress:
            progress(1)
    if predictions:
        write_jsonl(predictions, out)
    return {"engine": engine, **macro_f1(gold, pred)}


def _name_tokens(name: str) -> list[str]:
    return [w for w in (m.group(0).lower() for m in _NAME_TOKENS.finditer(name)) if w not in _STOP]


def _overlap(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def actor_prf(gold_rows: list[dict], results) -> dict:
    """Actors by name, with mention recall (articles gold schema).

    ``results``: one ``AuditResult`` (or list of ``Actor``) per gold row, in order.
    A gold actor and a predicted actor match when their names' token-F1 is >= 0.5
    (tokens ``\\w+``, lower-cased, without "the"/"of"/"'s"), or, failing that, when at
    least half of the gold actor's mentions overlap the predicted actor's mentions;
    pairs are aligned one-to-one, greedily, best first. A gold mention is recalled
    when a mention of the matched predicted actor overlaps it; mention recall is over
    every gold mention (unmatched actors' mentions count as missed). Portrayal macro-F1
    is over matched actors whose predicted actor has a sentiment label
    (``AuditResult.sentiments``).
    """
    tp = n_pred = n_gold = 0
    m_hit = m_gold = 0
    por_gold, por_pred = [], []
    missed = []
    for row, res in zip(gold_rows, results):
        actors = list(getattr(res, "actors", res))
        labels = {s.actor_key: s.label for s in getattr(res, "sentiments", ())}
        golds = row.get("actors", [])
        n_pred += len(actors)
        n_gold += len(golds)
        m_gold += sum(len(g["mentions"]) for g in golds)
        cands = []
        for gi, g in enumerate(golds):
            gt = _name_tokens(g["name"])
            for pi, a in enumerate(actors):
                score = token_f1(gt, _name_tokens(a.name))
                if score < 0.5:
                    hits = sum(1 for gm in g["mentions"] if any(_overlap(gm, m.span) for m in a.mentions))
                    score = 0.5 * hits / len(g["mentions"]) if g["mentions"] and hits * 2 >= len(g["mentions"]) else 0.0
                if score >= 0.25:
                    cands.append((score, gi, pi))
        cands.sort(key=lambda x: -x[0])
        used_g, used_p = set(), set()
        for score, gi, pi in cands:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            tp += 1
            g, a = golds[gi], actors[pi]
            m_hit += sum(1 for gm in g["mentions"] if any(_overlap(gm, m.span) for m in a.mentions))
            if a.key in labels:
                por_gold.append(g.get("portrayal", "neutral"))
                por_pred.append(labels[a.key])
        missed.extend(f"{row['id']}:{g['name']}" for gi, g in enumerate(golds) if gi not in used_g)
    out = {"actors": prf(tp, n_pred, n_gold), "mention_recall": round(m_hit / m_gold, 4) if m_gold else 0.0,
           "mentions_gold": m_gold, "missed": missed}
    if por_gold:
        out["portrayal"] = macro_f1(por_gold, por_pred)
    return out
