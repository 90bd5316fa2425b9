"""The outbox: every message to Slack is written here first, in the same transaction as the change
that caused it, and delivered afterwards by the deliverer (see bot/delivery.py).

`dedupe_key` is unique: enqueueing the same notice twice (two replicas, a retried tick) stores one row.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
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

    A SAVEPOINT keeps a concurrent duplicate from spoiling the caller's transaction.
    """
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
        return False
    row = OutboxMessage(
        dedupe_key=key, team=team, kind=kind, channel=channel, text=text, blocks=blocks,
        inquiry_id=inquiry_id, thread_ts=thread_ts, status="pending", attempts=0,
        created_at=now, next_attempt_at=not_before or now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except Exception as exc:  # IntegrityError from a concurrent insert of the same key
        if "unique" in str(exc).lower() or "duplicate" in str(exc).lower():
            return False
        raise
    return True
