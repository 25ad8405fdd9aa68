"""Report CSVs: one file per audit table, for the articles a filter selects."""
from __future__ import annotations

from pathlib import Path

# Files written, in order; each is the store table of the same name (columns: README → Data dictionary).
CSV_TABLES = ("articles", "attributions", "hedges", "claims", "actors", "mentions", "sentiment_evidence", "notes",
              "loaded_language")


def export_csv(store, out: Path, flt=None) -> list[Path]:
    paths = []
    for name in CSV_TABLES:
        df = store.table(name, flt)
        p = out / f"{name}.csv"
        df.to_csv(p, index=False)
        paths.append(p)
    return paths


def table_csv(store, name: str, flt=None) -> str:
    """One report CSV as text (the dashboard's download)."""
    if name not in CSV_TABLES:
        raise ValueError(f"no report table {name!r}")
    return store.table(name, flt).to_csv(index=False)
