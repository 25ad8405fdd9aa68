"""``newsaudit run`` as a library function: ingest → parse → analyse → store, streaming.

Inputs are read lazily, articles already audited with the current analyzer version are
skipped before they are parsed, results are written in small transactional batches, and
a bad input is recorded with its reason while the rest of the batch carries on.

``run_audit(items, store, executor=...)`` is the one run engine: the executor (one process,
a process pool, a Dask cluster; ``audit.executors``, ``audit.distributed``) reads and
analyses, ``Run`` decides what is audited and records every outcome.

``RunWriter`` is what every run path (one process, a process pool, a Dask cluster) writes
through: audited articles, the inputs that failed and the inputs read as an article already
stored (aliases) go into the store together, one transaction per batch, as they happen.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import ANALYZER_VERSION
from .analyze import DEFAULT_SENTIMENT_ENGINE, resolve_engine
from .executors import executor_for
from .ingest.article import Article, IngestError
from .store import Store


@dataclass
class RunReport:
    audited: list[tuple[str, str]] = field(default_factory=list)    # (article_id, title or origin)
    skipped: int = 0                                                 # already audited, same version
    errors: list[tuple[str, str]] = field(default_factory=list)     # (origin, reason)

    @property
    def ok(self) -> bool:
        return bool(self.audited) or (self.skipped > 0)


class RunWriter:
    """Buffers a run's outcomes and writes them to ``store`` in batches of ``every`` items,
    each batch (articles, errors, aliases) in one transaction; also fills ``report``.

    ``audited(article, result)``: an audited article; ``failed(origin, reason)``: an input
    that could not be audited; ``same(article)``: an input whose article is already stored
    (or audited earlier in the run), kept as an alias of it; ``flush()`` writes the batch.
    """

    def __init__(self, store: Store, report: RunReport, every: int = 32):
        self.store, self.report, self.every = store, report, max(1, every)
        self._pairs: list = []
        self._errors: list[tuple[str, str]] = []
        self._same: list[Article] = []

    def audited(self, article: Article, result) -> None:
        self.report.audited.append((article.id, article.title or article.origin))
        self._pairs.append((article, result))
        self._check()

    def failed(self, origin: str, reason: str) -> None:
        self.report.errors.append((origin, reason))
        self._errors.append((origin, reason))
        self._check()

    def same(self, article: Article) -> None:
        self.report.skipped += 1
        self._same.append(article)
        self._check()

    def _check(self) -> None:
        if len(self._pairs) + len(self._errors) + len(self._same) >= self.every:
            self.flush()

    def flush(self) -> None:
        if self._pairs or self._errors or self._same:
            pairs, errors, same = self._pairs, self._errors, self._same
            self._pairs, self._errors, self._same = [], [], []
            self.store.save(pairs, errors=errors, aliases=same)


class ExecutorUnavailable(RuntimeError):
    """The executor asked for cannot run here (e.g. Dask is not installed, or its scheduler
    cannot be reached); the message says why."""


class Run:
    """One run's rules and outcomes, whichever executor does the work.

    ``admit(entries)``: which inputs are audited (the skip, dedupe and empty-body rules, the
    only place they are written); ``done(article, result, error)``: one analysed article;
    ``failed(origin, reason)``: an input that could not be audited. Everything is written
    through ``writer`` (a ``RunWriter``) and reported to ``on_article(article, error)``.
    """

    def __init__(self, store: Store, report: RunReport, *, force: bool = False, every: int = 32,
                 on_article: Callable[[Article | None, str | None], None] | None = None):
        self.store, self.force, self.on_article = store, force, on_article
        self.writer = RunWriter(store, report, every)
        self.seen: set[str] = set()

    def tick(self, article: Article | None, error: str | None) -> None:
        if self.on_article:
            self.on_article(article, error)

    def admit(self, entries: list[tuple[Article | IngestError, bool]]) -> Iterator[int]:
        """The positions in ``entries`` to audit, in input order, lazily (the rules are applied
        as it is iterated). ``entries`` are ``(item, has_text)``: ``item`` an ``IngestError``
        or an ``Article`` (possibly a stub with only its id, title and origin, ``has_text``
        telling whether its body has text). An error or an empty body is a failure; an article
        already stored with this analyzer version (unless ``force``) or met earlier in the run
        is kept as an alias of the stored one; the rest are admitted."""
        ids = [it.id for it, _ in entries if isinstance(it, Article)]
        versions = {} if self.force else self.store.audited_versions(ids)
        for pos, (it, has_text) in enumerate(entries):
            if isinstance(it, IngestError):
                self.failed(it.origin, it.reason)
            elif not has_text:
                self.failed(it.origin or it.id, "empty article: no body text")
            elif it.id in self.seen or versions.get(it.id) == ANALYZER_VERSION:
                self.writer.same(it)
                self.tick(it, None)
            else:
                self.seen.add(it.id)
                yield pos

    def failed(self, origin: str, reason: str, article: Article | None = None) -> None:
        self.writer.failed(origin, reason)
        self.tick(article, f"{origin}: {reason}")

    def done(self, article: Article, result, error: str | None) -> None:
        if error:
            self.writer.failed(article.origin or article.id, error)
        else:
            self.writer.audited(article, result)
        self.tick(article, error)

    def flush(self) -> None:
        self.writer.flush()


def run_audit(
    inputs: Iterable[str] | Iterable[Article | IngestError],
    store: Store,
    *,
    executor=None,
    workers: int = 1,
    force: bool = False,
    batch_size: int = 16,
    commit_every: int = 32,
    sentiment_engine: str = DEFAULT_SENTIMENT_ENGINE,
    allow_private: bool = False,
    on_article: Callable[[Article | None, str | None], None] | None = None,
) -> RunReport:
    """Audit ``inputs`` (paths, URLs, ``-``, or ready ``Article``s) into ``store``.

    ``executor``: where the work runs (``audit.executors.Local()``, ``ProcessPool(n)``,
    ``audit.distributed.Dask(scheduler)``); default ``Local()``, or ``ProcessPool(workers)``
    when ``workers > 1``. ``on_article(article, error)`` is called once per input item (for
    progress bars). Raises ``ExecutorUnavailable`` when the executor cannot run.
    """
    executor = executor or executor_for(workers)
    engine = resolve_engine(sentiment_engine)
    report = RunReport()
    run = Run(store, report, force=force, every=executor.commit_every(commit_every, batch_size=batch_size), on_article=on_article)
    items = list(inputs) if not isinstance(inputs, Iterator) else inputs
    executor.run(items, run, batch_size=batch_size, sentiment_engine=engine, allow_private=allow_private)
    run.flush()
    return report
