"""The append-only history. Rows are added here and never updated or deleted."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Event


def append_event(
    *,
    session: Session,
    type: str,
    actor: str,
    at: datetime,
    inquiry_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Add an event; it is written with the rest of the transaction (no flush of its own)."""
    event = Event(inquiry_id=inquiry_id, type=type, actor=actor, at=at, payload=payload or {})
    session.add(event)
    return event


def events_for(*, session: Session, inquiry_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.inquiry_id == inquiry_id).order_by(Event.id)))
