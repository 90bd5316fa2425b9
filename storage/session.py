"""Engines and sessions. One place that knows how to connect to SQLite and PostgreSQL."""
from __future__ import annotations

import select
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, InvalidatePoolError
from sqlalchemy.orm import Session as Session  # re-exported: bot/ names it from here
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

DEFAULT_URL = "sqlite:///inquirybot.db"

# The types bot/ names without importing SQLAlchemy itself (docs/scheduling.md, "Layers"): a unit of
# work, and what opens one.
SessionFactory: TypeAlias = sessionmaker[Session]


class DatabaseUrlError(ValueError):
    pass


def normalize_url(url: str) -> URL:
    """Parse DATABASE_URL; plain postgresql:// means psycopg 3 (the driver we ship)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"DATABASE_URL {url!r} is not a database URL ({exc})") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            f"DATABASE_URL {url!r}: only sqlite:/// and postgresql:// are supported"
        )
    return parsed


def make_engine(url: str = DEFAULT_URL, **kwargs: Any) -> Engine:  # kwargs: create_engine's
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; we issue BEGIN IMMEDIATE ourselves so
        # that a writer takes the lock at the start and concurrent writers queue instead of failing.
        # Read-only sessions (see read_only) begin deferred: in WAL mode they never block writers.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if "pool_pre_ping" in kwargs:  # the caller chose SQLAlchemy's own ping on every checkout
        return create_engine(parsed, **kwargs)
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "checkin", _returned)
    event.listen(engine, "checkout", _pg_liveness(engine))
    return engine


# A pooled PostgreSQL connection is checked before use, like pool_pre_ping, but without its round
# trip (a quarter of a millisecond of each Slack command) when the connection was returned moments
# ago and nothing arrived on its socket since: a server that closed it (restart, terminated
# backend, idle timeout) sends its goodbye and EOF, which makes the socket readable. A connection
# idle for longer — where a silent drop by the network is possible — gets the real ping.
PING_AFTER_IDLE = 30.0  # seconds
_RETURNED_AT = "inquirybot_returned_at"


def _returned(_dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _pg_liveness(engine: Engine) -> Callable[[DBAPIConnection, ConnectionPoolEntry, PoolProxiedConnection], None]:
    dialect = engine.dialect

    def check(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is None:
            return  # never used: just connected
        if time.monotonic() - returned < PING_AFTER_IDLE and not _has_input(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # As pool_pre_ping does: a dead connection usually means a restart that ended them all.
            raise InvalidatePoolError(f"connection failed its ping: {exc}") from exc

    return check


def _has_input(dbapi_connection: Any) -> bool:  # a psycopg connection (closed, fileno)
    """Anything to read on an idle connection's socket (or no socket at all)?"""
    try:
        if dbapi_connection.closed:
            return True
        return bool(select.select([dbapi_connection.fileno()], [], [], 0)[0])
    except Exception:
        return True


READ_ONLY = "inquirybot_read_only"


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def read_only(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for work that only reads (reports): on SQLite they do not take the write lock, so a
    long report never holds up a Slack command. Writing through one is a programming error."""
    engine = factory.kw["bind"]
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver; SQLAlchemy sends BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    with factory() as session:
        with session.begin():
            yield session
