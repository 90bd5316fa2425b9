"""What storage tells its callers when the database itself, not the request, is the problem."""

from __future__ import annotations


class DatabaseBusy(Exception):
    """The database could not be had within the unit of work's wait (locked by another writer,
    a lock held too long on PostgreSQL, no free connection, or the server unreachable). Raised
    before anything was written, or after the transaction was rolled back: nothing was stored."""


# PostgreSQL: lock_not_available (lock_timeout), and the failures of a server that is down or
# ended our backend. SQLite: its own "database is locked" when the busy timeout ran out.
_PG_BUSY = {"55P03", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"}
# SQLite's file cannot be written for now (made read-only, its folder gone or read-only, the disk
# full or failing): the write failed and rolled back, as a lock would; the operator fixes the file.
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "readonly database",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
)


def is_database_busy(exc: BaseException) -> bool:
    """Is this error the database being unavailable for now (rather than a bug or bad data)?"""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, (DatabaseBusy, PoolTimeout)):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    if state is not None:
        return state in _PG_BUSY
    text = str(exc.orig or exc).lower()
    return any(reason in text for reason in _SQLITE_UNAVAILABLE) or bool(exc.connection_invalidated)
