"""Report exporters: a registry of output formats keyed by name.

The CLI's ``--format`` choices and the dashboard's download links are generated from
``FORMATS``. Each exporter is ``fn(store, out_dir, article_filter) -> list[Path]`` and
reads through ``audit.store`` (no SQL or analysis here).
"""
from __future__ import annotations

import importlib
from pathlib import Path

# name -> (module, function, one-line description). Modules load lazily (keeps --help fast).
FORMATS = {
    "csv": ("reports.csv_export", "export_csv", "report CSVs: articles, attributions, hedges, claims, actors, …"),
    "jsonl": ("reports.jsonl_export", "export_jsonl", "one line per article in the gold 'articles' schema"),
    "html": ("reports.html_export", "export_html", "a self-contained HTML report with charts (opens offline)"),
}
FORMAT_NAMES = tuple(FORMATS)


def exporter(fmt: str):
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    mod, fn, _ = FORMATS[fmt]
    return getattr(importlib.import_module(mod), fn)


def export(fmt: str, store, out_dir, flt=None) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return exporter(fmt)(store, out, flt)
