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
from sqlalchemy.exc import ArgumentError, InvalidatePoolError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session as Session  # re-exported: bot/ names it from here
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from storage.errors import DatabaseBusy, is_database_busy
from storage.writer_gate import WriterGate

DEFAULT_URL = "sqlite:///inquirybot.db"

# How long a unit of work may wait for the database before it gives up with DatabaseBusy
# (docs/faults.md "A busy database"). Work that answers a person (a Slack request) waits
# ANSWER_WAIT: Slack shows the user a timeout at 3 s, and a write that lands after that invites a
# retry and a duplicate. Background work (delivery, reminders, tick) may wait longer.
ANSWER_WAIT = 2.0  # seconds
PATIENT_WAIT = 30.0  # seconds
LOCK_WAIT = "inquirybot_lock_wait"

# The types bot/ names without importing SQLAlchemy itself (docs/layout.md): a unit of
# work, and what opens one.
SessionFactory: TypeAlias = sessionmaker[Session]


class DatabaseUrlError(ValueError):
    pass


def normalize_url(url: str) -> URL:
    """Parse DATABASE_URL; plain postgresql:// means psycopg 3 (the driver we ship)."""
    if not (url or "").strip():
        raise DatabaseUrlError("DATABASE_URL is set but empty")
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUrlError(f"DATABASE_URL {url!r} is not a database URL ({exc})") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(f"DATABASE_URL {url!r}: only sqlite:/// and postgresql:// are supported")
    try:
        parsed.get_dialect()  # an unknown driver (postgresql+nosuch://) fails here, not at first use
    except Exception as exc:  # NoSuchModuleError, or the driver's own ImportError
        raise DatabaseUrlError(
            f"DATABASE_URL {url!r}: unknown database driver {parsed.drivername!r} ({type(exc).__name__})"
        ) from None
    return parsed


def make_engine(url: str = DEFAULT_URL, **kwargs: Any) -> Engine:  # kwargs: create_engine's
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": PATIENT_WAIT}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        _gate_writers(engine)
        return engine
    if "connect_timeout" not in parsed.query:  # an unreachable server is "busy", not a hang
        kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", max(1, int(ANSWER_WAIT)))
    kwargs.setdefault("pool_timeout", PATIENT_WAIT)
    if "pool_pre_ping" in kwargs:  # the caller chose SQLAlchemy's own ping on every checkout
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _pg_lock_timeout)
        return engine
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "connect", _pg_lock_timeout)
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


def _pg_liveness(
    engine: Engine,
) -> Callable[[DBAPIConnection, ConnectionPoolEntry, PoolProxiedConnection], None]:
    dialect = engine.dialect

    def check(
        dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
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


def _pg_lock_timeout(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:  # a psycopg connection
    """A statement that waits longer than ANSWER_WAIT for a lock fails (LockNotAvailable) and its
    transaction rolls back; transaction() reports it as DatabaseBusy. Claims use SKIP LOCKED and
    never wait."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{int(ANSWER_WAIT * 1000)}ms'")
    finally:
        dbapi_connection.autocommit = autocommit


READ_ONLY = "inquirybot_read_only"


def _gate_writers(engine: Engine) -> None:
    """SQLite's single-writer discipline, in one place.

    pysqlite's own transaction handling defers BEGIN; we issue BEGIN IMMEDIATE ourselves so that a
    writer takes the lock at the start and concurrent writers queue instead of failing. Within the
    process they queue in arrival order on a WriterGate (storage/writer_gate.py); against other
    processes SQLite's busy timeout waits. Both waits together are bounded by the session's lock
    wait (answering() / patient()); past it the unit of work raises DatabaseBusy having written
    nothing. Read-only sessions (see read_only) begin deferred: in WAL mode they never block writers.
    """
    gate = WriterGate()
    dialect = engine.dialect
    base_commit, base_rollback = dialect.do_commit, dialect.do_rollback
    # Per DBAPI connection (keyed by id while in use): how the next BEGIN should wait, and whether
    # its transaction holds the gate. A connection is used by one thread at a time.
    begins: dict[int, tuple[bool, float]] = {}
    holders: set[int] = set()

    def raw(connection: Any) -> int:  # a DBAPI connection, or a pool's proxy of one
        return id(getattr(connection, "dbapi_connection", None) or connection)

    def remember(conn: Connection) -> None:  # the "begin" event sees the execution options; do_begin does not
        options = conn.get_execution_options()
        begins[raw(conn.connection)] = (
            bool(options.get(READ_ONLY)),
            float(options.get(LOCK_WAIT, PATIENT_WAIT)),
        )

    def do_begin(dbapi_connection: PoolProxiedConnection) -> None:
        read_only_, wait = begins.pop(raw(dbapi_connection), (False, PATIENT_WAIT))
        if read_only_:
            dbapi_connection.cursor().execute("BEGIN")
            return
        deadline = time.monotonic() + wait
        if not gate.acquire(timeout=wait):
            raise DatabaseBusy(f"another unit of work in this process held the database for over {wait:g} s")
        try:
            cursor = dbapi_connection.cursor()
            left = max(deadline - time.monotonic(), 0.0)
            cursor.execute(f"PRAGMA busy_timeout={int(left * 1000)}")
            cursor.execute("BEGIN IMMEDIATE")
        except Exception as exc:
            gate.release()
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy(f"another process held the database for over {wait:g} s") from exc
            raise
        holders.add(raw(dbapi_connection))

    def let_go(dbapi_connection: PoolProxiedConnection) -> None:
        key = raw(dbapi_connection)
        if key in holders:
            holders.discard(key)
            if gate.held():
                gate.release()
            else:  # the transaction ends on another thread than it began: hand the gate on anyway
                gate.abandon()

    def do_commit(dbapi_connection: PoolProxiedConnection) -> None:
        try:
            base_commit(dbapi_connection)
        finally:
            let_go(dbapi_connection)

    def do_rollback(dbapi_connection: PoolProxiedConnection) -> None:
        try:
            base_rollback(dbapi_connection)
        finally:
            let_go(dbapi_connection)

    event.listen(engine, "begin", remember)
    patched: Any = dialect  # replacing this one instance's methods, which mypy forbids on the typed name
    patched.do_begin = do_begin
    patched.do_commit = do_commit
    patched.do_rollback = do_rollback


def answering(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for work a person is waiting for: they wait at most ANSWER_WAIT for the database."""
    return _with_options(factory, **{LOCK_WAIT: ANSWER_WAIT})


def patient(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for background work, which may wait up to PATIENT_WAIT."""
    return _with_options(factory, **{LOCK_WAIT: PATIENT_WAIT})


def _with_options(factory: sessionmaker[Session], **options: object) -> sessionmaker[Session]:
    engine = factory.kw["bind"]
    return sessionmaker(
        engine.execution_options(**options), **{k: v for k, v in factory.kw.items() if k != "bind"}
    )


def read_only(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions for work that only reads (reports): on SQLite they do not take the write lock, so a
    long report never holds up a Slack command. Writing through one is a programming error."""
    return _with_options(factory, **{READ_ONLY: True})


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver; SQLAlchemy sends BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(PATIENT_WAIT * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error. A database that
    cannot be had within the session's lock wait raises DatabaseBusy (nothing was stored)."""
    with busy_as_database_busy(), factory() as session:
        with session.begin():
            yield session


@contextmanager
def busy_as_database_busy() -> Iterator[None]:
    try:
        yield
    except (PoolTimeout, OperationalError) as exc:
        if is_database_busy(exc):
            raise DatabaseBusy(str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]) from exc
        raise
