"""Distributed audits: articles/s on 1 and 2 Dask workers, and the client's peak memory.

    python benchmarks/bench_dask.py [--n 200] [--batch-size 16] [--workers 1 2] [--sizes 200 400]

For each worker count P it starts a real cluster with Dask's own commands (``dask
scheduler`` and ``dask worker --nworkers P --nthreads 1``, as on several machines), waits
until every worker has loaded the spaCy pipeline, then runs ``run_distributed`` in a fresh
client process on a JSONL corpus of N PolNeAR texts (``benchmarks/_corpus.py``, read from
../shared) into a fresh SQLite store, and prints:

- articles/s for P = 1 and 2, and their ratio (goal >= 1.8 on 2 cores); the pipeline load
  happens before the clock starts, in both cases alike;
- the client's peak RSS (``ru_maxrss`` of the client process only: the scheduler and the
  workers are other processes) for each corpus size of ``--sizes`` with the largest P:
  bounded memory means it does not grow with the corpus (results are written to the
  store as they come back, a bounded number of partitions at a time).

Other load on the machine (other jobs on the same cores) lowers the ratio: the load
average is printed with the results.
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


def _child(n: int, batch_size: int, scheduler_file: str, corpus: str) -> dict:
    from distributed import Client

    from audit.distributed import run_distributed
    from audit.store import Store

    with Client(scheduler_file=scheduler_file) as client:  # only to learn the address
        address = client.scheduler.address
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        t0 = time.perf_counter()
        report = run_distributed([corpus], store, scheduler=address, batch_size=batch_size)
        seconds = time.perf_counter() - t0
        stored = store.count_articles()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"articles": stored, "seconds": seconds, "errors": len(report.errors), "peak_mib": peak_kib / 1024}


def _wait_for_workers(scheduler_file: str, n: int) -> None:
    """Block until ``n`` workers are up and have loaded the pipeline (a warm-up task each)."""
    from distributed import Client

    from audit.distributed import _warm

    deadline = time.time() + 300
    while not Path(scheduler_file).exists():
        if time.time() > deadline:
            raise SystemExit("the dask scheduler did not start")
        time.sleep(0.2)
    with Client(scheduler_file=scheduler_file) as client:
        client.wait_for_workers(n, timeout=300)
        client.run(_warm, "lexicon" if os.environ.get("NEWSAUDIT_SENTIMENT") == "lexicon" else _engine())


def _engine() -> str:
    from audit.analyze import resolve_engine

    return resolve_engine(None)


def _measure(n: int, batch_size: int, workers: int, corpus: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        sfile = str(Path(tmp) / "scheduler.json")
        procs = [subprocess.Popen(["dask", "scheduler", "--port", "0", "--dashboard-address", ":0",
                                   "--scheduler-file", sfile], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        try:
            procs.append(subprocess.Popen(["dask", "worker", "--scheduler-file", sfile, "--nworkers", str(workers),
                                           "--nthreads", "1", "--no-dashboard"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            _wait_for_workers(sfile, workers)
            cmd = [sys.executable, __file__, "--child", "--n", str(n), "--batch-size", str(batch_size),
                   "--scheduler-file", sfile, "--corpus", str(corpus)]
            out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in reversed(procs):
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
    res = json.loads(out.strip().splitlines()[-1])
    res["rate"] = res["articles"] / res["seconds"] if res["seconds"] else float("inf")
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="articles for the throughput runs")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker process counts")
    ap.add_argument("--sizes", type=int, nargs="*", default=[], help="extra corpus sizes for the client's peak RSS")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--scheduler-file", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.n, args.batch_size, args.scheduler_file, args.corpus)))
        return 0
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise SystemExit("this benchmark needs Dask: pip install 'newsaudit[dask]'") from None
    _corpus.corpus_files()
    print(f"dask: {args.n} PolNeAR articles (JSONL), batch size {args.batch_size}, {os.cpu_count()} CPUs "
          f"(load average {os.getloadavg()[0]:.1f} at start)")
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        sizes = sorted({args.n, *args.sizes})
        corpora = {n: _corpus.write_jsonl(Path(tmp) / f"corpus{n}.jsonl", _corpus.texts(n)) for n in sizes}
        for p in args.workers:
            r = _measure(args.n, args.batch_size, p, corpora[args.n])
            rates[p] = r["rate"]
            print(f"  {p} worker(s): {r['rate']:6.2f} articles/s ({r['articles']} stored in {r['seconds']:.1f} s, "
                  f"{r['errors']} errors) | client peak RSS {r['peak_mib']:.0f} MiB")
        for n in sizes:
            if n == args.n:
                continue
            r = _measure(n, args.batch_size, max(args.workers), corpora[n])
            print(f"  {n} articles on {max(args.workers)} worker(s): client peak RSS {r['peak_mib']:.0f} MiB "
                  f"({r['rate']:.2f} articles/s)")
    if 1 in rates and 2 in rates:
        print(f"  2 workers vs 1: {rates[2] / rates[1]:.2f}x (goal >= 1.8); load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
