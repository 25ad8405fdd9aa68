"""Cost of the learned sentiment engine relative to the bare spaCy parse, in one process.

    python benchmarks/bench_sentiment_model.py [--gold ../shared/eval/sentiment/newsmtsc_rw_dev.jsonl ...]
        [--batch-size 32] [--repeat 3] [--threads 0]

Reads the sentences and targets of NewsMTSC dev files (or, without them, the seed article's
sentences with each PERSON/ORG entity as a target), then times, on the same sentences:
  * the bare parse: ``nlp.pipe(sentences)`` with the project's pipeline;
  * the model engine: ``predict_targets`` over every target (one call, default batching).
Loading (spaCy model, ONNX session) is done once before timing and reported apart.
Prints targets/second and model time / parse time (best of ``--repeat`` runs each).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = [
    ROOT.parent / "shared" / "eval" / "sentiment" / "newsmtsc_rw_dev.jsonl",
    ROOT.parent / "shared" / "eval" / "sentiment" / "newsmtsc_mt_dev.jsonl",
]


def load_items(gold: list[Path]):
    sentences, items = [], []
    for p in gold:
        if not p.is_file():
            continue
        for line in p.open(encoding="utf-8"):
            d = json.loads(line)
            sentences.append(d["text"])
            items.extend((d["text"], tuple(t["span"])) for t in d["targets"])
    return sentences, items


def seed_items(nlp):
    text = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    doc = nlp(text)
    sentences, items = [], []
    for s in doc.sents:
        sentences.append(s.text)
        for e in s.ents:
            if e.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                items.append((s.text, (e.start_char - s.start_char, e.end_char - s.start_char)))
    return sentences, items


def best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, nargs="*", default=DEFAULT_GOLD)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from audit.analyzers import sentiment_model as sm
    from audit.nlp import load_nlp

    t0 = time.perf_counter()
    nlp = load_nlp()
    t_nlp_load = time.perf_counter() - t0
    sentences, items = load_items(args.gold)
    source = "NewsMTSC dev"
    if not items:
        sentences, items = seed_items(nlp)
        source = "seed article"
    t0 = time.perf_counter()
    sm.predict_targets(items[:2])  # loads the session
    t_model_load = time.perf_counter() - t0

    t_parse = best_of(args.repeat, lambda: list(nlp.pipe(sentences, batch_size=64)))
    t_model = best_of(args.repeat, lambda: sm.predict_targets(items, batch_size=args.batch_size))
    print(f"data: {source}: {len(sentences)} sentences, {len(items)} targets")
    print(f"load: spaCy {t_nlp_load:.2f}s, ONNX model {t_model_load:.2f}s (once per process)")
    print(f"bare spaCy parse: {t_parse:.2f}s ({len(sentences) / t_parse:.0f} sentences/s)")
    print(f"model engine:     {t_model:.2f}s ({len(items) / t_model:.0f} targets/s, batch {args.batch_size})")
    print(f"ratio model / parse: {t_model / t_parse:.2f}  (goal <= 0.50)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
