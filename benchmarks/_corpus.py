"""The benchmark corpus: PolNeAR's real news articles, read from ``../shared`` (never copied).

``texts(n)`` returns ``n`` article bodies from ``../shared/eval/attribution/polnear_{train,dev}.jsonl``
(840 + 101 articles), repeating the pool to reach larger sizes. A repeated text gets a short
numbered suffix paragraph so that every article has its own content id (the store keys
articles by a hash of their content, and a run skips articles it has already stored).

Set ``$NEWSAUDIT_SHARED`` to point at another ``shared`` folder.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSAUDIT_SHARED", ROOT.parent / "shared"))
FILES = ("polnear_train.jsonl", "polnear_dev.jsonl")


def corpus_files() -> list[Path]:
    paths = [SHARED / "eval" / "attribution" / f for f in FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        sys.exit(
            "benchmark corpus not found: " + ", ".join(missing)
            + "\n(the PolNeAR articles live beside the project in ../shared/eval/attribution/; "
            "set NEWSAUDIT_SHARED to their 'shared' folder)"
        )
    return paths


def pool() -> list[str]:
    """Every distinct PolNeAR article text, train then dev."""
    out = []
    for p in corpus_files():
        with p.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    text = json.loads(line).get("text") or ""
                    if text.strip():
                        out.append(text)
    return out


def texts(n: int) -> list[str]:
    """``n`` article texts: the pool in order, repeated (with a distinguishing suffix) as needed."""
    base = pool()
    out = []
    for i in range(n):
        text = base[i % len(base)]
        rep = i // len(base)
        out.append(text if rep == 0 else f"{text}\n\n(Copy {rep}.)")
    return out


def write_jsonl(path: Path, items: list[str]) -> Path:
    """Write texts as a JSONL corpus ``newsaudit run`` reads (one ``{"id", "text"}`` per line)."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for i, text in enumerate(items):
            fh.write(json.dumps({"id": f"bench-{i}", "text": text}, ensure_ascii=False) + "\n")
    return Path(path)


def audited(n: int) -> list:
    """``(Article, AuditResult)`` pairs for the first ``n`` corpus texts, audited for real."""
    from audit.executors import analyze_articles
    from audit.ingest.article import Article

    arts = [Article.build(t, origin=f"polnear:{i}") for i, t in enumerate(texts(n))]
    return [(a, r) for a, r, err in analyze_articles(arts) if r is not None]


def store_clones(store, pairs: list, n: int, *, batch: int = 500) -> None:
    """Store ``n`` articles in ``store``: the audited ``pairs``, then clones of them under new ids."""
    from dataclasses import replace

    buf = []
    for i in range(n):
        art, res = pairs[i % len(pairs)]
        if i >= len(pairs):
            new_id = f"{art.id[:8]}{i:08x}"
            art, res = replace(art, id=new_id, external_id=f"clone-{i}"), replace(res, article_id=new_id)
        buf.append((art, res))
        if len(buf) >= batch:
            store.save(buf)
            buf = []
    if buf:
        store.save(buf)
