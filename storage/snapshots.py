"""Several read-only sessions that see the database as of one and the same instant.

A report runs its independent queries on a few connections at once (one process uses one core for
Python, but each database connection computes on its own core). Its numbers must still add up as
if read in one transaction, so every session is opened on one snapshot:

- PostgreSQL: the first session exports its snapshot (`pg_export_snapshot()`), the others adopt it
  (`SET TRANSACTION SNAPSHOT`); all are REPEATABLE READ, READ ONLY, so each also keeps that snapshot
  for all of its statements.
- SQLite (WAL): a read transaction's snapshot is fixed by its first read. The sessions make that
  first read while another connection holds the write lock (`BEGIN IMMEDIATE`, a few milliseconds),
  so no commit can fall between them; the lock is released before any report query runs.

Where the engine cannot give several connections (an in-memory SQLite database), one session is
returned and the caller simply runs everything on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from storage.session import read_only

_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")
_FIRST_READ = text("SELECT count(*) FROM sqlite_master")  # any read fixes a WAL snapshot


def can_share(factory: sessionmaker[Session]) -> bool:
    """Whether the engine hands out independent connections (not one shared in-memory database)."""
    return not isinstance(factory.kw["bind"].pool, (SingletonThreadPool, StaticPool))


@contextmanager
def snapshot_sessions(factory: sessionmaker[Session], count: int) -> Iterator[list[Session]]:
    """`count` read-only sessions (at least one) on one snapshot, closed on exit."""
    readers = read_only(factory)
    engine = factory.kw["bind"]
    count = max(1, count) if can_share(factory) else 1
    with ExitStack() as stack:
        sessions = [stack.enter_context(readers()) for _ in range(count)]
        if engine.dialect.name == "postgresql":
            _share_postgresql(sessions)
        elif count > 1:
            _share_sqlite(engine, sessions)  # one SQLite read transaction keeps its snapshot anyway
        yield sessions


def _share_postgresql(sessions: list[Session]) -> None:
    """REPEATABLE READ even for one session: under READ COMMITTED each statement would see its own
    moment, and a report's statements must agree."""
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    first = sessions[0].connection(execution_options=options)
    if len(sessions) == 1:
        return
    snapshot = first.execute(text("SELECT pg_export_snapshot()")).scalar_one()
    if not _SNAPSHOT_ID.fullmatch(snapshot):  # SET takes no bound parameters: the id is inlined
        raise RuntimeError(f"unexpected snapshot id {snapshot!r} from pg_export_snapshot()")
    for session in sessions[1:]:
        session.connection(execution_options=options).execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))


def _share_sqlite(engine: Engine, sessions: list[Session]) -> None:
    with engine.connect() as writer:  # not read-only: its BEGIN is IMMEDIATE, which takes the write lock
        writer.begin()
        for session in sessions:
            session.execute(_FIRST_READ)
        writer.rollback()
