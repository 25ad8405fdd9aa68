"""Peak memory of a run: the audit of N articles, each size in its own child process.

    python benchmarks/bench_memory.py [--sizes 1000 10000] [--workers 1] [--bare]

Each child audits N PolNeAR texts (repeated past 941, each copy with its own id) from a
JSONL corpus in a temp dir into a fresh temporary store, exactly as ``newsaudit run``
does. The parent reads the child's peak resident set size from ``os.wait4`` (the child's
own ``ru_maxrss``; with ``--workers`` > 1 the pool's worker processes are measured too,
through the child's ``RUSAGE_CHILDREN``). A baseline child that only loads the spaCy
pipeline shows the fixed cost; with ``--bare`` a child that only parses the same texts with
``nlp.pipe`` (batches of 16) shows spaCy's own peak at each size, which grows with the
longest batch met, so the audit's own share can be read apart. Goal: flat in N (streaming),
under 1.5 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402


def _child(n: int, workers: int) -> dict:
    from audit.nlp import load_nlp

    load_nlp()
    stored = 0
    t0 = time.perf_counter()
    if n:
        from audit.pipeline import run_audit
        from audit.store import Store

        with tempfile.TemporaryDirectory() as tmp:
            path = _corpus.write_jsonl(Path(tmp) / "corpus.jsonl", _corpus.texts(n))
            with Store(Path(tmp) / "bench.db") as store:
                run_audit([str(path)], store, workers=workers)
                stored = store.count_articles()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {"stored": stored, "seconds": time.perf_counter() - t0, "workers_peak_kib": kids}


def _child_bare(n: int) -> dict:
    """Only the parse: ``nlp.pipe`` over the same texts in batches of 16, as the run parses them
    (spaCy's own working memory grows with the tokens of a batch)."""
    from audit.nlp import load_nlp

    nlp = load_nlp()
    t0 = time.perf_counter()
    count = sum(1 for _ in nlp.pipe(_corpus.texts(n), batch_size=16))
    return {"stored": count, "seconds": time.perf_counter() - t0, "workers_peak_kib": 0}


def _measure(n: int, workers: int, bare: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--child", str(n), "--workers", str(workers)] + (["--bare"] if bare else [])
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(cmd, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            sys.exit(f"child for N={n} failed with exit code {proc.returncode}")
        out.seek(0)
        res = json.loads(out.read().strip().splitlines()[-1])
    res["peak_mib"] = max(usage.ru_maxrss, res["workers_peak_kib"]) / 1024
    res["main_peak_mib"] = usage.ru_maxrss / 1024
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="article counts")
    ap.add_argument("--workers", type=int, default=1, help="processes for the run")
    ap.add_argument("--bare", action="store_true",
                    help="also measure a bare nlp.pipe of the same texts (spaCy's own peak) at each size")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        print(json.dumps(_child_bare(args.child) if args.bare else _child(args.child, args.workers)))
        return 0

    _corpus.corpus_files()
    print(f"peak RSS of `newsaudit run` (workers={args.workers}), one child process per size")
    base = _measure(0, args.workers)
    print(f"  pipeline loaded, nothing audited: {base['peak_mib']:7.0f} MiB")
    peaks = []
    for n in args.sizes:
        r = _measure(n, args.workers)
        peaks.append(r["peak_mib"])
        print(f"  {n:6d} articles: peak {r['peak_mib']:7.0f} MiB (main process {r['main_peak_mib']:.0f} MiB), "
              f"{r['stored']} stored in {r['seconds']:.0f} s; goal < 1536 MiB")
        if args.bare:
            b = _measure(n, args.workers, bare=True)
            print(f"  {n:6d} articles, bare nlp.pipe of the same texts (batch size 16): peak {b['peak_mib']:7.0f} MiB "
                  f"(the audit adds {r['peak_mib'] - b['peak_mib']:.0f} MiB)")
    if len(peaks) >= 2:
        print(f"  ratio largest/smallest size: {peaks[-1] / peaks[0]:.2f} (goal: flat, ~1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
