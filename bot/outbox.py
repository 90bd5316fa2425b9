"""The outbox: every message to Slack is written here first, in the same transaction as the change
that caused it, and delivered afterwards by the deliverer (see bot/delivery.py).

`dedupe_key` is unique: enqueueing the same notice twice (two replicas, a retried tick) stores one row.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, bindparam, text
from sqlalchemy.orm import Session

from storage.models import OutboxMessage


def enqueue(
    session: Session,
    *,
    key: str,
    team: str,
    kind: str,
    channel: str,
    text: str,
    now: datetime,
    not_before: datetime | None = None,
    blocks: list[dict[str, Any]] | None = None,
    inquiry_id: int | None = None,
    thread_ts: str | None = None,
) -> bool:
    """Store a message for delivery; False if one with this key exists already (nothing added).

    One INSERT ... ON CONFLICT DO NOTHING: a concurrent duplicate is skipped by the database
    without an error, so the caller's transaction is never spoiled (and no SAVEPOINT is needed).
    """
    result = session.execute(_INSERT_NEW, {
        "dedupe_key": key, "team": team, "kind": kind, "channel": channel, "text": text, "blocks": blocks,
        "inquiry_id": inquiry_id, "thread_ts": thread_ts, "created_at": now, "next_attempt_at": not_before or now,
    })
    return result.rowcount == 1


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
