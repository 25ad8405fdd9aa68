"""JSONL, JSON and CSV/TSV corpora → one ``Article`` per record, streamed.

``text`` is the body exactly as given (every offset refers to it); optional ``id``,
``title``, ``outlet``, ``url``, ``published`` (also ``author``, ``section``) fill the other
fields. Spans of embedded captions/page chrome recognised by the text-page rules go into
``skip_spans``. Files are read record by record, never whole; each bad record is an
``IngestError`` naming ``path:line`` (or ``path:row``) and the rest continues.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .article import Article, IngestError
from .textpage import chrome_spans, normalize_date

OPTIONAL = ("title", "outlet", "url", "published", "author", "section")
_SURROGATE = re.compile("[\ud800-\udfff]")


def record_article(obj, origin: str, max_bytes: int) -> Article | IngestError:
    """One corpus record (a dict with ``text`` and optional fields) → ``Article``, or why not."""
    if not isinstance(obj, dict):
        return IngestError(origin, f"expected a JSON object with a 'text' field, got {type(obj).__name__}")
    lower = {str(k).strip().lower(): v for k, v in obj.items()}
    text = lower.get("text")
    if text is None:
        return IngestError(origin, "record has no 'text' field")
    if not isinstance(text, str):
        return IngestError(origin, f"'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        return IngestError(origin, "empty text")
    if len(text) > max_bytes:
        return IngestError(origin, f"too large: text of {len(text):,} characters (limit {max_bytes:,})")
    if _SURROGATE.search(text):
        return IngestError(origin, "not valid UTF-8 (undecodable bytes in 'text')")
    fields = {}
    for k in OPTIONAL:
        v = lower.get(k)
        if v is not None and not isinstance(v, (dict, list)):
            v = str(v).strip()
            if _SURROGATE.search(v):
                v = v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            fields[k] = normalize_date(v) if k == "published" else v
    ext = lower.get("id")
    external_id = None if ext is None or isinstance(ext, (dict, list)) else str(ext)
    return Article.build(text, external_id=external_id, skip_spans=chrome_spans(text), origin=origin, **fields)


def guarded_record(origin: str, make: Callable[..., Article | IngestError], *args) -> Article | IngestError:
    """``make(*args)``, or the ``IngestError`` of ``origin`` it raised: whatever one record does
    (a value Python cannot hold, nesting too deep, a field of a strange type, a bug in a
    rule) stays that record's error, and the reader goes on with the next one."""
    try:
        return make(*args)
    except (RecursionError, MemoryError) as exc:
        return IngestError(origin, f"record too complex to read ({exc.__class__.__name__})")
    except Exception as exc:  # noqa: BLE001 - reported with the record's origin, never swallowed
        return IngestError(origin, f"could not be read ({exc.__class__.__name__}: {_first_line(exc)})")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]


class UnreadableJSON(ValueError):
    """Well-formed JSON that Python will not hold: nesting too deep, an integer of more than
    4,300 digits (``sys.get_int_max_str_digits``)."""


class _HugeInt(str):
    """An integer literal Python will not convert (more than ``sys.get_int_max_str_digits`` digits)."""


def _parse_int(literal: str):
    try:
        return int(literal)
    except ValueError:
        return _HugeInt(literal)


def _parse(text: str):
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise UnreadableJSON("not valid JSON (nested too deeply)") from None


def _check(obj):
    """``obj``, or ``UnreadableJSON`` when it holds an integer Python will not convert."""
    stack = [obj]
    while stack:
        v = stack.pop()
        if isinstance(v, _HugeInt):
            raise UnreadableJSON(f"not readable JSON (an integer of {len(v.lstrip('-')):,} digits)")
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return obj


def loads(text: str):
    """``json.loads``, every failure a ``ValueError`` whose message is the reader-facing reason
    (``UnreadableJSON`` for well-formed JSON that Python will not hold)."""
    return _check(_parse(text))


def _record(raw: str, origin: str, max_bytes: int) -> Article | IngestError:
    try:
        obj = loads(raw)
    except ValueError as exc:
        return IngestError(origin, str(exc))
    return record_article(obj, origin, max_bytes)


def _checked_record(obj, origin: str, max_bytes: int) -> Article | IngestError:
    try:
        _check(obj)
    except ValueError as exc:
        return IngestError(origin, str(exc))
    return record_article(obj, origin, max_bytes)


def iter_jsonl(fh: BinaryIO, name: str, *, max_bytes: int) -> Iterator[Article | IngestError]:
    """One article per JSON line; the file is read line by line."""
    empty = True
    for n, raw in enumerate(_lines(fh, max_bytes), 1):
        origin = f"{name}:{n}"
        if raw is None:
            empty = False
            yield IngestError(origin, f"too large: line longer than {max_bytes:,} bytes")
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        empty = False
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield IngestError(origin, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})")
            continue
        yield guarded_record(origin, _record, line, origin, max_bytes)
    if empty:
        yield IngestError(name, "empty file")


def _lines(fh: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """Lines of a binary stream; ``None`` for a line over ``max_bytes`` (skipped, not kept)."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # drain the rest of the over-long line in bounded chunks
                more = fh.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def iter_json(data: bytes, name: str, *, max_bytes: int) -> Iterator[Article | IngestError]:
    """A ``.json`` file: one record or a list of records (size-capped by the caller)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield IngestError(name, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})")
        return
    try:
        obj = _parse(text)       # a record's unreadable integer is that record's error, below
    except ValueError as exc:
        yield IngestError(name, str(exc))
        return
    if isinstance(obj, list):
        if not obj:
            yield IngestError(name, "empty list of records")
        for i, rec in enumerate(obj, 1):
            origin = f"{name}:{i}"
            yield guarded_record(origin, _checked_record, rec, origin, max_bytes)
    else:
        yield guarded_record(name, _checked_record, obj, name, max_bytes)


def iter_csv(fh: BinaryIO, name: str, *, max_bytes: int, delimiter: str = ",") -> Iterator[Article | IngestError]:
    """One article per CSV row (header row required, with a ``text`` column)."""
    # csv's per-field limit is process-wide; it is only ever raised, to the input size cap
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield IngestError(name, f"not valid CSV ({exc})")
        return
    if header is None:
        yield IngestError(name, "empty file")
        return
    cols = [h.strip().lower() for h in header]
    if "text" not in cols:
        yield IngestError(name, "CSV has no 'text' column")
        return
    rows = 0
    while True:
        origin = f"{name}:{reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield IngestError(origin, f"not valid CSV ({exc})")
            if reader.line_num + 1 == int(origin.rsplit(":", 1)[1]):
                break  # the reader did not advance: stop rather than loop
            continue
        if not any(c.strip() for c in row):
            continue
        rows += 1
        rec = {cols[i]: v for i, v in enumerate(row) if i < len(cols) and cols[i]}
        yield guarded_record(origin, record_article, rec, origin, max_bytes)
    if not rows:
        yield IngestError(name, "CSV has a header but no rows")

