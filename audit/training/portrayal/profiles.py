"""Audit gold files once and cache every gold actor's profile (the portrayal model's input).

    python -m audit.training.portrayal.profiles ../shared/eval/sentiment/persent_dev.jsonl \
        ../shared/eval/articles/authored_dev.jsonl --out /tmp/portrayal_profiles.jsonl

Each gold text is audited exactly as ``newsaudit run`` audits it (``audit_gold``); each gold
actor (PerSenT: the target; articles gold: every actor) is matched to the audited actor whose
mentions overlap most of its gold mentions (``audit.analyzers.portrayal.match_actor``, the
rule ``newsaudit evaluate portrayal`` uses), and that actor's ``ActorSentiment.profile`` is
written with the gold label. A gold actor with no match is written with ``"profile": null``
(``evaluate`` labels it neutral). Parsing and the sentence model are the slow part (about
4 minutes per 1,000 PerSenT articles on one core); the training command reads the cache.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def gold_actors(row: dict) -> list[tuple[list, str]]:
    """``(mentions, gold label)`` per gold actor of one line (portrayal or articles schema)."""
    if row.get("actors") is not None and "targets" not in row:
        return [([tuple(m) for m in a["mentions"]], a.get("portrayal", "neutral")) for a in row["actors"]]
    return [([tuple(m) for m in (t.get("mentions") or [t["span"]])], t["polarity"]) for t in row["targets"]]


def paragraph_gold(row: dict) -> list | None:
    """The gold label of each paragraph of the text as the profile splits it
    (``paragraph_starts``), ``None`` where no gold paragraph starts it; ``None`` for a file
    without per-paragraph labels (PerSenT's ``meta.paragraphs``)."""
    from audit.analyzers.portrayal import index_of, paragraph_starts

    gold = (row.get("meta") or {}).get("paragraphs")
    if not gold:
        return None
    starts = paragraph_starts(row["text"])
    out = [None] * len(starts)
    for g in gold:
        s, e = g["span"]
        j = index_of(starts, (s + e) // 2)  # gold spans start at the line break before ours
        if out[j] is None:
            out[j] = g["polarity"]
    return out


def profiles(path, *, progress=None, engine: str | None = None):
    """Yield one cache record per gold actor of the gold file ``path``."""
    from audit.analyze import resolve_engine
    from audit.analyzers.portrayal import match_actor
    from audit.evaluate.common import audit_gold, read_gold

    engine = resolve_engine(engine)
    rows = read_gold(path)
    name = Path(path).stem
    for row, res in audit_gold(rows, progress=progress, sentiment_engine=engine):
        sents = {s.actor_key: s for s in res.sentiments}
        for k, (mentions, label) in enumerate(gold_actors(row)):
            actor = match_actor(res.actors, mentions)
            st = sents.get(actor.key) if actor is not None else None
            yield {"dataset": name, "id": row["id"], "k": k, "label": label, "engine": engine,
                   "par_gold": paragraph_gold(row) if k == 0 else None,
                   "profile": st.profile if st is not None else None,
                   "predicted": st.label if st is not None else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m audit.training.portrayal.profiles", description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+", help="gold files (portrayal or articles schema)")
    ap.add_argument("--out", required=True, help="cache file to write (JSONL)")
    ap.add_argument("--sentiment", choices=("lexicon", "model"), default=None, help="sentence engine (default as run)")
    args = ap.parse_args(argv)
    n = 0
    t0 = time.time()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for path in args.gold:
            done = [0]

            def tick(k, path=path, done=done):
                done[0] += k
                if done[0] % 100 == 0:
                    print(f"[{time.time() - t0:6.0f}s] {Path(path).name}: {done[0]} texts", file=sys.stderr, flush=True)

            for rec in profiles(path, progress=tick, engine=args.sentiment):
                fh.write(json.dumps(rec) + "\n")
                n += 1
    print(f"{n} gold actors -> {out} ({time.time() - t0:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
