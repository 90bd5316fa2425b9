"""Writing outbox rows: one (insert_pending), or a batch (insert_pending_many), by the same rule. The
one writer above this is bot/delivery/outbox.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import JSON, CursorResult, bindparam, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from storage.models import OutboxMessage
from storage.queries.deferred import defer
from storage.tables import table_of

# Plain SQL that SQLite (3.24+) and PostgreSQL both accept; written once so its compiled form is
# cached (the dialects' on_conflict_do_nothing() constructs have no cache key and recompile each time).
_COLUMNS = (
    "dedupe_key",
    "team",
    "kind",
    "channel",
    "text",
    "blocks",
    "thread_ts",
    "inquiry_id",
    "created_at",
    "next_attempt_at",
)
_INSERT_NEW = text(
    f"INSERT INTO outbox ({', '.join(_COLUMNS)}, status, attempts) "
    f"VALUES ({', '.join(':' + c for c in _COLUMNS)}, 'pending', 0) ON CONFLICT (dedupe_key) DO NOTHING"
).bindparams(
    *(
        bindparam(c, type_=JSON(none_as_null=True) if c == "blocks" else table_of(OutboxMessage).c[c].type)
        for c in _COLUMNS
    )  # blocks=None stays SQL NULL, as the ORM writes it
)


def insert_pending(session: Session, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING; True if the row is new. A concurrent duplicate
    is skipped by the database without an error, so the caller's transaction is never spoiled."""
    return (
        cast(CursorResult[Any], session.execute(_INSERT_NEW, values)).rowcount == 1
    )  # an INSERT's result is a cursor's


def queue_pending(session: Session, values: dict[str, Any]) -> None:
    """insert_pending, sent when the transaction commits (storage.queries.deferred), for a caller
    that does not need to know whether the key was new."""
    defer(session, _INSERT_NEW, values)


def key_stored(*, session: Session, key: str) -> bool:
    """Whether a row with this dedupe_key exists (in any status)."""
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None


_MANY_COLUMNS = (
    "dedupe_key",
    "team",
    "kind",
    "channel",
    "text",
    "inquiry_id",
    "created_at",
    "next_attempt_at",
)
_PG_TYPES = {
    "dedupe_key": "varchar",
    "team": "varchar",
    "kind": "varchar",
    "channel": "varchar",
    "text": "text",
    "inquiry_id": "integer",
    "created_at": "timestamptz",
    "next_attempt_at": "timestamptz",
}


def insert_pending_many(session: Session, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Store pending outbox rows (keys: _MANY_COLUMNS); returns the keys that were new.

    insert_pending's rule for many rows at once (a scheduler batch): INSERT … ON CONFLICT (dedupe_key) DO
    NOTHING, so a key stored already (an earlier pass, a racing tick) is skipped by the database. On
    PostgreSQL one array per column goes through unnest(): one short statement whatever the batch size."""
    if not rows:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        arrays = ", ".join(f"CAST(:{c} AS {_PG_TYPES[c]}[])" for c in _MANY_COLUMNS)
        stmt = text(
            f"INSERT INTO outbox ({', '.join(_MANY_COLUMNS)}, status, attempts) "
            f"SELECT *, 'pending', 0 FROM unnest({arrays}) "
            "ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key"
        )
        return set(session.scalars(stmt, {c: [r[c] for r in rows] for c in _MANY_COLUMNS}))
    table = table_of(OutboxMessage)
    returning = (
        sqlite.insert(table)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(table.c.dedupe_key)
    )
    return set(session.scalars(returning, [{**r, "status": "pending", "attempts": 0} for r in rows]))
