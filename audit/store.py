"""The store: audit tables (audit.tables) ↔ SQLite (embedded default) or PostgreSQL.

All SQL of the project lives here. One table per DataFrame plus ``meta`` (schema
version), ``errors`` (inputs that could not be audited, once per input and reason) and
``aliases`` (every input an article was read from: records with different ids but the
same content are one article). Each batch of articles is written in one transaction (their
old rows replaced), together with the batch's errors and aliases, so an interrupted run
never leaves a half-written article and loses no recorded error.

``Store(path)`` opens an SQLite file: WAL mode and a busy timeout with retries let the
dashboard read while a run writes, and two runs share one file. ``Store(url)`` with a
``postgresql://`` (or ``postgresql+psycopg://``) URL opens a PostgreSQL database through
SQLAlchemy Core and psycopg 3 (the optional extra ``newsaudit[postgres]``), so a team can
audit into one server that one dashboard reads. Both run the same SQL: the few differences
(placeholders, upserts, transaction start, column types, case-insensitive LIKE, locking)
live in the two small dialect classes below; the PostgreSQL connection and its engine pool
are in :mod:`audit.store_pg`.
"""
from __future__ import annotations

import hashlib
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
from .store_pg import PgConnection, dispose_engines, pg_engine  # noqa: F401 (dispose_engines is public here)
from .tables import COLUMNS, FINDING_TABLES, INTEGER_COLUMNS, REAL_COLUMNS, TEXT_COLUMNS_BY_TABLE, rows_for

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

    def where(self, *, aliases: bool = True) -> tuple[str, list]:
        """SQL ``WHERE`` over ``articles`` (``aliases``: a search matches the input ids of the
        ``aliases`` table too; off for a read-only store made before that table existed)."""
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
            alias = " OR article_id IN (SELECT article_id FROM aliases WHERE external_id LIKE ? ESCAPE '\\')"
            clauses.append("(title LIKE ? ESCAPE '\\' OR outlet LIKE ? ESCAPE '\\' OR external_id LIKE ? ESCAPE '\\'"
                           + (alias if aliases else "") + ")")
            pat = "%" + _like(self.search) + "%"
            params.extend([pat] * (4 if aliases else 3))
        if self.article_ids:
            clauses.append("article_id IN (%s)" % ",".join("?" * len(self.article_ids)))
            params.extend(self.article_ids)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_url(db) -> bool:
    """True when ``db`` names a database server by URL (``postgresql://...``), not an SQLite file."""
    return isinstance(db, str) and db.split(":", 1)[0].lower() in _PG_SCHEMES


def normalize_db(db) -> str:
    """An SQLite path made absolute (so a server started elsewhere finds it); a URL unchanged."""
    db = str(db)
    return db if is_url(db) else os.path.abspath(db)


def describe_db(db) -> str:
    """``db`` for messages: a URL with its password masked."""
    db = str(db)
    if not is_url(db):
        return db
    scheme, _, rest = db.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}://{creds}{at}{host}"


def _is_sqlite_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _retrying(fn, *args, attempts: int = 8, busy=_is_sqlite_busy):
    """Run ``fn`` retrying with backoff while another connection holds the write lock.

    ``busy(exc)`` says whether an error is worth another try (SQLite: the database is
    locked; PostgreSQL: a deadlock, a serialization failure or a dropped connection)."""
    delay = 0.05
    for i in range(attempts):
        try:
            return fn(*args)
        except Exception as exc:
            if not busy(exc):
                raise
            if i == attempts - 1:
                raise StoreError(
                    "the database is busy (another newsaudit run is writing to it); try again shortly"
                ) from exc
            time.sleep(delay + random.random() * delay)
            delay = min(delay * 2, 2.0)


# --- dialects: the few places where SQLite and PostgreSQL differ ---------------------------

_PG_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


class _Dialect:
    coltypes: dict[str, str] = {}

    @classmethod
    def coltype(cls, col: str, table: str = "") -> str:
        if col in TEXT_COLUMNS_BY_TABLE.get(table, ()):
            return cls.coltypes["text"]
        return cls.coltypes["int" if col in INTEGER_COLUMNS else "real" if col in REAL_COLUMNS else "text"]


class _SQLite(_Dialect):
    name = "sqlite"
    errors: tuple = (sqlite3.Error, pd.errors.DatabaseError)
    begin = "BEGIN IMMEDIATE"          # take the write lock now, not at the first write
    busy = staticmethod(_is_sqlite_busy)
    coltypes = {"int": "INTEGER", "real": "REAL", "text": "TEXT"}

    @staticmethod
    def upsert(table: str, cols) -> str:
        return (f'INSERT OR REPLACE INTO "{table}" ({",".join(chr(34) + x + chr(34) for x in cols)}) '
                f'VALUES ({",".join("?" * len(cols))})')

    # changes when a row is written: a replaced row gets a new rowid
    row_version = "rowid"
    # insertion order, the last key of a findings table's ORDER BY (rows of one article keep
    # the analyzer's order); PostgreSQL has no rowid, so its findings tables get a "_seq" column
    row_order = "rowid"
    seq_column = ""

    @staticmethod
    def columns(c, table: str) -> set[str]:
        return {r[1] for r in c.execute(f'PRAGMA table_info("{table}")')}

    # tables an article's re-save deletes from first (articles/documents rows are replaced)
    delete_tables = FINDING_TABLES

    @classmethod
    def insert_rows(cls, c, table: str, rows: list) -> None:
        c.executemany(cls.upsert(table, COLUMNS[table]), rows)

    @staticmethod
    def lock(c, keys) -> None:
        """Serialise writers of the same articles: BEGIN IMMEDIATE already serialises all writers."""


class _Postgres(_Dialect):
    name = "postgresql"
    begin = "BEGIN"
    # DOUBLE PRECISION, not REAL (a 4-byte float in PostgreSQL), so scores read back as written;
    # byte-order collation so ORDER BY on text sorts as SQLite's BINARY collation does.
    coltypes = {"int": "INTEGER", "real": "DOUBLE PRECISION", "text": 'TEXT COLLATE "C"'}
    # SQLSTATEs worth another try: serialization failure, deadlock, lock not available.
    RETRY_STATES = {"40001", "40P01", "55P03"}

    def __init__(self):
        import sqlalchemy.exc

        self._sa_exc = sqlalchemy.exc
        self.errors = (sqlalchemy.exc.SQLAlchemyError, pd.errors.DatabaseError)

    def busy(self, exc: BaseException) -> bool:
        if not isinstance(exc, self._sa_exc.DBAPIError):
            exc = exc.__cause__              # pandas wraps a failed read in its own DatabaseError
            if not isinstance(exc, self._sa_exc.DBAPIError):
                return False
        if exc.connection_invalidated:       # the server went away: retry on a new connection
            return True
        return getattr(exc.orig, "sqlstate", None) in self.RETRY_STATES

    @staticmethod
    def upsert(table: str, cols) -> str:
        names = ",".join(f'"{x}"' for x in cols)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({",".join("?" * len(cols))})'
        key = _PRIMARY_KEYS.get(table)
        if key:
            sets = ", ".join(f'"{x}" = EXCLUDED."{x}"' for x in cols if x != key)
            sql += f' ON CONFLICT ("{key}") DO ' + (f"UPDATE SET {sets}" if sets else "NOTHING")
        return sql

    # changes when a row is written: a rewritten row carries its writer's transaction id
    row_version = "xmin::text::bigint"
    row_order = "_seq"
    seq_column = '"_seq" BIGINT GENERATED ALWAYS AS IDENTITY'

    @staticmethod
    def columns(c, table: str) -> set[str]:
        sql = ("SELECT column_name FROM information_schema.columns "
               "WHERE table_schema = current_schema() AND table_name = ?")
        return {r[0] for r in c.execute(sql, (table,))}

    # a re-save deletes every row of the article, then COPYs the new ones in
    delete_tables = tuple(COLUMNS)

    @staticmethod
    def insert_rows(c, table: str, rows: list) -> None:
        c.copy_rows(table, COLUMNS[table], rows)

    @staticmethod
    def lock(c, keys) -> None:
        """Per-article transaction locks, taken in sorted order (no deadlock between two batches):
        a concurrent writer of the same article waits, then deletes what this one inserted."""
        c.execute("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(?::text[]) AS k",
                  (sorted(set(keys)),)).fetchall()


_PRIMARY_KEYS = {"meta": "key", "articles": "article_id", "documents": "article_id"}
_MIGRATE_LOCK = "newsaudit schema"
_ERRORS_KEYED = "errors_keyed"      # meta key: the errors table has one row per input and reason

# Kept by the store beside the audit tables (not replaced when an article is re-audited).
ERROR_COLUMNS = ("origin", "reason", "at", "error_id")
ALIAS_COLUMNS = ("article_id", "external_id", "origin", "alias_id")
_UPSERT_ERROR = ('INSERT INTO errors (origin, reason, at, error_id) VALUES (?, ?, ?, ?) '
                 'ON CONFLICT (error_id) DO UPDATE SET at = excluded.at')
_INSERT_ALIAS = ('INSERT INTO aliases (article_id, external_id, origin, alias_id) VALUES (?, ?, ?, ?) '
                 'ON CONFLICT (alias_id) DO NOTHING')


def row_key(*parts: str) -> str:
    """A fixed-size key of text parts (unique indexes on long origins would outgrow a B-tree page)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()[:32]


def _error_rows(errors: Iterable[tuple[str, str]], now: str) -> list[tuple]:
    rows = {row_key(o, r): (o, r, now, row_key(o, r)) for o, r in errors}
    return [rows[k] for k in sorted(rows)]      # one order in every writer: no deadlock between two


def _alias_rows(aliases: Iterable[tuple[str, str | None, str]]) -> list[tuple]:
    rows = {}
    for aid, ext, origin in aliases:
        ext, origin = "" if ext is None else str(ext), origin or ""
        k = row_key(aid, ext, origin)
        rows[k] = (aid, ext, origin, k)
    return [rows[k] for k in sorted(rows)]


def _select_list(table: str, alias: str) -> str:
    """A table's columns in COLUMNS order (never ``*``: PostgreSQL's tables also hold ``_seq``)."""
    return ", ".join(f'{alias}."{c}"' for c in COLUMNS[table])


def _ddl(dialect=_SQLite) -> list[str]:
    coltype = dialect.coltype
    text = dialect.coltypes["text"]
    stmts = [f"CREATE TABLE IF NOT EXISTS meta (key {text} PRIMARY KEY, value {text})",
             f"CREATE TABLE IF NOT EXISTS errors (origin {text}, reason {text}, at {text}, error_id {text})",
             f"CREATE TABLE IF NOT EXISTS aliases (article_id {text}, external_id {text}, origin {text}, "
             f"alias_id {text} PRIMARY KEY)",
             "CREATE INDEX IF NOT EXISTS ix_aliases_article ON aliases (article_id)",
             "CREATE INDEX IF NOT EXISTS ix_aliases_external ON aliases (external_id)",
             "CREATE INDEX IF NOT EXISTS ix_aliases_origin ON aliases (origin)"]
    for table, cols in COLUMNS.items():
        pk = _PRIMARY_KEYS.get(table)
        defs = ", ".join(f'"{c}" {coltype(c, table)}' + (" PRIMARY KEY" if c == pk else "") for c in cols)
        if not pk and dialect.seq_column:
            defs += ", " + dialect.seq_column
        stmts.append(f'CREATE TABLE IF NOT EXISTS "{table}" ({defs})')
        if not pk:
            stmts.append(f'CREATE INDEX IF NOT EXISTS "ix_{table}_article" ON "{table}" (article_id)')
    stmts += [
        "CREATE INDEX IF NOT EXISTS ix_articles_outlet ON articles (outlet)",
        "CREATE INDEX IF NOT EXISTS ix_articles_published ON articles (published)",
        "CREATE INDEX IF NOT EXISTS ix_actors_key ON actors (actor_key)",
    ]
    return stmts


class Store:
    """An open newsaudit database: an SQLite file path or a ``postgresql://`` URL.

    ``db`` defaults to ``$NEWSAUDIT_DB``, else ``./newsaudit.db``. ``readonly`` stores never
    create or migrate tables (and, on PostgreSQL, run read-only transactions)."""

    def __init__(self, path: str | os.PathLike | None = None, *, readonly: bool = False):
        self.path = str(path or default_db_path())
        self.label = describe_db(self.path)
        self._has_aliases: bool | None = None
        if is_url(self.path):
            self._open_postgres(readonly)
        else:
            self._open_sqlite(readonly)

    def _open_sqlite(self, readonly: bool) -> None:
        self.dialect = _SQLite()
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

    def _open_postgres(self, readonly: bool) -> None:
        self.dialect = _Postgres()
        engine = pg_engine(self.path, readonly)
        try:
            self.conn = PgConnection(engine.connect())
        except self.dialect.errors as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"{self.label}: cannot connect to PostgreSQL ({reason})") from None
        try:
            if not readonly:
                self._migrate()
            else:
                self._check_version()
        except BaseException:
            self.conn.close()
            raise

    # --- schema ---------------------------------------------------------------

    def _check_version(self) -> None:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except self.dialect.errors:
            if self.dialect.name == "sqlite":
                raise StoreError(f"{self.path}: not a newsaudit database (no meta table)") from None
            raise StoreError(f"{self.label}: no newsaudit tables in this database "
                             "(run `newsaudit run INPUT... --db URL` first)") from None
        if row and int(row[0]) > SCHEMA_VERSION:
            raise StoreError(
                f"{self.label}: written by a newer newsaudit (schema {row[0]} > {SCHEMA_VERSION}); upgrade newsaudit"
            )

    def _migrate(self) -> None:
        def do():
            with self.transaction() as c:
                self.dialect.lock(c, [_MIGRATE_LOCK])   # two first runs must not both create tables
                for stmt in _ddl(self.dialect):
                    c.execute(stmt)
                row = c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if row and int(row[0]) > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.label}: written by a newer newsaudit (schema {row[0]} > {SCHEMA_VERSION})"
                    )
                # columns added since a store was created: add them (old rows get NULL)
                for table, cols in COLUMNS.items():
                    have = self.dialect.columns(c, table)
                    for col in cols:
                        if col not in have:
                            c.execute(f'ALTER TABLE "{table}" ADD COLUMN "{col}" {self.dialect.coltype(col, table)}')
                    seq = self.dialect.seq_column
                    if seq and table not in _PRIMARY_KEYS and seq.split()[0].strip('"') not in have:
                        c.execute(f'ALTER TABLE "{table}" ADD COLUMN {seq}')
                self._key_errors(c)
                c.execute(self.dialect.upsert("meta", ("key", "value")), ("schema_version", str(SCHEMA_VERSION)))
        self._retrying(do)

    def _key_errors(self, c) -> None:
        """Stores made before errors had a key: one row per input and reason (the latest), keyed."""
        if "error_id" not in self.dialect.columns(c, "errors"):
            c.execute(f'ALTER TABLE errors ADD COLUMN error_id {self.dialect.coltypes["text"]}')
        if c.execute("SELECT value FROM meta WHERE key = ?", (_ERRORS_KEYED,)).fetchone():
            return
        old = c.execute("SELECT origin, reason, MAX(at) FROM errors GROUP BY origin, reason").fetchall()
        c.execute("DELETE FROM errors")
        c.execute("CREATE UNIQUE INDEX IF NOT EXISTS ux_errors_id ON errors (error_id)")
        rows = [(o, r, at, row_key(o, r)) for o, r, at in old]
        if rows:
            c.executemany(_UPSERT_ERROR, rows)
        c.execute(self.dialect.upsert("meta", ("key", "value")), (_ERRORS_KEYED, "1"))

    def _retrying(self, fn, *args):
        return _retrying(fn, *args, busy=self.dialect.busy)

    @property
    def has_aliases(self) -> bool:
        """Whether the store has its ``aliases`` table (a read-only store made by an older
        newsaudit may not: its searches and look-ups then use the articles table alone)."""
        if self._has_aliases is None:
            self._has_aliases = bool(self._retrying(lambda: self.dialect.columns(self.conn, "aliases")))
        return self._has_aliases

    def _where(self, flt: ArticleFilter | None) -> tuple[str, list]:
        return (flt or ArticleFilter()).where(aliases=self.has_aliases)

    @property
    def db_errors(self) -> tuple:
        """The exception classes a failed statement raises on this store's backend."""
        return self.dialect.errors

    @contextmanager
    def transaction(self):
        c = self.conn
        c.execute(self.dialect.begin)
        try:
            yield c
        except BaseException:
            try:
                c.execute("ROLLBACK")
            except self.dialect.errors:
                pass                     # the connection is gone, and its transaction with it
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
            out.update((k, v) for k, v in self._retrying(lambda: self.conn.execute(q, chunk).fetchall()))
        return out

    def is_current(self, article_id: str) -> bool:
        return self.audited_versions([article_id]).get(article_id) == ANALYZER_VERSION

    def save(self, pairs: Iterable[tuple[Article, AuditResult]], *, errors: Iterable[tuple[str, str]] = (),
             aliases: Iterable[Article] = ()) -> int:
        """Store a batch in one transaction: audited articles (each replacing its earlier rows),
        the inputs that failed (``(origin, reason)``, once per input and reason: a rerun updates
        the time) and the inputs read as an article already stored (``aliases``: articles whose
        id, input id and origin are kept, nothing else). Every article of ``pairs`` and
        ``aliases`` is an alias of its stored article; an input read now has no error left."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        pairs = list(pairs)
        batch = [rows_for(a, r, audited_at=now) for a, r in pairs]
        seen = [a for a, _ in pairs] + list(aliases)
        alias_rows = _alias_rows((a.id, a.external_id, a.origin) for a in seen)
        error_rows = _error_rows(errors, now)
        read = sorted({a.origin for a in seen if a.origin})
        if not batch and not alias_rows and not error_rows:
            return 0
        # the last audit of an article in a batch wins, as if the batch were saved one by one
        latest = {rows["articles"][0]["article_id"]: rows for rows in batch}
        ids = sorted(latest)
        inserts = {t: [tuple(r[col] for col in COLUMNS[t]) for rows in latest.values() for r in rows.get(t, ())]
                   for t in COLUMNS}

        def do():
            with self.transaction() as c:
                if ids:
                    self.dialect.lock(c, ids)
                # a few statements per batch, not per article: a server is a round trip away
                for t in self.dialect.delete_tables if ids else ():
                    for chunk in _chunked(ids):
                        c.execute(f'DELETE FROM "{t}" WHERE article_id IN ({",".join("?" * len(chunk))})', chunk)
                for t, trs in inserts.items():
                    if trs:
                        self.dialect.insert_rows(c, t, trs)
                for chunk in _chunked(read):
                    c.execute(f'DELETE FROM errors WHERE origin IN ({",".join("?" * len(chunk))})', chunk)
                if error_rows:
                    c.executemany(_UPSERT_ERROR, error_rows)
                if alias_rows:
                    c.executemany(_INSERT_ALIAS, alias_rows)
        self._retrying(do)
        return len(batch)

    def record_errors(self, errors: Iterable[tuple[str, str]]) -> None:
        """Record inputs that could not be audited (once per input and reason)."""
        self.save((), errors=errors)

    def delete_article(self, article_id: str) -> None:
        def do():
            with self.transaction() as c:
                self.dialect.lock(c, [article_id])
                for t in (*COLUMNS, "aliases"):
                    c.execute(f'DELETE FROM "{t}" WHERE article_id = ?', (article_id,))
        self._retrying(do)

        # --- reading --------------------------------------------------------------

    def query(self, sql: str, params=()) -> pd.DataFrame:
        return self._retrying(lambda: self._read_sql(sql, list(params)))

    def _read_sql(self, sql: str, params: list) -> pd.DataFrame:
        if self.dialect.name == "sqlite":
            return pd.read_sql_query(sql, self.conn, params=params)
        return self.conn.read_sql(sql, params)

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        where, params = self._where(flt)
        return self._retrying(lambda: self.conn.execute(f"SELECT COUNT(*) FROM articles{where}", params).fetchone()[0])

    def articles(self, flt: ArticleFilter | None = None, *, order_by: str = "published", descending: bool = True,
                 limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        where, params = self._where(flt)
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
        where, params = self._where(flt)
        order = ", t.n" if "n" in COLUMNS[name] else (", t.start" if "start" in COLUMNS[name] else "")
        if name not in _PRIMARY_KEYS:
            order += f", t.{self.dialect.row_order}"
        cols = _select_list(name, "t")
        if where:
            sql = (f'SELECT {cols} FROM "{name}" t WHERE t.article_id IN (SELECT article_id FROM articles{where}) '
                   f'ORDER BY t.article_id{order}')
        else:
            sql = f'SELECT {cols} FROM "{name}" t ORDER BY t.article_id{order}'
        return self.query(sql, params)

    def resolve(self, ref: str) -> str:
        """An article id from a full id, an id prefix, an external id or an origin path (those of
        every input the article was read from: see ``aliases``)."""
        stored = " AND article_id IN (SELECT article_id FROM articles)"
        queries = (
            ("SELECT article_id FROM articles WHERE article_id = ?", ref),
            ("SELECT article_id FROM articles WHERE external_id = ? "
             f"UNION SELECT article_id FROM aliases WHERE external_id = ?{stored}", ref),
            ("SELECT article_id FROM articles WHERE origin = ? OR url = ? "
             f"UNION SELECT article_id FROM aliases WHERE origin = ?{stored}", ref),
            ("SELECT article_id FROM articles WHERE article_id LIKE ?", ref + "%"),
            ("SELECT article_id FROM articles WHERE origin LIKE ? ESCAPE '\\' "
             f"UNION SELECT article_id FROM aliases WHERE origin LIKE ? ESCAPE '\\'{stored}",
             "%" + _like(ref) + "%"),
        )
        for sql, arg in queries:
            if not self.has_aliases:
                sql = sql.split(" UNION ")[0]
            params = (arg,) * sql.count("?")
            rows = self.conn.execute(sql, params).fetchall()
            if len(rows) == 1:
                return rows[0][0]
            if len(rows) > 1:
                raise StoreError(f"{ref!r} matches {len(rows)} articles; give more of the id")
        raise StoreError(f"no article {ref!r} in {self.label}")

    def article(self, article_id: str) -> dict:
        """One article's row, body text and every findings table (DataFrames)."""
        one = ArticleFilter(article_ids=(article_id,))
        arts = self.articles(one)
        if arts.empty:
            raise StoreError(f"no article {article_id!r} in {self.label}")
        doc = self.query("SELECT * FROM documents WHERE article_id = ?", (article_id,))
        out = {"article": arts.iloc[0].to_dict(), "document": doc.iloc[0].to_dict() if not doc.empty else {}}
        for t in FINDING_TABLES:
            out[t] = self.table(t, one)
        out["aliases"] = self.aliases(one)
        return out

    def aliases(self, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """Every input the selected articles were read from (``article_id``, ``external_id``, ``origin``)."""
        if not self.has_aliases:
            return pd.DataFrame(columns=list(ALIAS_COLUMNS[:3]))
        where, params = self._where(flt)
        sub = f" WHERE article_id IN (SELECT article_id FROM articles{where})" if where else ""
        return self.query(f"SELECT article_id, external_id, origin FROM aliases{sub} "
                          "ORDER BY article_id, origin, external_id", params)

    def outlets(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT outlet FROM articles ORDER BY outlet")]

    def errors(self, limit: int = 200) -> pd.DataFrame:
        return self.query("SELECT origin, reason, at FROM errors ORDER BY at DESC, origin, reason LIMIT ?", (limit,))

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
        where, params = self._where(flt)
        sql = (f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM articles{where} '
               f'ORDER BY "{order_by}" {"DESC" if descending else "ASC"}, article_id')
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def data_version(self) -> tuple:
        """Changes whenever articles are written or deleted (a cache key for derived views).

        A re-audited article's row is written anew (SQLite: a new rowid; PostgreSQL: a new
        row version), so re-audits change it too.
        """
        sql = f"SELECT COUNT(*), MAX({self.dialect.row_version}), MAX(audited_at) FROM articles"
        return tuple(self._retrying(lambda: self.conn.execute(sql).fetchone()))

    def totals(self, flt: ArticleFilter | None = None) -> dict:
        """Corpus totals for the articles a filter selects."""
        where, params = self._where(flt)
        sql = (
            "SELECT COUNT(*), COUNT(DISTINCT outlet), COALESCE(SUM(words), 0), COALESCE(SUM(attributions), 0), "
            "COALESCE(SUM(hedges), 0), COALESCE(SUM(unverified_claims), 0), COALESCE(SUM(borrowed_reporting), 0), "
            "MIN(NULLIF(substr(published, 1, 10), '')), MAX(NULLIF(substr(published, 1, 10), '')) "
            f"FROM articles{where}"
        )
        row = self._retrying(lambda: self.conn.execute(sql, params).fetchone())
        keys = ("articles", "outlets", "words", "attributions", "hedges", "unverified_claims",
                "borrowed_reporting", "first_date", "last_date")
        return dict(zip(keys, row))

    def outlet_summary(self, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """Per-outlet means of the headline article scores."""
        where, params = self._where(flt)
        sql = (
            "SELECT outlet, COUNT(*) AS articles, SUM(words) AS words, "
            "AVG(attributions_per_100_words) AS attributions_per_100_words, "
            "AVG(anonymous_source_share) AS anonymous_source_share, "
            "AVG(hedges_per_100_words) AS hedges_per_100_words, "
            "SUM(unverified_claims) AS unverified_claims, "
            "AVG(unverified_claims) AS unverified_claims_per_article, "
            "AVG(mean_actor_sentiment) AS mean_actor_sentiment, "
            "AVG(loaded_sentence_share) AS loaded_sentence_share, "
            "AVG(loaded_words_per_100_words) AS loaded_words_per_100_words "
            f"FROM articles{where} GROUP BY outlet ORDER BY outlet"
        )
        return self.query(sql, params)

    def date_trend(self, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """Per day and outlet: article count and mean scores (dated articles only)."""
        where, params = self._where(flt)
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
        where, fparams = self._where(flt)
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
        return self._retrying(lambda: self.conn.execute(sql, params).fetchone()[0])

    def actor_articles(self, actor_key: str, flt: ArticleFilter | None = None) -> pd.DataFrame:
        """One actor's rows across the selected articles, with each article's outlet, title and date."""
        where, params = self._where(flt)
        sql = (
            f"SELECT {_select_list('actors', 't')}, a.outlet, a.title, a.published "
            "FROM actors t JOIN articles a ON a.article_id = t.article_id "
            "WHERE t.actor_key = ?"
            + (f" AND t.article_id IN (SELECT article_id FROM articles{where})" if where else "")
            + " ORDER BY a.published DESC, t.article_id"
        )
        return self.query(sql, [actor_key, *params])


def _chunked(items: list, n: int = 500):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def open_store(db: str | None = None, *, readonly: bool = False) -> Store:
    return Store(db, readonly=readonly)


def json_spans(value) -> list:
    return json.loads(value) if isinstance(value, str) and value else []
