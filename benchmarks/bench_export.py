"""CSV export of N audited articles: ``newsaudit export`` against bare pandas on the same tables.

    python benchmarks/bench_export.py [--n 10000] [--seed-articles 200]

Fills a temporary store quickly: audits ``--seed-articles`` real PolNeAR texts once, then
stores clones of their results under new article ids (through ``Store.save``, the path a
run uses) until the store holds N articles. Then times, each in a fresh subprocess:

- ``newsaudit export --format csv --out DIR --db STORE`` (start-up included), and
- a bare script: ``pandas.read_sql_query("SELECT * FROM <table>")`` + ``to_csv`` of the
  same eight tables, with no newsaudit import;

and prints both wall times and their ratio. Goal: the export under 10 s.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402

BARE = """
import sqlite3, sys, pandas as pd
conn = sqlite3.connect(sys.argv[1])
for t in sys.argv[3:]:
    pd.read_sql_query(f'SELECT * FROM "{t}"', conn).to_csv(f"{sys.argv[2]}/{t}.csv", index=False)
"""


def fill_store(path: Path, n: int, seed_articles: int) -> int:
    from audit.store import Store

    with Store(path) as store:
        _corpus.store_clones(store, _corpus.audited(seed_articles), n)
        return store.count_articles()


def _timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000, help="articles in the store")
    ap.add_argument("--seed-articles", type=int, default=200, help="real texts audited once, then cloned")
    ap.add_argument("--repeat", type=int, default=3, help="timings per command (median reported)")
    args = ap.parse_args(argv)
    _corpus.corpus_files()
    from reports.csv_export import CSV_TABLES

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        stored = fill_store(db, args.n, args.seed_articles)
        rows = {}
        import sqlite3

        with sqlite3.connect(db) as conn:
            for t in CSV_TABLES:
                rows[t] = conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
        print(f"export: store of {stored} articles ({args.seed_articles} audited, the rest cloned) "
              f"filled in {time.perf_counter() - t0:.0f} s; rows: "
              + ", ".join(f"{t} {c}" for t, c in rows.items()))
        exe = Path(sys.executable).with_name("newsaudit")
        cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "audit.cli"]
        ours, bare = [], []
        for i in range(args.repeat):
            out1, out2 = Path(tmp) / f"ours{i}", Path(tmp) / f"bare{i}"
            out2.mkdir()
            ours.append(_timed(cli + ["export", "--format", "csv", "--out", str(out1), "--db", str(db)]))
            bare.append(_timed([sys.executable, "-c", BARE, str(db), str(out2), *CSV_TABLES]))
            if i == 0:
                sizes = sum(p.stat().st_size for p in out1.glob("*.csv")) / 2**20
        o, b = statistics.median(ours), statistics.median(bare)
        print(f"  newsaudit export --format csv: {o:.2f} s (median of {args.repeat}; {sizes:.0f} MiB written; goal < 10 s)")
        print(f"  bare pandas read_sql + to_csv:  {b:.2f} s")
        print(f"  ratio newsaudit/bare: {o / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
