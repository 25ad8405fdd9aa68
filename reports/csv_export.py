"""Report CSVs: one file per audit table, for the articles a filter selects.

Every CSV the project writes (``newsaudit export``, the HTML report's CSVs, the dashboard's
downloads) goes through ``frame_csv``: a text cell that a spreadsheet would read as a
formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written
with a leading ``'``, so titles, outlets and sentences from crawled pages stay text when an
editor opens the file. Numbers stay numbers, and so does text that is just a number ("-3.5").
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from audit.tables import FINDING_TABLES

# Files written, in order; each is the store table of the same name (columns: README → Data dictionary):
# the articles, then each layer's tables (audit.layers).
CSV_TABLES = ("articles",) + FINDING_TABLES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralize(value):
    """A text cell a spreadsheet would evaluate, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def frame_csv(df: pd.DataFrame, path: Path | None = None) -> str | None:
    """``df`` as CSV (to ``path``, or returned as text), formula-like text cells neutralised."""
    safe = df
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]):                   # object or str columns
            risky = df[col].astype(str).str.startswith(FORMULA_START)      # cheap, vectorised first pass
            if risky.any():
                if safe is df:
                    safe = df.copy()
                safe.loc[risky, col] = df.loc[risky, col].map(neutralize)
    return safe.to_csv(path, index=False)


def export_csv(store, out: Path, flt=None) -> list[Path]:
    paths = []
    for name in CSV_TABLES:
        df = store.table(name, flt)
        p = out / f"{name}.csv"
        frame_csv(df, p)
        paths.append(p)
    return paths


def table_csv(store, name: str, flt=None) -> str:
    """One report CSV as text (the dashboard's download)."""
    if name not in CSV_TABLES:
        raise ValueError(f"no report table {name!r}")
    return frame_csv(store.table(name, flt))
