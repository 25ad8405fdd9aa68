"""The SQLite store: audit tables (audit.tables) ↔ an embedded database file.

All SQL of the project lives here. One table per DataFrame plus ``meta`` (schema
version) and ``errors`` (inputs that could not be audited). Each article is written in
one transaction (its old rows replaced), so an interrupted run never leaves a
half-written article; WAL mode and a busy timeout with retries let the dashboard read
while a run writes, and two runs share one file.
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import ANALYZER_VERSION
from .findings import AuditResult
from .ingest.article import Article
from .tables import COLUMNS, FINDING_TABLES, INTEGER_COLUMNS, REAL_COLUMNS, rows_for

SCHEMA_VERSION = 1
DEFAULT_DB = "newsaudit.db"
DB_ENV = "NEWSAUDIT_DB"

# Columns the dashboard and exports may sort the articles table by.
SORTABLE = set(COLUMNS["articles"])


class StoreError(RuntimeError):
    pass


def default_db_path() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a listing or export covers (all fields optional)."""

    outlets: tuple[str, ...] = ()
    date_from: str = ""          # inclusive, compared on the ISO date prefix
    date_to: str = ""            # inclusive
    search: str = ""             # substring of title, outlet or external id
    article_ids: tuple[str, ...] = field(default=())

    def where(self) -> tuple[str, list]:
        clauses, params = [], []
        if self.outlets:
            clauses.append("outlet IN (%s)" % ",".join("?" * len(self.outlets)))
            params.extend(self.outlets)
        if self.date_from:
            clauses.append("published <> '' AND substr(published, 1, 10) >= ?")
            params.append(self.date_from[:10])
        if self.date_to:
            clauses.append("published <> '' AND substr(published, 1, 10) <= ?")
            params.append(self.date_to[:10])
        if self.search:
            clauses.append("(title LIKE ? ESCAPE '\\' OR outlet LIKE ? ESCAPE '\\' OR external_id LIKE ? ESCAPE '\\')")
            pat = "%" + _like(self.search) + "%"
            params.extend([pat, pat, pat])
        if self.article_ids:
            clauses.append("article_id IN (%s)" % ",".join("?" * len(self.article_ids)))
            params.extend(self.article_ids)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _coltype(col: str) -> str:
    if col in INTEGER_COLUMNS:
        return "INTEGER"
    if col in REAL_COLUMNS:
        return "REAL"
    return "TEXT"


def _ddl() -> list[str]:
    stmts = ["CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
             "CREATE TABLE IF NOT EXISTS errors (origin TEXT, reason TEXT, at TEXT)"]
    for table, cols in COLUMNS.items():
        defs = ", ".join(f'"{c}" {_coltype(c)}' for c in cols)
        if table in ("articles", "documents"):
            defs = defs.replace('"article_id" TEXT', '"article_id" TEXT PRIMARY KEY', 1)
        stmts.append(f'CREATE TABLE IF NOT EXISTS "{table}" ({defs})')
        if table not in ("articles", "documents"):
            stmts.append(f'CREATE INDEX IF NOT EXISTS "ix_{table}_article" ON "{table}" (article_id)')
    stmts += [
        "CREATE INDEX IF NOT EXISTS ix_articles_outlet ON articles (outlet)",
        "CREATE INDEX IF NOT EXISTS ix_articles_published ON articles (published)",
        "CREATE INDEX IF NOT EXISTS ix_actors_key ON actors (actor_key)",
    ]
    return stmts


def _retrying(fn, *args, attempts: int = 8):
    """Run ``fn`` retrying with backoff while another connection holds the write lock."""
    delay = 0.05
    for i in range(attempts):
        try:
            return fn(*args)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or i == attempts - 1:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StoreError(
                        "the database is busy (another newsaudit run is writing to it); try again shortly"
                    ) from exc
                raise
            time.sleep(delay + random.random() * delay)
            delay = min(delay * 2, 2.0)


class Store:
    """An open newsaudit database."""

    def __init__(self, path: str | os.PathLike | None = None, *, readonly: bool = False):
        self.path = str(path or default_db_path())
        p = Path(self.path)
        if readonly and not p.exists():
            raise StoreError(f"{self.path}: no such database (run `newsaudit run INPUT...` first)")
        if p.exists() and p.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout = 30000")
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal" and not readonly:
                _retrying(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = OFF")
            if not readonly:
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable newsaudit database ({exc})") from exc

    # --- schema ---------------------------------------------------------------

    def _check_version(self) -> None:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:
            raise StoreError(f"{self.path}: not a newsaudit database (no meta table)") from None
        if row and int(row[0]) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer newsaudit (schema {row[0]} > {SCHEMA_VERSION}); upgrade newsaudit"
            )

    def _migrate(self) -> None:
        def do():
            with self.transaction() as c:
                for stmt in _ddl():
                    c.execute(stmt)
                row = c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if row and int(row[0]) > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path}: written by a newer newsaudit (schema {row[0]} > {SCHEMA_VERSION})"
                    )
                # columns added since a store was created: add them (old rows get NULL)
                for table, cols in COLUMNS.items():
                    have = {r[1] for r in c.execute(f'PRAGMA table_info("{table}")')}
                    for col in cols:
                        if col not in have:
                            c.execute(f'ALTER TABLE "{table}" ADD COLUMN "{col}" {_coltype(col)}')
                c.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        _retrying(do)

    @contextmanager
    def transaction(self):
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            yield c
        except BaseException:
            c.execute("ROLLBACK")
            raise
        else:
            c.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- writing --------------------------------------------------------------

    def audited_versions(self, article_ids: Iterable[str]) -> dict[str, str]:
        """``{article_id: analyzer_version}`` for the given ids already in the store."""
        ids = list(article_ids)
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = "SELECT article_id, analyzer_version FROM articles WHERE article_id IN (%s)" % ",".join("?" * len(chunk))
            out.update(dict(self.conn.execute(q, chunk).fetchall()))
        return out

    def is_current(self, article_id: str) -> bool:
        return self.audited_versions([article_id]).get(article_id) == ANALYZER_VERSION

    def save(self, pairs: Iterable[tuple[Article, AuditResult]]) -> int:
        """Store audited articles, each replacing its earlier rows, one transaction per batch."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        batch = [rows_for(a, r, audited_at=now) for a, r in pairs]
        if not batch:
            return 0

        def do():
            with self.transaction() as c:
                for rows in batch:
                    aid = rows["articles"][0]["article_id"]
                    for t in FINDING_TABLES:
                        c.execute(f'DELETE FROM "{t}" WHERE article_id = ?', (aid,))
                    for t, trs in rows.items():
                        if not trs:
                            continue
                        cols = COLUMNS[t]
                        sql = f'INSERT OR REPLACE INTO "{t}" ({",".join(chr(34) + x + chr(34) for x in cols)}) VALUES ({",".join("?" * len(cols))})'
                        c.executemany(sql, [tuple(r[col] for col in cols) for r in trs])
        _retrying(do)
        return len(batch)

    def record_errors(self, errors: Iterable[tuple[str, str]]) -> None:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = [(o, r, now) for o, r in errors]
        if rows:
            def do():
                with self.transaction() as c:
                    c.executemany("INSERT INTO errors VALUES (?, ?, ?)", rows)
            _retrying(do)

    def delete_article(self, article_id: str) -> None:
        def do():
            with self.transaction() as c:
                for t in COLUMNS:
                    c.execute(f'DELETE FROM "{t}" WHERE article_id = ?', (article_id,))
        _retrying(do)

    # --- reading --------------------------------------------------------------

    def query(self, sql: str, params=()) -> pd.DataFrame:
        return _retrying(lambda: pd.read_sql_query(sql, self.conn, params=list(params)))

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        where, params = (flt or ArticleFilter()).where()
        return _retrying(lambda: self.conn.execute(f"SELECT COUNT(*) FROM articles{where}", params).fetchone()[0])

    def articles(self, flt: ArticleFilter | None = None, *, order_by: str = "published", descending: bool = True,
                 limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        where, params = (flt or ArticleFilter()).where()
        if order_by not in SORTABLE:
            raise StoreError(f"cannot sort by {order_by!r}")
        sql = f'SELECT * FROM articles{where} ORDER BY "{order_by}" {"DESC" if descending else "ASC"}, article_id'
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self.query(sql, params)

    def table(self, name: str, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """A findings table, restricted to the articles the filter selects."""
        if name not in COLUMNS or name == "articles":
            if name == "articles":
                return self.articles(flt)
            raise StoreError(f"no table {name!r} (tables: {', '.join(COLUMNS)})")
        flt = flt or ArticleFilter()
        where, params = flt.where()
        order = ", n" if "n" in COLUMNS[name] else (", start" if "start" in COLUMNS[name] else "")
        if where:
            sql = f'SELECT t.* FROM "{name}" t WHERE t.article_id IN (SELECT article_id FROM articles{where}) ORDER BY t.article_id{order}'
        else:
            sql = f'SELECT * FROM "{name}" ORDER BY article_id{order}'
        return self.query(sql, params)

    def resolve(self, ref: str) -> str:
        """An article id from a full id, an id prefix, an external id or an origin path."""
        for sql, arg in (
            ("SELECT article_id FROM articles WHERE article_id = ?", ref),
            ("SELECT article_id FROM articles WHERE external_id = ?", ref),
            ("SELECT article_id FROM articles WHERE origin = ? OR url = ?", ref),
            ("SELECT article_id FROM articles WHERE article_id LIKE ?", ref + "%"),
            ("SELECT article_id FROM articles WHERE origin LIKE ? ESCAPE '\\'", "%" + _like(ref) + "%"),
        ):
            params = (arg, arg) if sql.count("?") == 2 else (arg,)
            rows = self.conn.execute(sql, params).fetchall()
            if len(rows) == 1:
                return rows[0][0]
            if len(rows) > 1:
                raise StoreError(f"{ref!r} matches {len(rows)} articles; give more of the id")
        raise StoreError(f"no article {ref!r} in {self.path}")

    def article(self, article_id: str) -> dict:
        """One article's row, body text and every findings table (DataFrames)."""
        one = ArticleFilter(article_ids=(article_id,))
        arts = self.articles(one)
        if arts.empty:
            raise StoreError(f"no article {article_id!r} in {self.path}")
        doc = self.query("SELECT * FROM documents WHERE article_id = ?", (article_id,))
        out = {"article": arts.iloc[0].to_dict(), "document": doc.iloc[0].to_dict() if not doc.empty else {}}
        for t in FINDING_TABLES:
            out[t] = self.table(t, one)
        return out

    def outlets(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT outlet FROM articles ORDER BY outlet")]

    def errors(self, limit: int = 200) -> pd.DataFrame:
        return self.query("SELECT * FROM errors ORDER BY at DESC LIMIT ?", (limit,))

    def stats(self) -> dict:
        c = self.conn
        return {
            "articles": c.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
            "outdated": c.execute("SELECT COUNT(*) FROM articles WHERE analyzer_version <> ?", (ANALYZER_VERSION,)).fetchone()[0],
            "outlets": c.execute("SELECT COUNT(DISTINCT outlet) FROM articles").fetchone()[0],
            "errors": c.execute("SELECT COUNT(*) FROM errors").fetchone()[0],
        }

    # --- dashboard aggregates (webui) ----------------------------------------------

    def article_values(self, columns: Iterable[str], flt: ArticleFilter | None = None, *,
                       order_by: str = "published", descending: bool = True, limit: int | None = None) -> pd.DataFrame:
        """Only some columns of the articles a filter selects (charts need a few of 40)."""
        cols = list(columns)
        bad = [c for c in cols + [order_by] if c not in SORTABLE]
        if bad:
            raise StoreError(f"no article column {bad[0]!r}")
        where, params = (flt or ArticleFilter()).where()
        sql = (f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM articles{where} '
               f'ORDER BY "{order_by}" {"DESC" if descending else "ASC"}, article_id')
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def data_version(self) -> tuple:
        """Changes whenever articles are written or deleted (a cache key for derived views).

        ``INSERT OR REPLACE`` gives a replaced row a new rowid, so re-audits change it too.
        """
        sql = "SELECT COUNT(*), MAX(rowid), MAX(audited_at) FROM articles"
        return tuple(_retrying(lambda: self.conn.execute(sql).fetchone()))

    def totals(self, flt: ArticleFilter | None = None) -> dict:
        """Corpus totals for the articles a filter selects."""
        where, params = (flt or ArticleFilter()).where()
        sql = (
            "SELECT COUNT(*), COUNT(DISTINCT outlet), COALESCE(SUM(words), 0), COALESCE(SUM(attributions), 0), "
            "COALESCE(SUM(hedges), 0), COALESCE(SUM(unverified_claims), 0), COALESCE(SUM(borrowed_reporting), 0), "
            "MIN(NULLIF(substr(published, 1, 10), '')), MAX(NULLIF(substr(published, 1, 10), '')) "
            f"FROM articles{where}"
        )
        row = _retrying(lambda: self.conn.execute(sql, params).fetchone())
        keys = ("articles", "outlets", "words", "attributions", "hedges", "unverified_claims",
                "borrowed_reporting", "first_date", "last_date")
        return dict(zip(keys, row))

    def outlet_summary(self, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """Per-outlet means of the headline article scores."""
        where, params = (flt or ArticleFilter()).where()
        sql = (
            "SELECT outlet, COUNT(*) AS articles, SUM(words) AS words, "
            "AVG(attributions_per_100_words) AS attributions_per_100_words, "
            "AVG(anonymous_source_share) AS anonymous_source_share, "
            "AVG(hedges_per_100_words) AS hedges_per_100_words, "
            "SUM(unverified_claims) AS unverified_claims, "
            "AVG(unverified_claims) AS unverified_claims_per_article, "
            "AVG(mean_actor_sentiment) AS mean_actor_sentiment "
            f"FROM articles{where} GROUP BY outlet ORDER BY outlet"
        )
        return self.query(sql, params)

    def date_trend(self, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """Per day and outlet: article count and mean scores (dated articles only)."""
        where, params = (flt or ArticleFilter()).where()
        where = (where + " AND " if where else " WHERE ") + "published <> '' AND published IS NOT NULL"
        sql = (
            "SELECT substr(published, 1, 10) AS day, outlet, COUNT(*) AS articles, "
            "AVG(attributions_per_100_words) AS attributions_per_100_words, "
            "AVG(anonymous_source_share) AS anonymous_source_share, "
            "AVG(hedges_per_100_words) AS hedges_per_100_words, "
            "SUM(unverified_claims) AS unverified_claims "
            f"FROM articles{where} GROUP BY day, outlet ORDER BY day, outlet"
        )
        return self.query(sql, params)

    def _actor_where(self, flt: ArticleFilter | None, search: str = "") -> tuple[str, list]:
        clauses, params = [], []
        where, fparams = (flt or ArticleFilter()).where()
        if where:
            clauses.append(f"article_id IN (SELECT article_id FROM articles{where})")
            params.extend(fparams)
        if search:
            pat = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(name LIKE ? ESCAPE '\\' OR actor_key LIKE ? ESCAPE '\\')")
            params.extend([pat, pat])
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def actor_summary(self, flt: ArticleFilter | None = None, *, search: str = "", limit: int = 50,
                      offset: int = 0) -> pd.DataFrame:
        """Actors across the selected articles, most mentioned first."""
        where, params = self._actor_where(flt, search)
        sql = (
            "SELECT actor_key, MAX(name) AS name, MAX(type) AS type, COUNT(DISTINCT article_id) AS articles, "
            "SUM(mentions) AS mentions, SUM(times_quoted) AS times_quoted, AVG(sentiment_score) AS sentiment_score "
            f"FROM actors{where} GROUP BY actor_key ORDER BY SUM(mentions) DESC, actor_key "
            f"LIMIT {int(limit)} OFFSET {int(offset)}"
        )
        return self.query(sql, params)

    def count_actors(self, flt: ArticleFilter | None = None, *, search: str = "") -> int:
        where, params = self._actor_where(flt, search)
        sql = f"SELECT COUNT(DISTINCT actor_key) FROM actors{where}"
        return _retrying(lambda: self.conn.execute(sql, params).fetchone()[0])

    def actor_articles(self, actor_key: str, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """One actor's rows across the selected articles, with each article's outlet, title and date."""
        where, params = (flt or ArticleFilter()).where()
        sql = (
            "SELECT t.*, a.outlet, a.title, a.published FROM actors t JOIN articles a ON a.article_id = t.article_id "
            "WHERE t.actor_key = ?"
            + (f" AND t.article_id IN (SELECT article_id FROM articles{where})" if where else "")
            + " ORDER BY a.published DESC, t.article_id"
        )
        return self.query(sql, [actor_key, *params])


def open_store(db: str | None = None, *, readonly: bool = False) -> Store:
    return Store(db, readonly=readonly)


def json_spans(value) -> list:
    return json.loads(value) if isinstance(value, str) and value else []
