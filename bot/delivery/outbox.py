"""The outbox: every message to Slack is written here first, in the same transaction as the change
that caused it, and delivered afterwards by the deliverer (see bot/delivery/deliverer.py).

`dedupe_key` is unique: enqueueing the same notice twice (two replicas, a retried tick) stores one row.
This module is the one writer of outbox rows (enqueue for one, enqueue_many for a scheduler batch).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.queries.outbox import insert_pending, insert_pending_many, queue_pending
from storage.session import Session


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
    at_commit: bool = False,
) -> bool | None:
    """Store a message for delivery; False if one with this key exists already (nothing added).
    at_commit: written when the transaction commits, in one statement with the change's other
    writes on PostgreSQL (storage.queries.deferred); whether the key was new is then not known (None)."""
    values = {
        "dedupe_key": key,
        "team": team,
        "kind": kind,
        "channel": channel,
        "text": text,
        "blocks": blocks,
        "inquiry_id": inquiry_id,
        "thread_ts": thread_ts,
        "created_at": now,
        "next_attempt_at": not_before or now,
    }
    if at_commit:
        queue_pending(session, values)
        return None
    return insert_pending(session, values)


def enqueue_many(session: Session, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Store a batch of pending messages at once (the scheduler's pass); returns the keys that were
    new. Each row has dedupe_key, team, kind, channel, text, inquiry_id, created_at, next_attempt_at."""
    return insert_pending_many(session, rows)
