"""``newsaudit evaluate portrayal``: the article-level portrayal of each gold target (PerSenT).

Each gold text is audited with the same pipeline ``newsaudit run`` uses (``audit_gold``);
each gold target is matched to the audited actor whose mentions overlap most of the
target's ``mentions`` (``audit.analyzers.portrayal.match_actor``), and the prediction is that
actor's portrayal label (``ActorSentiment.label``, what ``run`` stores as
``sentiment_label``). A target with no matching actor is predicted neutral. Metrics:
macro-F1 over negative/neutral/positive per target (one per document in PerSenT), and
accuracy; also how many targets matched no actor.
"""
from __future__ import annotations

from ..analyzers.portrayal import match_actor
from .common import audit_gold, macro_f1, read_gold, write_jsonl


def evaluate(gold_path, *, predictions=None, progress=None, engine: str | None = None) -> dict:
    from ..analyze import resolve_engine

    engine = resolve_engine(engine)
    rows = read_gold(gold_path)
    gold, pred, out = [], [], []
    unmatched = 0
    for row, res in audit_gold(rows, progress=progress, sentiment_engine=engine):
        labels = {s.actor_key: s.label for s in res.sentiments}
        targets = []
        for t in row.get("targets", []):
            actor = match_actor(res.actors, [tuple(m) for m in (t.get("mentions") or [t["span"]])])
            label = labels.get(actor.key) if actor is not None else None
            if label is None:
                unmatched += 1
                label = "neutral"
            targets.append({"span": list(t["span"]), "polarity": label})
            gold.append(t["polarity"])
            pred.append(label)
        out.append({"id": row["id"], "targets": targets})
    if predictions:
        write_jsonl(predictions, out)
    return {"engine": engine, **macro_f1(gold, pred), "unmatched_targets": unmatched}
