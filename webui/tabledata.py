"""Every table the dashboard shows is also data (the datasette convention).

A view builds its tables once, as ``Table``s (rows as dicts, the columns it shows), renders
them into its HTML template, and hands the very same rows to ``respond`` when the URL ends
in ``.json``/``.csv`` or carries ``?format=json|csv``: so the data variant holds exactly the
rows on the page, filters, sort and page applied. Pages with several tables (an article)
give them all in JSON and one, picked with ``?table=NAME``, in CSV.
"""
from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field

from flask import Response, abort, request

DATA_FORMATS = ("json", "csv")


@dataclass
class Table:
    """One table of a page: ``columns`` (key → heading) and ``rows`` (dicts holding at least those keys)."""

    name: str
    columns: dict
    rows: list = field(default_factory=list)
    why_empty: str = ""                  # the sentence the page shows when there are no rows

    def records(self) -> list[dict]:
        return [{k: plain(r.get(k)) for k in self.columns} for r in self.rows]

    def as_json(self) -> dict:
        out = {"table": self.name, "columns": list(self.columns), "rows": self.records()}
        if not self.rows and self.why_empty:
            out["why_empty"] = self.why_empty
        return out


def plain(v):
    """A cell as a JSON value: numpy scalars as Python numbers, NaN as null, JSON lists decoded."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def requested_format(suffix: str | None = None) -> str:
    """"json", "csv" or "" (the HTML page), from the URL suffix or ``?format=``."""
    fmt = (suffix or request.args.get("format", "")).strip().lower()
    if fmt in ("", "html"):
        return ""
    if fmt not in DATA_FORMATS:
        abort(400, description=f"format {fmt[:20]!r} is not offered: use format=json or format=csv, "
                               "or leave it out for the page.")
    return fmt


def _csv(table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(table.columns))
    for rec in table.records():
        w.writerow(["" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                    for v in rec.values()])
    return buf.getvalue()


def respond(fmt: str, tables: list[Table], meta: dict | None = None):
    """The JSON or CSV variant of a page's tables (``meta``: filter, page, totals, … for JSON)."""
    by_name = {t.name: t for t in tables}
    want = request.args.get("table", "").strip()
    if want and want not in by_name:
        abort(400, description=f"this page has no table {want[:40]!r}: use table={' or table='.join(by_name)}.")
    if want or len(tables) == 1:
        picked = by_name[want] if want else tables[0]
        if fmt == "csv":
            name = request.path.rstrip("/").rsplit("/", 1)[-1].split(".")[0] or "overview"
            return Response(_csv(picked), mimetype="text/csv",
                            headers={"Content-Disposition": f'inline; filename="newsaudit-{name}-{picked.name}.csv"'})
        body = {**(meta or {}), **picked.as_json()}
    else:
        if fmt == "csv":
            abort(400, description=f"this page has {len(tables)} tables; pick one for CSV: "
                                   f"table={' or table='.join(by_name)}.")
        body = {**(meta or {}), "tables": {t.name: t.as_json() for t in tables}}
    return Response(json.dumps(body, ensure_ascii=False, default=str, indent=1), mimetype="application/json")
