"""Where a full audit spends its time: every stage as a share of the parse, and the full audit
against bare ``nlp.pipe`` on the same PolNeAR texts, in one process.

    python benchmarks/bench_stages.py [--n 120] [--batch-size 16] [--sentiment model|lexicon]

1. Bare parse: ``nlp.pipe(texts)`` with the project's pipeline (warmed up first).
2. Full audit: ``run_audit`` over a JSONL corpus of the same texts into a fresh SQLite store
   (one process, the default or the given sentiment engine), with each stage's functions
   wrapped by a timer that counts *exclusive* time (a stage called inside another is not
   counted twice):
   ingest (``iter_inputs``), parse (tokenize + ``nlp.pipe`` inside the audit), encoder
   (``audit.encoder.encode``), each analyzer (actors, attribution, hedging, claims,
   borrowed reporting, sentiment, sentiment model when it is not the shared encoder),
   readability, summary scores, tables (``rows_for``), store (``Store.save`` less tables),
   and "other" (the rest of ``run_audit``: batching, skipping, bookkeeping).
Prints seconds and share of the audit's own parse time per stage, articles/s of both, and
the ratio full audit / bare ``nlp.pipe`` (goal >= 0.60; encoder <= 0.5x parse).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _corpus  # noqa: E402

_stack: list[list[float]] = []
TIMES: dict[str, float] = {}


def _wrap(name: str, fn):
    def timed(*a, **kw):
        t0 = time.perf_counter()
        _stack.append([0.0])
        try:
            res = fn(*a, **kw)
            if hasattr(res, "__next__"):  # a generator: consume it inside the timer
                res = list(res)
            return res
        finally:
            dt = time.perf_counter() - t0
            child = _stack.pop()[0]
            TIMES[name] = TIMES.get(name, 0.0) + dt - child
            if _stack:
                _stack[-1][0] += dt
    timed.__wrapped__ = fn
    return timed


def _patch(stage: str, module: str, attr: str) -> None:
    try:
        mod = importlib.import_module(module)
    except ImportError:  # a layer this checkout does not have
        return
    if hasattr(mod, attr):
        setattr(mod, attr, _wrap(stage, getattr(mod, attr)))


def instrument(nlp) -> None:
    """Wrap each stage's entry points (module attributes read at call time)."""
    _patch("parse", "audit.nlp", "tokenize")  # the parse limits' checks and the tokenizer
    nlp.pipe = _wrap("parse", nlp.pipe)
    _patch("encoder", "audit.encoder", "encode")
    _patch("actors", "audit.analyzers.actors", "find_actors")
    _patch("attribution", "audit.analyzers.attribution", "find_attributions")
    _patch("hedging", "audit.analyzers.hedging", "find_hedges")
    _patch("claims", "audit.analyzers.claims", "find_claims")
    _patch("borrowed reporting", "audit.analyzers.claims", "find_borrowed_reporting")
    _patch("sentiment", "audit.analyzers.sentiment", "actor_sentiments")
    _patch("sentiment", "audit.analyzers.sentiment", "model_inputs")
    _patch("sentiment", "audit.analyzers.sentiment", "model_requests")
    _patch("sentiment model", "audit.analyzers.sentiment", "predict_model_inputs")
    _patch("sentiment pair model", "audit.analyzers.sentiment_model", "predict_targets")
    for fn in ("doc_layout", "actor_profile", "portray"):  # imported by name into sentiment
        _patch("portrayal profile", "audit.analyzers.sentiment", fn)
    _patch("loaded language", "audit.analyzers.loaded", "find_loaded")
    _patch("loaded language", "audit.analyze", "_score_loaded")  # the scorer, batched per batch
    _patch("readability", "audit.analyzers.readability", "readability")
    _patch("summary scores", "audit.scores", "summarize")
    _patch("tables", "audit.store", "rows_for")
    import audit.store

    audit.store.Store.save = _wrap("store", audit.store.Store.save)
    import audit.ingest

    audit.ingest.iter_inputs = _wrap("ingest", audit.ingest.iter_inputs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--sentiment", choices=("model", "lexicon"), default=None,
                    help="sentiment engine (default: the run's default)")
    args = ap.parse_args(argv)
    _corpus.corpus_files()

    from audit.analyze import resolve_engine
    from audit.ingest.article import Article
    from audit.nlp import load_nlp
    from audit.pipeline import run_audit
    from audit.store import Store

    texts = _corpus.texts(args.n)
    engine = resolve_engine(args.sentiment)
    nlp = load_nlp()
    print(f"stages: {args.n} PolNeAR articles, batch size {args.batch_size}, sentiment engine {engine}, "
          f"1 process, {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f} at start)")
    with tempfile.TemporaryDirectory() as tmp:
        # warm-up: lazy word lists, ONNX sessions, spaCy tables
        with Store(Path(tmp) / "warm.db") as warm:
            run_audit([Article.build(texts[0] + "\n\n(Warm-up.)")], warm, sentiment_engine=engine)
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        bare = time.perf_counter() - t0

        corpus = str(_corpus.write_jsonl(Path(tmp) / "corpus.jsonl", texts))
        instrument(nlp)
        with Store(Path(tmp) / "bench.db") as store:
            t0 = time.perf_counter()
            report = run_audit([corpus], store, batch_size=args.batch_size, sentiment_engine=engine)
            full = time.perf_counter() - t0
            stored = store.count_articles()
    if report.errors:
        print(f"warning: {len(report.errors)} errors, first: {report.errors[0]}", file=sys.stderr)
    parse = TIMES.get("parse", 0.0) or 1e-9
    other = full - sum(TIMES.values())
    rows = sorted(TIMES.items(), key=lambda kv: -kv[1]) + [("other", other)]
    print(f"  {'stage':<20} {'seconds':>8} {'x parse':>8}")
    for name, sec in rows:
        print(f"  {name:<20} {sec:8.2f} {sec / parse:8.3f}")
    beyond = full - parse - sum(TIMES.get(k, 0.0) for k in ("encoder", "sentiment model", "sentiment pair model"))
    print(f"  everything but parse and learned model(s): {beyond:.2f} s = {beyond / parse:.3f}x parse (goal <= 0.15)")
    print(f"  bare nlp.pipe: {args.n / bare:.2f} art/s ({bare:.1f} s); full audit: {stored / full:.2f} art/s "
          f"({full:.1f} s, {stored} stored); ratio {(stored / full) / (args.n / bare):.3f} (goal >= 0.60)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
