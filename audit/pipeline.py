"""``newsaudit run`` as a library function: ingest → parse → analyse → store, streaming.

Inputs are read lazily, articles already audited with the current analyzer version are
skipped before they are parsed, results are written in small transactional batches, and
a bad input is recorded with its reason while the rest of the batch carries on.
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
                    report.errors.append((it.origin, it.reason))
                    if on_article:
                        on_article(None, str(it))
                    continue
                if not it.text.strip():
                    report.errors.append((it.origin or it.id, "empty article: no body text"))
                    if on_article:
                        on_article(None, f"{it.origin or it.id}: empty article: no body text")
                    continue
                if it.id in seen or versions.get(it.id) == ANALYZER_VERSION:
                    report.skipped += 1
                    if on_article:
                        on_article(it, None)
                    continue
                seen.add(it.id)
                yield it

    pending = []
    for art, res, err in analyze_articles(todo(), workers=workers, batch_size=batch_size,
                                          sentiment_engine=sentiment_engine):
        if err:
            report.errors.append((art.origin or art.id, err))
        else:
            pending.append((art, res))
            report.audited.append((art.id, art.title or art.origin))
        if on_article:
            on_article(art, err)
        if len(pending) >= commit_every:
            store.save(pending)
            pending = []
    if pending:
        store.save(pending)
    store.record_errors(report.errors)
    return report
