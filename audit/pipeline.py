"""``newsaudit run`` as a library function: ingest → parse → analyse → store, streaming.

Inputs are read lazily, articles already audited with the current analyzer version are
skipped before they are parsed, results are written in small transactional batches, and
a bad input is recorded with its reason while the rest of the batch carries on.

``RunWriter`` is what every run path (one process, a process pool, a Dask cluster) writes
through: audited articles, the inputs that failed and the inputs read as an article already
stored (aliases) go into the store together, one transaction per batch, as they happen.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import ANALYZER_VERSION
from .analyze import DEFAULT_SENTIMENT_ENGINE, analyze_articles
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


def _chunks(items: Iterable, n: int) -> Iterator[list]:
    buf = []
    for it in items:
        buf.append(it)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def run_audit(
    inputs: Iterable[str] | Iterable[Article | IngestError],
    store: Store,
    *,
    workers: int = 1,
    force: bool = False,
    batch_size: int = 16,
    commit_every: int = 32,
    sentiment_engine: str = DEFAULT_SENTIMENT_ENGINE,
    allow_private: bool = False,
    on_article: Callable[[Article | None, str | None], None] | None = None,
) -> RunReport:
    """Audit ``inputs`` (paths, URLs, ``-``, or ready ``Article``s) into ``store``.

    ``on_article(article, error)`` is called once per input item (for progress bars).
    """
    report = RunReport()
    writer = RunWriter(store, report, commit_every)
    seen: set[str] = set()
    items = list(inputs) if not isinstance(inputs, Iterator) else inputs

    def source() -> Iterator[Article | IngestError]:
        for it in items:
            if isinstance(it, (Article, IngestError)):
                yield it
            else:
                from .ingest import iter_inputs

                yield from iter_inputs([it], allow_private=allow_private)

    def todo() -> Iterator[Article]:
        for chunk in _chunks(source(), 64):
            arts = [a for a in chunk if isinstance(a, Article)]
            versions = {} if force else store.audited_versions([a.id for a in arts])
            for it in chunk:
                if isinstance(it, IngestError):
                    writer.failed(it.origin, it.reason)
                    if on_article:
                        on_article(None, str(it))
                    continue
                if not it.text.strip():
                    writer.failed(it.origin or it.id, "empty article: no body text")
                    if on_article:
                        on_article(None, f"{it.origin or it.id}: empty article: no body text")
                    continue
                if it.id in seen or versions.get(it.id) == ANALYZER_VERSION:
                    writer.same(it)
                    if on_article:
                        on_article(it, None)
                    continue
                seen.add(it.id)
                yield it

    for art, res, err in analyze_articles(todo(), workers=workers, batch_size=batch_size,
                                          sentiment_engine=sentiment_engine):
        if err:
            writer.failed(art.origin or art.id, err)
        else:
            writer.audited(art, res)
        if on_article:
            on_article(art, err)
    writer.flush()
    return report
