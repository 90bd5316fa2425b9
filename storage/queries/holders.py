"""Who holds items now: their assignee, or the alternate of an assignee who is away."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.inquiry_status import LIVE
from storage.models import Inquiry, OutboxMessage
from storage.queries.absences import active_absences
from storage.tables import table_of


def holders_now(session: Session, inquiry_ids: Iterable[int], now: datetime) -> dict[int, str]:
    """Live items' holders at `now` (an alternate's own alternate when they are away too)."""
    ids = sorted(set(inquiry_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Inquiry.id, Inquiry.assignee).where(Inquiry.id.in_(ids), Inquiry.status.in_(LIVE))
    )
    alternates = {a.user_id: a.alternate for a in active_absences(session=session, at=now)}
    return {inquiry_id: _present(user, alternates) for inquiry_id, user in rows}


def stand_ins_now(session: Session, users: Iterable[str], now: datetime) -> dict[str, str]:
    """Each user, or whoever stands in for them at `now` (their alternate's alternate when both are away)."""
    wanted = set(users)
    if not wanted:
        return {}
    alternates = {a.user_id: a.alternate for a in active_absences(session=session, at=now)}
    return {user: _present(user, alternates) for user in wanted}


def _present(user: str, alternates: dict[str, str]) -> str:
    """Follow the alternates from `user` to someone present, never in a circle."""
    seen = {user}
    while user in alternates and alternates[user] not in seen:
        user = alternates[user]
        seen.add(user)
    return user


def readdress(session: Session, outbox_id: int, channel: str, worker: str) -> None:
    """Send a claimed outbox row to another person (the row says whom it went to)."""
    table = table_of(OutboxMessage)
    session.execute(
        table.update().where(table.c.id == outbox_id, table.c.claimed_by == worker).values(channel=channel)
    )
