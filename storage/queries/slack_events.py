"""Slack re-delivers an event when it did not see a 2xx in time; the first delivery of an
event_id wins and every retry is dropped (the primary key makes this hold across replicas)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import SlackEventSeen


def first_sighting(*, session: Session, event_id: str, now: datetime) -> bool:
    """Record `event_id`; True only for the first delivery. A SAVEPOINT keeps a losing concurrent
    insert from spoiling the caller's transaction."""
    if session.get(SlackEventSeen, event_id) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SlackEventSeen(event_id=event_id, seen_at=now))
    except IntegrityError:
        return False
    return True


def was_seen(*, session: Session, event_id: str) -> bool:
    return session.get(SlackEventSeen, event_id) is not None


def forget_before(*, session: Session, before: datetime) -> int:
    """Drop ids older than Slack's retry window (its last retry comes ~5 minutes after the first)."""
    result = session.execute(delete(SlackEventSeen).where(SlackEventSeen.seen_at < before))
    return cast(CursorResult[Any], result).rowcount or 0  # a DELETE's result is a cursor's
