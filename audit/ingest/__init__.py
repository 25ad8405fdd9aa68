"""Ingestion: files, directories, standard input, URLs and feeds → ``Article`` records.

``iter_inputs`` is the one entry point of the shells: it streams ``Article`` or
``IngestError`` records, lazily, one input after another; a bad input (unreadable, binary,
empty, undecodable, too large, unreachable) is an ``IngestError`` naming it and its
reason, and the batch continues. Nothing here raises on bad input.

Forms, by extension (directories are walked recursively, hidden entries skipped):

- ``.txt``/``.text``/``.md`` and unknown extensions (if they are text): plain-text news
  pages (``read_text_page``); a file that is really HTML is read as HTML;
- ``.html``/``.htm``/``.xhtml``: HTML (``read_html``, trafilatura);
- ``.jsonl``/``.ndjson`` (streamed line by line), ``.json`` (a record or a list), ``.csv``
  and ``.tsv`` (streamed row by row): corpora with a ``text`` field, taken exactly as given;
- ``-``: standard input (JSONL if its first line is a JSON object, else a page);
- ``http(s)://`` URLs: pages, or RSS/Atom feeds whose items are fetched in turn.
"""
from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .article import Article, IngestError, content_id
from .corpus import UnreadableJSON, iter_csv, iter_json, iter_jsonl, loads
from .htmlpage import read_html
from .textpage import chrome_spans, normalize_date, read_text_page
from .web import FetchError, Fetched, UnsafeURLError, check_url, fetch_url, looks_like_feed, parse_feed

__all__ = [
    "Article", "IngestError", "content_id", "iter_inputs", "read_text_page", "read_html",
    "read_path", "read_bytes", "read_stdin", "read_url", "fetch_url", "check_url", "parse_feed", "chrome_spans",
    "normalize_date", "Fetched", "FetchError", "UnsafeURLError", "DEFAULT_MAX_BYTES", "MAX_FEED_ITEMS",
]

DEFAULT_MAX_BYTES = 10_000_000
MAX_FEED_ITEMS = 100

TEXT_EXTS = frozenset({".txt", ".text", ".md"})
HTML_EXTS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_EXTS = frozenset({".jsonl", ".ndjson"})
JSON_EXTS = frozenset({".json"})
CSV_EXTS = {".csv": ",", ".tsv": "\t"}
CORPUS_EXTS = JSONL_EXTS | JSON_EXTS | frozenset(CSV_EXTS)

_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


# --- bytes → str ----------------------------------------------------------------------

def _is_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return ctrl > max(8, len(head) // 20)


def decode(data: bytes, *, html: bool = False, charset: str = "") -> str:
    """Text of ``data``; raises ``ValueError`` with a reader-facing reason if it is not text."""
    if not data.strip():
        raise ValueError("empty file" if not data else "empty file (only whitespace)")
    if _is_binary(data):
        raise ValueError("binary file (not text)")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise ValueError(f"not valid {enc.upper()} (at offset {exc.start})") from None
    declared = []
    if charset:
        declared.append(charset)
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared.append(m.group(1).decode("ascii", "replace"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    for enc in declared:
        try:
            codec = codecs.lookup(enc).name
        except LookupError:
            continue
        if codec == "utf-8":
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    e = first_error
    raise ValueError(f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})")


def _empty_body(art: Article, origin: str) -> Article | IngestError:
    if not art.text.strip():
        return IngestError(origin, "no article text found")
    return art


def read_bytes(data: bytes, origin: str = "", *, kind: str = "", url: str = "", charset: str = "",
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestError]:
    """Articles in an in-memory input; ``kind`` is an extension (".html", ".jsonl" ...) or ""."""
    if len(data) > max_bytes:
        yield IngestError(origin, f"too large: {len(data):,} bytes (limit {max_bytes:,})")
        return
    kind = kind.lower()
    if kind in JSONL_EXTS:
        yield from iter_jsonl(io.BytesIO(data), origin, max_bytes=max_bytes)
        return
    if kind in JSON_EXTS:
        yield from iter_json(data, origin, max_bytes=max_bytes)
        return
    if kind in CSV_EXTS:
        yield from iter_csv(io.BytesIO(data), origin, max_bytes=max_bytes, delimiter=CSV_EXTS[kind])
        return
    is_html = kind in HTML_EXTS or bool(_HTML_SNIFF.match(data[:4096]))
    try:
        text = decode(data, html=is_html, charset=charset)
    except ValueError as exc:
        yield IngestError(origin, str(exc))
        return
    if not text.strip():
        yield IngestError(origin, "empty file (only whitespace)")
        return
    art = read_html(text, origin=origin, url=url) if is_html else read_text_page(text, origin=origin, url=url)
    yield _empty_body(art, origin)


# --- files and directories ----------------------------------------------------------

def read_path(path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestError]:
    """Articles in one file (corpora streamed record by record)."""
    p = Path(path)
    origin = str(path)
    ext = p.suffix.lower()
    try:
        st = p.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO, socket or device would block or never end
            yield IngestError(origin, "not a regular file")
            return
        size = st.st_size
        if ext in JSONL_EXTS or ext in CSV_EXTS:
            if size == 0:
                yield IngestError(origin, "empty file")
                return
            with p.open("rb") as fh:
                if ext in JSONL_EXTS:
                    yield from iter_jsonl(fh, origin, max_bytes=max_bytes)
                else:
                    yield from iter_csv(fh, origin, max_bytes=max_bytes, delimiter=CSV_EXTS[ext])
            return
        if size > max_bytes:
            yield IngestError(origin, f"too large: {size:,} bytes (limit {max_bytes:,})")
            return
        if size == 0:
            yield IngestError(origin, "empty file")
            return
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        yield IngestError(origin, f"unreadable ({exc.strerror or exc.__class__.__name__})")
        return
    yield from read_bytes(data, origin, kind=ext, max_bytes=max_bytes)


def walk_dir(root: Path) -> Iterator[Path]:
    """Files under ``root``, sorted, hidden entries and symlinked directories skipped."""
    for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                yield Path(dirpath) / f


# --- standard input ----------------------------------------------------------------

class _Prefixed(io.RawIOBase):
    """A binary stream that first replays ``prefix`` then reads ``rest``."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._buf = io.BytesIO(prefix)
        self._rest = rest
        self._done = False

    def readable(self):
        return True

    def readline(self, size: int = -1) -> bytes:
        line = self._buf.readline(size)
        if line.endswith(b"\n") or (size >= 0 and len(line) >= size):
            return line
        more = self._rest.readline(-1 if size < 0 else size - len(line))
        return line + more


def read_stdin(stream: BinaryIO | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | IngestError]:
    """Standard input: JSONL (streamed) if its first line is a JSON object, else one page."""
    fh = stream if stream is not None else sys.stdin.buffer
    origin = "<stdin>"
    try:
        first = fh.readline(max_bytes + 1)
        stripped = first.lstrip(b"\xef\xbb\xbf \t\r\n")
        if stripped.startswith(b"{") and len(first) <= max_bytes:
            try:
                obj = loads(first.decode("utf-8-sig"))
            except UnicodeDecodeError:
                obj = None
            except UnreadableJSON:
                obj = {}      # still a corpus: its first line's error, the lines after it read as records
            except ValueError:
                obj = None
            if isinstance(obj, dict):
                yield from iter_jsonl(_Prefixed(first, fh), origin, max_bytes=max_bytes)
                return
        data = first + fh.read(max_bytes + 1 - len(first))
    except OSError as exc:
        yield IngestError(origin, f"unreadable ({exc.strerror or exc.__class__.__name__})")
        return
    if not data:
        yield IngestError(origin, "empty input")
        return
    yield from read_bytes(data, origin, max_bytes=max_bytes)


# --- URLs and feeds ----------------------------------------------------------------

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")


def _from_fetched(f: Fetched, origin: str, max_bytes: int, **fallback) -> Iterator[Article | IngestError]:
    ctype = f.content_type
    if ctype in ("application/x-ndjson", "application/jsonl", "application/json"):
        yield from read_bytes(f.content, origin, kind=".jsonl" if ctype != "application/json" else ".json",
                              max_bytes=max_bytes)
        return
    if ctype == "text/csv":
        yield from read_bytes(f.content, origin, kind=".csv", max_bytes=max_bytes)
        return
    is_html = ctype in ("text/html", "application/xhtml+xml") or bool(_HTML_SNIFF.match(f.content[:4096]))
    if not is_html and ctype not in ("text/plain", "", "application/octet-stream") and not ctype.startswith("text/"):
        yield IngestError(origin, f"unsupported content type {ctype!r}")
        return
    try:
        text = decode(f.content, html=is_html, charset=f.charset)
    except ValueError as exc:
        yield IngestError(origin, str(exc))
        return
    if is_html:
        art = read_html(text, origin=origin, url=f.url or origin)
    else:
        art = read_text_page(text, origin=origin, url=f.url or origin)
    missing = {k: v for k, v in fallback.items() if v and not getattr(art, k)}
    if missing:  # what a feed says about its item fills only what the page does not say
        art = Article.build(art.text, **{**art.build_fields(), **missing})
    yield _empty_body(art, origin)


def read_url(url: str, *, allow_private: bool = False, timeout: float = 20.0,
             max_bytes: int = DEFAULT_MAX_BYTES, max_items: int = MAX_FEED_ITEMS) -> Iterator[Article | IngestError]:
    """A page, or every item of an RSS/Atom feed (each fetched with the same checks)."""
    try:
        f = fetch_url(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    except FetchError as exc:
        yield IngestError(url, str(exc))
        return
    if looks_like_feed(f.content, f.content_type) or f.content_type in _FEED_TYPES:
        try:
            items = parse_feed(f.content)
        except ValueError as exc:
            yield IngestError(url, str(exc))
            return
        if not items:
            yield IngestError(url, "feed has no items with a link")
            return
        for item in items[:max_items]:
            link = _join(f.url or url, item.link)
            try:
                page = fetch_url(link, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
            except FetchError as exc:
                yield IngestError(link, str(exc))
                continue
            yield from _from_fetched(page, link, max_bytes, title=item.title, published=_feed_date(item.published))
        if len(items) > max_items:
            yield IngestError(url, f"feed has {len(items)} items; only the first {max_items} were read")
        return
    yield from _from_fetched(f, url, max_bytes)


def _feed_date(value: str) -> str:
    """ISO date of an RSS (RFC 822) or Atom (ISO 8601) item date, or ""."""
    d = normalize_date(value)
    return d[:10] if d else ""


def _join(base: str, link: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, link.strip())


# --- the entry point ---------------------------------------------------------------

def guarded(origin: str, gen: Iterator[Article | IngestError]) -> Iterator[Article | IngestError]:
    """Turn an unexpected exception of one input into an ``IngestError`` naming it."""
    try:
        yield from gen
    except (RecursionError, MemoryError) as exc:
        yield IngestError(origin, f"input too complex to read ({exc.__class__.__name__})")
    except Exception as exc:  # noqa: BLE001 - reported to the user with the input's name, never swallowed
        yield IngestError(origin, f"could not be read ({exc.__class__.__name__}: {exc})")


def iter_inputs(
    inputs: Iterable[str],
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = 20.0,
) -> Iterator[Article | IngestError]:
    """Stream an ``Article`` or ``IngestError`` for every article in ``inputs``, lazily.

    ``inputs`` are file paths, directories (walked recursively, by extension), ``-`` for
    standard input, and http(s) page or RSS/Atom feed URLs. ``max_bytes`` caps a file, a
    download, a corpus record; corpora themselves are streamed and may be any size.
    """
    for inp in inputs:
        inp = str(inp)
        if inp == "-":
            yield from guarded("<stdin>", read_stdin(max_bytes=max_bytes))
        elif re.match(r"^https?://", inp, re.IGNORECASE):
            yield from guarded(inp, read_url(inp, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes))
        else:
            p = Path(inp)
            try:
                is_dir, is_file = p.is_dir(), p.is_file()
            except OSError as exc:
                yield IngestError(inp, f"unreadable ({exc.strerror or exc.__class__.__name__})")
                continue
            if is_dir:
                found = False
                for f in walk_dir(p):
                    found = True
                    yield from guarded(str(f), read_path(f, max_bytes=max_bytes))
                if not found:
                    yield IngestError(inp, "directory holds no files")
            elif is_file:
                yield from guarded(inp, read_path(p, max_bytes=max_bytes))
            elif p.exists():
                yield IngestError(inp, "not a regular file")
            else:
                yield IngestError(inp, "no such file or directory")
