"""Inquiry look-ups and the few writes that are pure data (deadlines). No business rules here."""
from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select, text
from sqlalchemy.orm import Session, joinedload, selectinload

from storage.models import Deadline, Inquiry, RoutingCounter

LIVE = ("open", "acknowledged")  # not resolved, not closed


# One statement (deadlines joined in); FOR UPDATE OF locks the inquiry row only.
_BY_ID = select(Inquiry).where(Inquiry.id == bindparam("inquiry_id")).options(joinedload(Inquiry.deadlines))
_BY_ID_FOR_UPDATE = _BY_ID.with_for_update(of=Inquiry)


def get_inquiry(*, session: Session, inquiry_id: int, for_update: bool = False) -> Inquiry | None:
    """One inquiry with its deadlines; `for_update` row-locks it on PostgreSQL so concurrent changes
    queue (SQLite needs no row lock: every write transaction there starts with BEGIN IMMEDIATE)."""
    query = _BY_ID_FOR_UPDATE if for_update else _BY_ID
    return session.scalars(query, {"inquiry_id": inquiry_id}).unique().first()


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Open past its first-response deadline, or acknowledged past the promised resolution."""
    return or_(
        and_(Inquiry.status == "open", Inquiry.first_response_due < now),
        and_(Inquiry.status == "acknowledged", Inquiry.promised_resolution < now),
    )


def live_inquiries(
    *,
    session: Session,
    assignee: str | None = None,
    team: str | None = None,
    overdue_at: datetime | None = None,
    limit: int = 200,
) -> list[Inquiry]:
    """Open and acknowledged items, soonest first-response deadline first."""
    query = select(Inquiry).where(Inquiry.status.in_(LIVE))
    if assignee is not None:
        query = query.where(Inquiry.assignee == assignee)
    if team is not None:
        query = query.where(Inquiry.team == team)
    if overdue_at is not None:
        query = query.where(overdue_condition(overdue_at))
    query = query.order_by(Inquiry.first_response_due, Inquiry.id).limit(limit)
    return list(session.scalars(query.options(selectinload(Inquiry.deadlines))))


def live_ids_of(*, session: Session, assignee: str) -> list[int]:
    query = select(Inquiry.id).where(Inquiry.assignee == assignee, Inquiry.status.in_(LIVE))
    return list(session.scalars(query.order_by(Inquiry.id)))


def lock_routing(*, session: Session, team: str) -> None:
    """Serialize complex-item routing per team so round-robin counts are never read stale.

    PostgreSQL: a transaction-scoped advisory lock (released at commit). SQLite: nothing to do,
    the write transaction already holds the database lock from BEGIN IMMEDIATE.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"inquirybot:route:{team}".encode()) - 2**31
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def routed_counts(*, session: Session, team: str, users: Sequence[str]) -> dict[str, int]:
    """How many complex items routing has given each user of the team so far (call under lock_routing)."""
    query = select(RoutingCounter.user_id, RoutingCounter.assigned).where(
        RoutingCounter.team == team, RoutingCounter.user_id.in_(users))
    counts = dict.fromkeys(users, 0)
    counts.update({user: n for user, n in session.execute(query)})
    return counts


_COUNT_ROUTED = text(
    "INSERT INTO routing_counters (team, user_id, assigned) VALUES (:team, :user_id, 1) "
    "ON CONFLICT (team, user_id) DO UPDATE SET assigned = routing_counters.assigned + 1"
)


def count_routed(*, session: Session, team: str, user_id: str) -> None:
    session.execute(_COUNT_ROUTED, {"team": team, "user_id": user_id})


def add_deadline(
    *,
    session: Session,
    inquiry: Inquiry,
    name: str,
    due_at: datetime,
    rule: str,
    facts: dict[str, Any],
    set_at: datetime,
    set_by: str,
) -> Deadline:
    deadline = Deadline(name=name, due_at=due_at, rule=rule, facts=facts, set_at=set_at, set_by=set_by)
    inquiry.deadlines.append(deadline)
    return deadline


def iter_inquiries(*, session: Session, team: str | None = None, chunk: int = 1000) -> Iterator[Inquiry]:
    """Every inquiry in id order, read in keyset-paginated chunks (exports of any size)."""
    last = 0
    while True:
        query = select(Inquiry).where(Inquiry.id > last).order_by(Inquiry.id).limit(chunk)
        if team is not None:
            query = query.where(Inquiry.team == team)
        rows = list(session.scalars(query))
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1].id
        session.expunge_all()  # keep memory flat on big exports


def earliest_action_after(*, session: Session, after: datetime) -> datetime | None:
    """When the scheduler next has something to do for any inquiry (index on next_action_at)."""
    return session.scalar(select(func.min(Inquiry.next_action_at)).where(Inquiry.next_action_at > after))
