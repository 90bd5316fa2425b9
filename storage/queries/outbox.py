"""Writing one outbox row. (A batch of rows: storage.queries.scheduling.insert_outbox, same rule.)"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, bindparam, text
from sqlalchemy.orm import Session

from storage.models import OutboxMessage
from storage.queries.deferred import defer

# Plain SQL that SQLite (3.24+) and PostgreSQL both accept; written once so its compiled form is
# cached (the dialects' on_conflict_do_nothing() constructs have no cache key and recompile each time).
_COLUMNS = ("dedupe_key", "team", "kind", "channel", "text", "blocks", "thread_ts", "inquiry_id",
            "created_at", "next_attempt_at")
_INSERT_NEW = text(
    f"INSERT INTO outbox ({', '.join(_COLUMNS)}, status, attempts) "
    f"VALUES ({', '.join(':' + c for c in _COLUMNS)}, 'pending', 0) ON CONFLICT (dedupe_key) DO NOTHING"
).bindparams(
    *(bindparam(c, type_=JSON(none_as_null=True) if c == "blocks" else OutboxMessage.__table__.c[c].type)
      for c in _COLUMNS)  # blocks=None stays SQL NULL, as the ORM writes it
)


def insert_pending(session: Session, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING; True if the row is new. A concurrent duplicate
    is skipped by the database without an error, so the caller's transaction is never spoiled."""
    return session.execute(_INSERT_NEW, values).rowcount == 1


def queue_pending(session: Session, values: dict[str, Any]) -> None:
    """insert_pending, sent when the transaction commits (storage.queries.deferred), for a caller
    that does not need to know whether the key was new."""
    defer(session, _INSERT_NEW, values)
