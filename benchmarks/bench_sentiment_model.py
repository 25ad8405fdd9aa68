"""Cost of the learned sentiment engine relative to the bare spaCy parse, in one process.

    python benchmarks/bench_sentiment_model.py [--gold ../shared/eval/sentiment/newsmtsc_rw_dev.jsonl ...]
        [--batch-size 32] [--repeat 3] [--articles 100]

1. Sentences: reads the sentences and targets of NewsMTSC dev files (or, without them, the
   seed article's sentences with each PERSON/ORG entity as a target), then times, on the
   same sentences:
     * the bare parse: ``nlp.pipe(sentences)`` with the project's pipeline;
     * the model engine: ``predict_targets`` over every target (one call, default batching).
2. Articles (``--articles N`` PolNeAR texts from ../shared, 0 to skip): the bare parse of
   the articles against the time the audit itself spends in the model engine on them
   (``analyze_docs`` over batches of 16 articles with ``sentiment_engine="model"``, every
   ``predict_targets`` call timed: one prediction per actor per sentence, batched across the
   articles of a batch, as a real run makes them).
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
    ap.add_argument("--articles", type=int, default=100,
                    help="also measure inside real audits of N PolNeAR articles (0: skip)")
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
    if args.articles:
        articles_ratio(nlp, args.articles)
    return 0


def articles_ratio(nlp, n: int) -> None:
    """Model-engine time inside real audits of ``n`` PolNeAR articles, against their parse."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _corpus

    from audit.analyze import analyze_docs
    from audit.analyzers import sentiment_model as sm
    from audit.ingest.article import Article

    try:
        texts = _corpus.texts(n)
    except SystemExit:
        print("articles: the PolNeAR corpus in ../shared is absent; skipped")
        return
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    t_parse = time.perf_counter() - t0
    spent = {"seconds": 0.0, "targets": 0}
    real = sm.predict_targets

    def timed(items, **kw):
        t = time.perf_counter()
        try:
            return real(items, **kw)
        finally:
            spent["seconds"] += time.perf_counter() - t
            spent["targets"] += len(items)

    sm.predict_targets = timed
    try:  # in batches of 16 articles, as `newsaudit run` analyses them
        for b in range(0, len(docs), 16):
            analyze_docs([(docs[i], Article.build(texts[i], origin=f"bench:{i}"), ())
                          for i in range(b, min(b + 16, len(docs)))], sentiment_engine="model")
    finally:
        sm.predict_targets = real
    sentences = sum(1 for d in docs for _ in d.sents)
    print(f"articles: {n} PolNeAR articles, {sentences} sentences, {spent['targets']} actor-sentence predictions")
    print(f"  bare spaCy parse {t_parse:.2f}s | model engine inside the audit {spent['seconds']:.2f}s "
          f"({spent['targets'] / max(spent['seconds'], 1e-9):.0f} targets/s)")
    print(f"  ratio model / parse on articles: {spent['seconds'] / t_parse:.2f}  (goal <= 0.50)")


if __name__ == "__main__":
    raise SystemExit(main())
