"""Where a run's batches are parsed and analysed: this process, or a pool of processes.

An executor is what ``audit.pipeline.run_audit(items, store, executor=...)`` runs on. It
reads the inputs, hands every item to the run's rules (``Run.admit``: skip, dedupe, empty
body) and every outcome to the run (``Run.done`` / ``Run.failed``); it never decides itself
what is audited or how an outcome is written. Each batch is analysed by
``audit.analyze.analyze_batch``, whatever the executor:

- ``Local()``: batch after batch in this process;
- ``ProcessPool(workers)``: batches in a pool of worker processes (each loads the spaCy
  pipeline once), results in input order, at most ``2 * workers`` batches in flight;
- ``audit.distributed.Dask(scheduler)``: partitions on a Dask cluster.

``analyze_articles`` is the analysis stream without a store (``evaluate``, benchmarks).
"""
from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator

from .analyze import DEFAULT_SENTIMENT_ENGINE, analyze_batch, resolve_engine
from .findings import AuditResult
from .ingest.article import Article, IngestError

READ_AHEAD = 64     # inputs read (and checked against the store) at a time


def batched(items: Iterable, n: int) -> Iterator[list]:
    """``items`` in lists of ``n`` (the last one shorter), lazily."""
    buf: list = []
    for it in items:
        buf.append(it)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def read_items(items: Iterable, *, allow_private: bool = False) -> Iterator[Article | IngestError]:
    """Ready ``Article``/``IngestError`` objects as they are; anything else (a path, a URL,
    ``-``) read with ``audit.ingest.iter_inputs``."""
    for it in items:
        if isinstance(it, (Article, IngestError)):
            yield it
        else:
            from .ingest import iter_inputs

            yield from iter_inputs([it], allow_private=allow_private)


class InOrder:
    """An executor that reads the inputs here and streams results back in input order."""

    def commit_every(self, every: int, *, batch_size: int) -> int:
        """Items per store transaction (the run's own ``commit_every``)."""
        return every

    def analyze(self, articles: Iterable[Article], *, batch_size: int,
                sentiment_engine: str) -> Iterator[tuple[Article, AuditResult | None, str | None]]:
        raise NotImplementedError

    def run(self, items, run, *, batch_size: int, sentiment_engine: str, allow_private: bool) -> None:
        """Read ``items``, let ``run`` admit them, analyse the admitted ones, report each outcome."""
        def todo() -> Iterator[Article]:
            for chunk in batched(read_items(items, allow_private=allow_private), READ_AHEAD):
                entries = [(it, isinstance(it, Article) and bool(it.text.strip())) for it in chunk]
                for pos in run.admit(entries):
                    yield chunk[pos]

        for art, res, err in self.analyze(todo(), batch_size=batch_size, sentiment_engine=sentiment_engine):
            run.done(art, res, err)


_settled = False


def _settle_long_lived() -> None:
    """Once per process, after its first batch (when the pipeline, the word lists and the
    models have been loaded): collect, then freeze what is left, so that the collector's full
    passes no longer walk it (one such pass over the loaded pipeline and word lists took about
    0.25 s, a twentieth of the parse of 40 articles). Frozen objects are still freed when no
    longer referenced; only cycles among them are never collected."""
    global _settled
    if _settled:
        return
    import gc

    _settled = True
    gc.collect()
    gc.freeze()


class Local(InOrder):
    """Batch after batch, in this process."""

    def analyze(self, articles, *, batch_size, sentiment_engine):
        for batch in batched(articles, batch_size):
            yield from analyze_batch(batch, sentiment_engine)
            _settle_long_lived()


def _worker_init():
    import gc

    from .nlp import load_nlp

    load_nlp()
    # what the worker inherited or loaded (the pipeline, word lists) lives as long as it does:
    # the collector need not walk it again (and, after a fork, leaves its pages shared)
    gc.freeze()


def _worker_run(args):
    """One batch in a worker: ``(result, error)`` per article, in order. The articles are not
    sent back (the parent has them): only the findings cross the process boundary."""
    batch, engine = args
    return [(res, err) for _art, res, err in analyze_batch(batch, engine)]


class ProcessPool(InOrder):
    """Batches in a pool of ``workers`` processes; memory stays bounded: articles are
    consumed lazily and at most ``2 * workers`` batches are in flight."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)

    def analyze(self, articles, *, batch_size, sentiment_engine):
        from collections import deque

        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(self.workers, initializer=_worker_init) as pool:
            pending: deque = deque()  # (batch, its async result), oldest first

            def done():
                batch, res = pending.popleft()
                for art, (result, err) in zip(batch, res.get()):
                    yield art, result, err

            for batch in batched(articles, batch_size):  # Pool.imap would drain the input eagerly
                pending.append((batch, pool.apply_async(_worker_run, ((batch, sentiment_engine),))))
                while len(pending) >= 2 * self.workers:
                    yield from done()
            while pending:
                yield from done()


def executor_for(workers: int = 1) -> InOrder:
    """``Local()`` for one worker, else ``ProcessPool(workers)``."""
    return Local() if workers <= 1 else ProcessPool(workers)


def analyze_articles(
    articles: Iterable[Article],
    *,
    workers: int = 1,
    batch_size: int = 16,
    sentiment_engine: str | None = DEFAULT_SENTIMENT_ENGINE,
) -> Iterator[tuple[Article, AuditResult | None, str | None]]:
    """Yield ``(article, result, error)`` for each article, in input order, with no store and
    no skipping (``evaluate``, benchmarks); ``workers > 1`` runs a process pool."""
    engine = resolve_engine(sentiment_engine)
    yield from executor_for(workers).analyze(articles, batch_size=batch_size, sentiment_engine=engine)
