"""The store on SQLite and on PostgreSQL: write throughput and CSV export of N articles.

    python benchmarks/bench_store_backends.py [--n 10000] [--seed-articles 50] [--pg URL]

Audits ``--seed-articles`` real PolNeAR texts once, then stores clones of their results
under new article ids through ``Store.save`` (the path a run uses, 500 articles a batch)
into a fresh SQLite file and into a fresh schema of the PostgreSQL database at ``--pg``
(default ``$NEWSAUDIT_TEST_POSTGRES`` or ``postgresql://newsaudit@127.0.0.1:5432/newsaudit_test``;
``bash .ci/postgres.sh`` starts one; the schema is dropped afterwards). Prints for each
backend: articles stored per second, and the wall time of
``newsaudit export --format csv`` (start-up included; goal under 10 s for 10,000 articles).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402

DEFAULT_PG = "postgresql://newsaudit@127.0.0.1:5432/newsaudit_test"


def fill(db: str, pairs: list, n: int) -> float:
    """Store n articles (clones of ``pairs``); returns articles per second."""
    from audit.store import Store

    t0 = time.perf_counter()
    with Store(db) as store:
        _corpus.store_clones(store, pairs, n)
        assert store.count_articles() == n
    return n / (time.perf_counter() - t0)


def export_seconds(db: str, out: Path) -> float:
    exe = Path(sys.executable).with_name("newsaudit")
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "audit.cli"]
    t0 = time.perf_counter()
    subprocess.run(cli + ["export", "--format", "csv", "--out", str(out), "--db", db], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000, help="articles in each store")
    ap.add_argument("--seed-articles", type=int, default=50, help="real texts audited once, then cloned")
    ap.add_argument("--pg", default=os.environ.get("NEWSAUDIT_TEST_POSTGRES") or DEFAULT_PG,
                    help="PostgreSQL URL (a schema is created in it and dropped afterwards)")
    args = ap.parse_args(argv)
    _corpus.corpus_files()
    import psycopg

    pairs = _corpus.audited(args.seed_articles)
    schema = "bench_" + uuid.uuid4().hex[:12]
    libpq = args.pg.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(libpq, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            targets = {
                "sqlite": str(Path(tmp) / "bench.db"),
                "postgresql": args.pg + ("&" if "?" in args.pg else "?") + f"options=-csearch_path%3D{schema}",
            }
            for name, db in targets.items():
                rate = fill(db, pairs, args.n)
                secs = export_seconds(db, Path(tmp) / f"out-{name}")
                print(f"{name:>10}: {args.n} articles stored at {rate:,.0f} articles/s; "
                      f"newsaudit export --format csv {secs:.2f} s (goal < 10 s)")
    finally:
        from audit.store import dispose_engines

        dispose_engines()
        with psycopg.connect(libpq, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
