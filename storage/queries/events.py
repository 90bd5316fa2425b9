"""The append-only history. Rows are added here and never updated or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.models import Event
from storage.queries import tallies
from storage.queries.deferred import defer
from storage.tables import table_of


def append_event(
    *,
    session: Session,
    type: str,
    actor: str,
    at: datetime,
    inquiry_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Write an event in the caller's transaction. A plain INSERT, not an ORM object, sent when the
    transaction commits (storage.queries.deferred): events are never read back in the transaction
    that writes them. The inquiry must exist by then."""
    defer(
        session,
        _INSERT,
        {"inquiry_id": inquiry_id, "type": type, "actor": actor, "at": at, "payload": payload or {}},
    )
    tallies.count_handover(session, type, at, payload)


_INSERT = insert(table_of(Event)).inline()  # no RETURNING of the new id: nobody reads it


def events_for(*, session: Session, inquiry_id: int) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.inquiry_id == inquiry_id).order_by(Event.id)))
