"""Throughput: the full ``newsaudit run`` path against bare ``nlp.pipe`` on the same texts.

    python benchmarks/bench_throughput.py [--n 300] [--batch-size 16] [--workers 1 2]

For each process count P it times, on the same N PolNeAR texts:

- bare spaCy: ``nlp.pipe(texts, batch_size=B, n_process=P)`` with the project's pipeline
  (``audit.nlp.load_nlp()``), consuming every ``Doc``;
- the full audit: ``run_audit`` into a fresh temporary SQLite store with ``workers=P``
  (ingest of a JSONL corpus written to a temp dir, every analyzer, the store's writes);

and prints articles/s for both, their ratio (goal ≥ 0.85), and the audit's P=2 vs P=1
speed-up (goal ≥ 1.7). Each measurement runs in its own child process, so model loading,
caches and memory of one cannot help another; the pipeline load is excluded from the
timings (it happens before the clock starts in both cases; with P > 1 the worker pools
load it as part of the run, in both cases alike).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402


def _child_bare(n: int, batch_size: int, procs: int) -> dict:
    from audit.nlp import load_nlp

    texts = _corpus.texts(n)
    nlp = load_nlp()
    list(nlp.pipe(texts[:4]))  # warm up (lazy tables), as the audit's first batch would
    t0 = time.perf_counter()
    count = 0
    for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=procs):
        count += 1
    return {"articles": count, "seconds": time.perf_counter() - t0}


def _child_audit(n: int, batch_size: int, procs: int, via: str) -> dict:
    from audit.ingest.article import Article
    from audit.nlp import load_nlp
    from audit.pipeline import run_audit
    from audit.store import Store

    texts = _corpus.texts(n)
    load_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        if via == "jsonl":
            inputs = [str(_corpus.write_jsonl(Path(tmp) / "corpus.jsonl", texts))]
        else:
            inputs = [Article.build(t, origin=f"bench:{i}") for i, t in enumerate(texts)]
        # warm up the analyzers' lazily loaded word lists, outside the timed store
        with Store(Path(tmp) / "warm.db") as warm:
            run_audit([Article.build(texts[0] + "\n\n(Warm-up.)")], warm)
        with Store(Path(tmp) / "bench.db") as store:
            t0 = time.perf_counter()
            report = run_audit(inputs, store, workers=procs, batch_size=batch_size)
            seconds = time.perf_counter() - t0
            stored = store.count_articles()
    if report.errors:
        print(f"warning: {len(report.errors)} errors, first: {report.errors[0]}", file=sys.stderr)
    return {"articles": stored, "seconds": seconds, "errors": len(report.errors)}


def _measure(kind: str, n: int, batch_size: int, procs: int, via: str) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--n", str(n), "--batch-size", str(batch_size),
           "--procs", str(procs), "--via", via]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    res = json.loads(out.strip().splitlines()[-1])
    res["rate"] = res["articles"] / res["seconds"] if res["seconds"] else float("inf")
    return res


def _ingest_available() -> bool:
    try:
        from audit.ingest import iter_inputs  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=300, help="articles (PolNeAR texts, repeated past 941)")
    ap.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size for both")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    ap.add_argument("--via", choices=("jsonl", "articles"), default="jsonl",
                    help="audit input: a JSONL corpus file (the CLI path) or ready Article objects")
    ap.add_argument("--child", choices=("bare", "audit"), help=argparse.SUPPRESS)
    ap.add_argument("--procs", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        fn = _child_bare if args.child == "bare" else _child_audit
        extra = () if args.child == "bare" else (args.via,)
        print(json.dumps(fn(args.n, args.batch_size, args.procs, *extra)))
        return 0

    _corpus.corpus_files()  # exits with a clear message when the corpus is absent
    via = args.via
    if via == "jsonl" and not _ingest_available():
        print("note: audit.ingest.iter_inputs is not available; auditing Article objects instead", file=sys.stderr)
        via = "articles"
    print(f"throughput: {args.n} PolNeAR articles, batch size {args.batch_size}, audit input via {via}, "
          f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f} at start)")
    audit_rates = {}
    for p in args.workers:
        bare = _measure("bare", args.n, args.batch_size, p, via)
        audit = _measure("audit", args.n, args.batch_size, p, via)
        audit_rates[p] = audit["rate"]
        print(f"  {p} process(es): bare nlp.pipe {bare['rate']:7.2f} art/s ({bare['seconds']:.1f} s) | "
              f"newsaudit run {audit['rate']:7.2f} art/s ({audit['seconds']:.1f} s, {audit['articles']} stored) | "
              f"ratio {audit['rate'] / bare['rate']:.2f} (goal >= 0.85)")
    if 1 in audit_rates and 2 in audit_rates:
        print(f"  newsaudit run --workers 2 vs --workers 1: {audit_rates[2] / audit_rates[1]:.2f}x (goal >= 1.7)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
