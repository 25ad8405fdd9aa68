"""Start-up: ``newsaudit --help`` wall time against ``python -c pass``, median of 10 runs each.

    python benchmarks/bench_startup.py [--repeat 10]

Goal: ``newsaudit --help`` under 0.5 s (the CLI must not import spaCy or pandas to answer).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _median_time(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args(argv)
    exe = Path(sys.executable).with_name("newsaudit")
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "audit.cli"]
    _median_time(cli + ["--help"], 1)  # warm the file cache
    ours = _median_time(cli + ["--help"], args.repeat)
    bare = _median_time([sys.executable, "-c", "pass"], args.repeat)
    print(f"start-up (median of {args.repeat}): newsaudit --help {ours:.3f} s (goal < 0.5 s) | "
          f"python -c pass {bare:.3f} s | ratio {ours / bare:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
