"""The PostgreSQL side of :mod:`audit.store`: a connection that runs the store's qmark SQL
through SQLAlchemy Core and psycopg 3 (``COPY`` for bulk inserts), and one pooled engine per
URL and access mode. Imported by the store; SQLAlchemy and psycopg are imported only when a
PostgreSQL store is opened (the optional extra ``newsaudit[postgres]``)."""
from __future__ import annotations

import threading

import pandas as pd


_PLAIN = {str, int, type(None)}


def _pg_row(values) -> tuple:
    return tuple(v if type(v) in _PLAIN else _pg_value(v) for v in values)


def _pg_value(v):
    """A parameter as SQLite would store it: bools as 0/1, NaN as NULL, numpy scalars as Python."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        return None if v != v else float(v)
    if hasattr(v, "item") and type(v).__module__ == "numpy":
        return _pg_value(v.item())
    return v


class PgConnection:
    """A SQLAlchemy connection in autocommit mode that runs the store's qmark SQL.

    Mirrors the slice of ``sqlite3.Connection`` the store uses (``execute``, ``executemany``,
    ``close``): transactions are explicit ``BEGIN``/``COMMIT`` statements, as with SQLite's
    ``isolation_level=None``, so reads outside a transaction never leave one open."""

    def __init__(self, sa_conn):
        self._sa = sa_conn

    @property
    def sa(self):
        """The SQLAlchemy connection, reset first if a dropped server connection invalidated it
        (its next statement then reconnects; the store's retry runs the transaction again)."""
        if self._sa.invalidated:
            self._sa.rollback()
        return self._sa

    @staticmethod
    def sql(sql: str, has_params: bool) -> str:
        # SQLite's LIKE ignores ASCII case; ILIKE is PostgreSQL's case-insensitive LIKE.
        sql = sql.replace(" LIKE ", " ILIKE ")
        return sql.replace("%", "%%").replace("?", "%s") if has_params else sql

    def execute(self, sql: str, params=()):
        params = _pg_row(params)
        if params:
            return self.sa.exec_driver_sql(self.sql(sql, True), params)
        return self.sa.exec_driver_sql(self.sql(sql, False))

    def executemany(self, sql: str, rows) -> None:
        rows = [_pg_row(r) for r in rows]
        if rows:
            self.sa.exec_driver_sql(self.sql(sql, True), rows)

    def copy_rows(self, table: str, cols, rows) -> None:
        """Bulk-insert rows with COPY (one stream, not a statement per row)."""
        import psycopg
        from sqlalchemy.exc import DBAPIError

        sql = f'COPY "{table}" ({",".join(chr(34) + c + chr(34) for c in cols)}) FROM STDIN'
        raw = self.sa.connection.driver_connection
        try:
            with raw.cursor() as cur, cur.copy(sql) as copy:
                for r in rows:
                    copy.write_row(_pg_row(r))
        except psycopg.Error as exc:
            lost = raw.closed
            if lost:
                self.sa.invalidate()          # the next statement reconnects
            raise DBAPIError.instance(sql, None, exc, psycopg.Error, connection_invalidated=lost) from exc

    def read_sql(self, sql: str, params) -> pd.DataFrame:
        params = _pg_row(params)
        res = self.sa.exec_driver_sql(self.sql(sql, bool(params)), params) if params else \
            self.sa.exec_driver_sql(self.sql(sql, False))
        try:
            # the driver's plain tuples (SQLAlchemy's Row objects cost more than the query on big tables)
            cols, rows = list(res.keys()), res.cursor.fetchall()
        finally:
            res.close()
        return pd.DataFrame.from_records(rows, columns=cols, coerce_float=True)

    def close(self) -> None:
        self._sa.close()


# One engine (and its connection pool) per URL and access mode, so the dashboard's
# per-request stores reuse connections; bounded, the oldest disposed first.
_ENGINES: dict[tuple[str, bool], object] = {}
_ENGINES_LOCK = threading.Lock()
_MAX_ENGINES = 8


def pg_engine(url: str, readonly: bool):
    from .store import StoreError, describe_db

    try:
        from psycopg.types.numeric import FloatLoader
        from sqlalchemy import create_engine, event
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError
    except ImportError as exc:
        raise StoreError(
            f"PostgreSQL stores need SQLAlchemy and psycopg 3: pip install 'newsaudit[postgres]' ({exc})"
        ) from None
    key = (url, readonly)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is not None:
            return engine
        try:
            u = make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"{describe_db(url)}: not a database URL ({exc})") from None
        if u.drivername in ("postgresql", "postgres"):
            u = u.set(drivername="postgresql+psycopg")
        if u.drivername != "postgresql+psycopg":
            raise StoreError(f"{describe_db(url)}: use a postgresql:// or postgresql+psycopg:// URL")
        connect_args = {} if "connect_timeout" in u.query else {"connect_timeout": 10}
        engine = create_engine(u, isolation_level="AUTOCOMMIT", pool_pre_ping=True, connect_args=connect_args)

        @event.listens_for(engine, "connect")
        def _setup(dbapi_conn, _record):
            # AVG/SUM of integers are NUMERIC in PostgreSQL: read them as floats, as SQLite gives them.
            dbapi_conn.adapters.register_loader("numeric", FloatLoader)
            if readonly:
                with dbapi_conn.cursor() as cur:
                    cur.execute("SET default_transaction_read_only = on")

        _ENGINES[key] = engine
        while len(_ENGINES) > _MAX_ENGINES:
            _ENGINES.pop(next(iter(_ENGINES))).dispose()
        return engine


def dispose_engines() -> None:
    """Close every pooled PostgreSQL connection (tests, and a process about to fork)."""
    with _ENGINES_LOCK:
        while _ENGINES:
            _ENGINES.popitem()[1].dispose()
