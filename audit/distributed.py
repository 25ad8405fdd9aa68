"""``newsaudit run --scheduler``: the Dask executor of ``run_audit`` (``executor=Dask(...)``).

The run's rules (skip, dedupe, empty body) and its writing are ``audit.pipeline.Run``'s, as
for every executor; this module only plans, ships and collects.

The client plans *partitions* and the workers do the work with the functions a local run
uses (``audit.ingest`` to read, ``audit.analyze.analyze_batch`` to parse and analyse);
the client writes the results into the store as they come back. Nothing here schedules,
retries or moves data by itself: Dask does, through ``Client.submit(..., retries=)`` and
``as_completed``.

Partitions, in input order:

- inputs every worker can read at the same absolute path (checked once per input, on every
  worker, by kind and size): whole files, several small files together, and line ranges of
  JSONL/CSV corpora (cut at record boundaries by byte offset, carrying the line number they
  start at, so origins read ``corpus.jsonl:1234`` exactly as in a local run). Each such
  partition is scanned by a worker first (ids only, ``_scan_partition``); the client drops
  ids the store already holds with this analyzer version (and repeats of an id earlier in
  the run), then asks a worker to re-read the partition and audit only the rest
  (``_audit_partition``): already-audited articles are never parsed nor shipped back;
- everything else (standard input, URLs, feeds, ready ``Article`` objects, paths the
  workers cannot see) is read by the client, filtered against the store the same way,
  and shipped to the workers in batches for ``analyze_batch``.

Memory stays bounded on the client: the inputs are planned lazily and at most
``window`` partitions (twice the cluster's worker threads) are scanned or audited at once;
each result is written to the store (one transaction per partition) and dropped.

A partition whose task fails is retried by Dask ``retries`` times (a worker that dies
mid-task is replaced and its task rescheduled by Dask itself); if it keeps failing, its
articles (or, if it could not even be scanned, its inputs) are reported in
``RunReport.errors`` while the rest of the run completes.

Dask is optional (``pip install 'newsaudit[dask]'``); this module imports it lazily.
"""
from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .ingest.article import Article, IngestError
from .pipeline import ExecutorUnavailable, RunReport

DASK_MISSING = "distributed audits need Dask: pip install 'newsaudit[dask]'"
RECORDS_PER_PARTITION = 16          # corpus records per line-range partition (plan()'s default)
_URL = re.compile(r"^https?://", re.IGNORECASE)


class DaskUnavailable(ExecutorUnavailable):
    pass


def _dask():
    try:
        import distributed
    except ImportError:
        raise DaskUnavailable(DASK_MISSING) from None
    return distributed


# --- partitions ---------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One readable unit: a whole file, or a byte range of a JSONL/CSV corpus.

    ``path`` is what workers open (absolute); ``name`` is the input's name as the user gave
    it (origins are built from it, as in a local run). For a range, ``first_line`` is the
    file's line number at ``start`` and ``header`` the CSV header's bytes.
    """

    path: str
    name: str
    kind: str = "file"              # "file" | "jsonl" | "csv"
    start: int = 0
    end: int = 0
    first_line: int = 1
    header: bytes = b""
    header_lines: int = 0
    delimiter: str = ","

    def describe(self) -> str:
        if self.kind == "file":
            return self.name
        return f"{self.name}:{self.first_line}+ (bytes {self.start}-{self.end})"


@dataclass(frozen=True)
class Partition:
    pieces: tuple[Piece, ...]

    def describe(self) -> str:
        return ", ".join(p.describe() for p in self.pieces)


class _RangeReader(io.RawIOBase):
    """``prefix`` bytes, then bytes ``start``..``end`` of a file: a corpus slice as a stream."""

    def __init__(self, path: str, start: int, end: int, prefix: bytes = b""):
        self._prefix = prefix
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._fh.seek(start)
        self._left = end - start

    def readable(self):
        return True

    def readinto(self, b) -> int:
        if self._prefix:
            n = min(len(b), len(self._prefix))
            b[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        if self._left <= 0:
            return 0
        data = self._fh.read(min(len(b), self._left))
        self._left -= len(data)
        b[:len(data)] = data
        return len(data)

    def close(self):
        self._fh.close()
        super().close()


def _renumber(item: Article | IngestError, name: str, shift: int) -> Article | IngestError:
    """Move a ``name:N`` origin by ``shift`` lines (a slice's line N is the file's N + shift)."""
    origin = item.origin
    head, sep, num = origin.rpartition(":")
    if head != name or not sep or not num.isdigit():
        return item
    new = f"{name}:{int(num) + shift}"
    return replace(item, origin=new) if isinstance(item, Article) else IngestError(new, item.reason)


def read_piece(piece: Piece, *, max_bytes: int) -> Iterator[Article | IngestError]:
    """The articles of one piece, exactly as ``audit.ingest`` yields them in a local run."""
    from .ingest import guarded, read_path
    from .ingest.corpus import iter_csv, iter_jsonl

    if piece.kind == "file":
        yield from guarded(piece.name, _with_name(read_path(piece.path, max_bytes=max_bytes), piece))
        return

    def gen():
        raw = _RangeReader(piece.path, piece.start, piece.end, piece.header)
        with io.BufferedReader(raw) as fh:
            if piece.kind == "jsonl":
                items, shift = iter_jsonl(fh, piece.name, max_bytes=max_bytes), piece.first_line - 1
            else:
                items = iter_csv(fh, piece.name, max_bytes=max_bytes, delimiter=piece.delimiter)
                shift = piece.first_line - piece.header_lines - 1
            for it in items:
                # a slice holds at least one record, so whole-file complaints do not apply to it
                if isinstance(it, IngestError) and it.origin == piece.name:
                    continue
                yield _renumber(it, piece.name, shift)

    yield from guarded(piece.name, gen())


def _with_name(items, piece: Piece):
    """``read_path`` names origins by the path it opened: give them the input's own name."""
    if piece.path == piece.name:
        yield from items
        return
    for it in items:
        origin = it.origin
        if origin == piece.path or origin.startswith(piece.path + ":"):
            origin = piece.name + origin[len(piece.path):]
            it = replace(it, origin=origin) if isinstance(it, Article) else IngestError(origin, it.reason)
        yield it


def read_partition(part: Partition, *, max_bytes: int | None = None) -> Iterator[Article | IngestError]:
    from .ingest import DEFAULT_MAX_BYTES

    for piece in part.pieces:
        yield from read_piece(piece, max_bytes=max_bytes or DEFAULT_MAX_BYTES)


def _scan_lines(path: str, max_bytes: int) -> Iterator[tuple[int, int, int, bool]]:
    """``(start, end, line_number, has_content)`` for every line of a file, read in bounded chunks."""
    with open(path, "rb") as fh:
        pos, n = 0, 0
        while True:
            start, content, size = pos, False, 0
            while True:
                chunk = fh.readline(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                content = content or bool(chunk.strip())
                if chunk.endswith(b"\n"):
                    break
            if not size:
                return
            n += 1
            pos += size
            yield start, pos, n, content


def _jsonl_pieces(path: str, name: str, per: int, max_bytes: int) -> Iterator[Piece]:
    start = first = None
    count = 0
    for s, e, n, content in _scan_lines(path, max_bytes):
        if start is None:
            start, first, count = s, n, 0
        count += content
        if count >= per:
            yield Piece(path, name, "jsonl", start, e, first)
            start = None
    if start is not None:
        yield Piece(path, name, "jsonl", start, e, first)


def _csv_pieces(path: str, name: str, delimiter: str, per: int, max_bytes: int) -> Iterator[Piece] | None:
    """Record-boundary slices of a CSV file, or ``None`` when it cannot be sliced exactly.

    ``csv.reader`` pulls physical lines one at a time, so the byte offset after a record is
    the end of the last line it pulled. Files with bare carriage returns (which the local
    reader's universal newlines count as line ends) or that do not parse stay whole.
    """
    import csv

    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    spans = []       # records: (start, end, first_line, has_content)
    pos = [0, 0]     # byte offset, line number after the lines pulled so far

    with open(path, "rb") as fh:
        def lines():
            for raw in iter(lambda: fh.readline(), b""):
                if b"\r" in raw.rstrip(b"\r\n") or raw.endswith(b"\r"):
                    raise ValueError("bare carriage return")
                pos[0] += len(raw)
                pos[1] += 1
                yield raw.decode("utf-8-sig" if pos[1] == 1 else "utf-8", errors="surrogateescape")

        reader = csv.reader(lines(), delimiter=delimiter)
        try:
            header = next(reader, None)
            if header is None or "text" not in [h.strip().lower() for h in header]:
                return None  # the whole-file complaint comes from the local reader, on a worker
            header_end, header_lines = pos[0], pos[1]
            start, first, count = header_end, header_lines + 1, 0
            while True:
                row = next(reader, None)
                if row is None:
                    break
                count += any(c.strip() for c in row)
                if count >= per:
                    spans.append((start, pos[0], first))
                    start, first, count = pos[0], pos[1] + 1, 0
            if count:
                spans.append((start, pos[0], first))
            elif spans:  # trailing blank rows belong to the last slice
                s, _, f = spans[-1]
                spans[-1] = (s, pos[0], f)
        except (csv.Error, ValueError):
            return None
        fh.seek(0)
        head = fh.read(header_end)
    return iter([Piece(path, name, "csv", s, e, f, head, header_lines, delimiter) for s, e, f in spans])


def _file_pieces(path: str, name: str, *, per: int, max_bytes: int) -> Iterator[Piece]:
    """One whole-file piece, or record-range slices of a corpus with more than ``per`` records."""
    from itertools import chain, islice

    from .ingest import CSV_EXTS, JSONL_EXTS

    ext = Path(name).suffix.lower()
    whole = iter([Piece(path, name)])
    if ext not in JSONL_EXTS and ext not in CSV_EXTS:
        return whole
    try:
        if ext in JSONL_EXTS:
            pieces = _jsonl_pieces(path, name, per, max_bytes)
        else:
            pieces = _csv_pieces(path, name, CSV_EXTS[ext], per, max_bytes)
            if pieces is None:
                return whole
        first = list(islice(pieces, 2))
    except OSError:
        return whole  # the worker reports why it cannot be read, as a local run would
    if len(first) <= 1:
        return whole
    return chain(first, pieces)


def _stat(paths: list[str]) -> dict[str, tuple[str, int]]:
    """Run on each worker: what it sees at each path (kind and size)."""
    out = {}
    for p in paths:
        try:
            st = os.stat(p)
            out[p] = ("dir", 0) if os.path.isdir(p) else ("file", st.st_size)
        except OSError:
            out[p] = ("missing", 0)
    return out


def plan(inputs: Iterable, *, shared: Callable[[str], bool], batch_size: int,
         per: int = RECORDS_PER_PARTITION, max_bytes: int | None = None,
         allow_private: bool = False) -> Iterator[Partition | list]:
    """Units of work in input order: a ``Partition`` workers read, or a list of ``Article``/``IngestError``
    the client has read (inputs the workers cannot see)."""
    from .executors import batched
    from .ingest import DEFAULT_MAX_BYTES, iter_inputs, walk_dir

    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    files: list[Piece] = []

    def flush():
        nonlocal files
        if files:
            yield Partition(tuple(files))
            files = []

    def pieces_of(path: str, shown: str):
        """One file's partitions: small files are grouped, corpus slices go out alone."""
        for piece in _file_pieces(path, shown, per=per, max_bytes=max_bytes):
            if piece.kind == "file":
                files.append(piece)
                if len(files) >= batch_size:
                    yield from flush()
            else:
                yield from flush()
                yield Partition((piece,))

    ready: list = []   # consecutive ready Article/IngestError objects, shipped together
    for inp in inputs:
        if isinstance(inp, (Article, IngestError)):
            yield from flush()
            ready.append(inp)
            if len(ready) >= per:
                yield ready
                ready = []
            continue
        if ready:
            yield ready
            ready = []
        inp = str(inp)
        absolute = os.path.abspath(inp) if inp != "-" and not _URL.match(inp) else ""
        if not absolute or not shared(absolute):
            yield from flush()
            yield from batched(iter_inputs([inp], max_bytes=max_bytes, allow_private=allow_private), per)
            continue
        if os.path.isdir(absolute):
            found = False
            for f in walk_dir(Path(inp)):
                found = True
                yield from pieces_of(os.path.abspath(f), str(f))
            if not found:
                yield from flush()
                yield [IngestError(inp, "directory holds no files")]
            continue
        yield from pieces_of(absolute, inp)
    yield from flush()
    if ready:
        yield ready


# --- worker-side tasks ----------------------------------------------------------------

def _scan_partition(part: Partition) -> list[tuple]:
    """Worker: what a partition holds, cheaply (no parsing): per item, in order,
    ``("a", id, origin, title, has_text, external_id)`` or ``("e", origin, reason)``."""
    out = []
    for it in read_partition(part):
        if isinstance(it, IngestError):
            out.append(("e", it.origin, it.reason))
        else:
            out.append(("a", it.id, it.origin, it.title, bool(it.text.strip()), it.external_id))
    return out


def _audit_partition(part: Partition, wanted: dict[int, str], batch_size: int, engine: str) -> list[tuple]:
    """Worker: re-read a partition and audit the items at the ``wanted`` positions
    (``{position: article id}``) with ``analyze_batch``, the local run's own function."""
    from .analyze import analyze_batch

    arts, out = [], []
    for i, it in enumerate(read_partition(part)):
        if i not in wanted:
            continue
        if not isinstance(it, Article) or it.id != wanted[i]:
            origin = it.origin
            out.append((Article(id=wanted[i], text="", origin=origin), None, "input changed during the run"))
            continue
        arts.append(it)
    for j in range(0, len(arts), batch_size):
        out.extend(analyze_batch(arts[j:j + batch_size], engine))
    return out


class _Warmup:
    """A Dask worker plugin: load the spaCy pipeline and the analyzers' data once per worker
    process, before its first task (``load_nlp`` and the word lists are cached per process)."""

    name = "newsaudit-warmup"

    def __init__(self, engine: str):
        self.engine = engine

    async def setup(self, worker):
        import asyncio

        await asyncio.to_thread(_warm, self.engine)


def _warm(engine: str) -> None:
    from .analyze import analyze_batch

    analyze_batch([Article.build("Officials said on Monday that the plan may be delayed.", origin="warm-up")], engine)


def _plugin(engine: str):
    from distributed.diagnostics.plugin import WorkerPlugin

    cls = type("NewsauditWarmup", (_Warmup, WorkerPlugin), {})
    return cls(engine)


# --- the client ----------------------------------------------------------------------

def _shared_checker(client):
    """``shared(abs_path)``: does every worker see this path as the client does (kind, size)?"""
    cache: dict[str, bool] = {}

    def shared(path: str) -> bool:
        if path not in cache:
            mine = _stat([path])[path]
            if mine[0] == "missing":
                cache[path] = False  # let the client report it, as a local run would
            else:
                seen = client.run(_stat, [path])
                cache[path] = bool(seen) and all(v[path] == mine for v in seen.values())
        return cache[path]

    return shared


class Dask:
    """The Dask executor of ``run_audit``: ``Dask("local", workers=2)`` starts a
    ``LocalCluster`` of ``workers`` single-threaded processes for the run; ``Dask("tcp://host:8786")``
    uses that cluster's own workers (``workers`` is ignored). A JSONL/CSV corpus is cut into
    slices of ``records_per_partition`` records (default: the run's ``batch_size``), one task
    each; a failing task is retried ``retries`` times."""

    def __init__(self, scheduler: str, *, workers: int = 2, retries: int = 2,
                 records_per_partition: int | None = None):
        self.scheduler, self.workers, self.retries = scheduler, workers, retries
        self.records_per_partition = records_per_partition

    def commit_every(self, every: int, *, batch_size: int) -> int:
        """Each partition is flushed as it arrives; errors and aliases wait for four partitions' worth."""
        return max(every, 4 * (self.records_per_partition or batch_size))

    def run(self, items, run, *, batch_size: int, sentiment_engine: str, allow_private: bool) -> None:
        distributed = _dask()
        per = self.records_per_partition or batch_size
        cluster = None
        if self.scheduler == "local":
            cluster = distributed.LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                               dashboard_address=":0")  # any free port: never collide
            client = distributed.Client(cluster)
        else:
            try:
                client = distributed.Client(self.scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise DaskUnavailable(f"cannot reach the Dask scheduler at {self.scheduler} ({exc})") from None
        try:
            client.register_plugin(_plugin(sentiment_engine))
            _run(client, items, run, engine=sentiment_engine, batch_size=batch_size, retries=self.retries,
                 per=per, allow_private=allow_private)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def run_distributed(items, store, *, scheduler: str, workers: int = 2, retries: int = 2,
                    records_per_partition: int | None = None, **kw) -> RunReport:
    """``run_audit(items, store, executor=Dask(scheduler, ...), **kw)``."""
    from .pipeline import run_audit

    return run_audit(items, store, executor=Dask(scheduler, workers=workers, retries=retries,
                                                 records_per_partition=records_per_partition), **kw)


def _run(client, items, run, *, engine, batch_size, retries, per, allow_private) -> None:
    """Plan, scan, admit (``run.admit``), audit and report (``run.done``), in input order
    for the admission and as the results arrive for the writing."""
    import asyncio

    from distributed import as_completed

    from .analyze import analyze_batch

    window = 2 * max(1, sum(client.nthreads().values()))
    units = enumerate(plan(items, shared=_shared_checker(client), batch_size=batch_size, per=per,
                           allow_private=allow_private))
    ready: dict[int, tuple] = {}    # seq -> ("items", list) | ("scan", part, entries) | ("failed", part, reason)
    open_units = 0                  # planned, not yet resolved
    meta: dict = {}                 # future -> what it computes
    ac = as_completed(loop=client.loop)
    running = next_seq = 0
    exhausted = False

    def submit(fn, *args, what, priority=0):
        nonlocal running
        fut = client.submit(fn, *args, retries=retries, pure=False, priority=priority)
        meta[fut] = what
        ac.add(fut)
        running += 1

    def resolve(unit):
        if unit[0] == "items":  # read by the client: ship the articles themselves
            items = unit[1]
            entries = [(it, isinstance(it, Article) and bool(it.text.strip())) for it in items]
            arts = [items[pos] for pos in run.admit(entries)]
            for j in range(0, len(arts), batch_size):
                submit(analyze_batch, arts[j:j + batch_size], engine, what=("batch", arts[j:j + batch_size]))
        elif unit[0] == "scan":  # read by the workers: ship only which positions to audit
            _, part, scanned = unit
            entries = [(Article(id=e[1], text="", title=e[3], origin=e[2], external_id=e[5]), e[4])
                       if e[0] == "a" else (IngestError(e[1], e[2]), False) for e in scanned]
            wanted = {pos: entries[pos][0] for pos in run.admit(entries)}
            if wanted:
                submit(_audit_partition, part, {p: a.id for p, a in wanted.items()}, batch_size, engine,
                       what=("audit", list(wanted.values())))
        else:
            run.failed(unit[1].describe(), unit[2])

    def attempts_failed(exc) -> str:
        return f"failed on the cluster after {retries + 1} attempts ({exc.__class__.__name__}: {exc})"

    while True:
        while not exhausted and open_units + running < window:
            try:
                seq, unit = next(units)
            except StopIteration:
                exhausted = True
                break
            open_units += 1
            if isinstance(unit, Partition):
                submit(_scan_partition, unit, what=("scan", seq, unit), priority=1)
            else:
                ready[seq] = ("items", unit)
        while next_seq in ready:
            resolve(ready.pop(next_seq))
            next_seq += 1
            open_units -= 1
        if running == 0:
            if exhausted:
                break
            continue
        fut = next(ac)
        running -= 1
        what = meta.pop(fut)
        try:
            result, exc = fut.result(), None
        except (Exception, asyncio.CancelledError) as err:  # reported with the partition's inputs below
            result, exc = None, err
        fut.release()
        if what[0] == "scan":
            _, seq, part = what
            ready[seq] = ("scan", part, result) if exc is None else ("failed", part, attempts_failed(exc))
        elif exc is not None:
            for art in what[1]:
                run.failed(art.origin or art.id, attempts_failed(exc), art)
        else:
            for art, res, err in result:
                run.done(art, res, err)
            run.flush()  # one transaction per partition, as it arrives
