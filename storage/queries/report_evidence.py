"""The evidence behind a report, row by row: missed deadlines, items overdue now, escalations and
feedback quotes. Bounded by `limit` (the counts in storage/queries/reports.py stay exact)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Select, and_, or_, select, union_all
from sqlalchemy.orm import Session

from storage.inquiry_status import Status
from storage.models import Event, Feedback, Inquiry
from storage.queries.reports import (
    BOT_ACTOR,
    ESCALATION_EVENTS,
    LIVE,
    Scope,
    Window,
    accountable,
    accountable_sides,
    bare,
    between,
    events_of,
    scoped,
)


def _event_rows(types: Sequence[str], scope: Scope, window: Window) -> Select:
    query = select(
        Event.id,
        Event.inquiry_id,
        Event.type,
        Event.actor,
        Event.at,
        Event.payload,
        Inquiry.team,
        accountable().label("person"),
        Inquiry.subject,
        Inquiry.source_link,
    )
    return events_of(query, types, scope, window)


class OverdueRow(NamedTuple):
    """What a report's evidence says of an item overdue now."""

    id: int
    status: str
    subject: str
    assignee: str
    first_response_due: datetime
    promised_resolution: datetime | None
    source_link: str | None


def overdue_items(*, session: Session, scope: Scope, now: datetime, limit: int) -> list[OverdueRow]:
    """Live items past a deadline now: no first response by its deadline, or past the promised date."""
    overdue = or_(
        and_(Inquiry.status == Status.OPEN, Inquiry.first_response_due < now),
        and_(Inquiry.status == Status.ACKNOWLEDGED, Inquiry.promised_resolution < now),
    )
    if scope.users is None:
        ids = select(Inquiry.id).where(Inquiry.status.in_(LIVE), overdue)
        ids = scoped(ids, scope).order_by(Inquiry.first_response_due, Inquiry.id).limit(limit)
    else:  # a person's: the live items answered by them, and those unanswered and theirs, by index
        parts = [
            select(Inquiry.id, Inquiry.first_response_due).where(Inquiry.status.in_(LIVE), overdue, theirs)
            for _, theirs in accountable_sides(scope.users)
        ]
        if scope.teams is not None:
            parts = [part.where(Inquiry.team.in_(scope.teams)) for part in parts]
        both = union_all(*parts).subquery()
        ids = select(both.c.id).order_by(both.c.first_response_due, both.c.id).limit(limit)
    found = [i for (i,) in session.execute(ids)]
    if not found:
        return []
    columns = select(*(getattr(Inquiry, name) for name in OverdueRow._fields)).where(Inquiry.id.in_(found))
    rows = {row.id: row for row in (OverdueRow(*r) for r in session.execute(columns))}
    return [rows[i] for i in found if i in rows]


def escalation_events(*, session: Session, scope: Scope, window: Window, limit: int) -> list:
    query = _event_rows(ESCALATION_EVENTS, scope, window).order_by(Event.at, Event.id).limit(limit)
    return list(session.execute(query))


def feedback_quotes(*, session: Session, scope: Scope, window: Window, limit: int) -> list:
    """Feedback with a comment (what a record quotes) given in the period, newest first."""
    query = (
        select(
            Feedback.inquiry_id,
            Feedback.score,
            Feedback.comment,
            Feedback.given_by,
            Feedback.given_at,
            accountable().label("person"),
            Inquiry.subject,
        )
        .join(Inquiry, Inquiry.id == Feedback.inquiry_id)
        .where(between(Feedback.given_at, window.start, window.end), Feedback.comment.is_not(None))
        .order_by(Feedback.given_at.desc(), Feedback.id.desc())
        .limit(limit)
    )
    return list(session.execute(scoped(query, scope)))


def escalated_by_hand_ids(*, session: Session, ids: Sequence[int]) -> set[int]:
    """Which of these inquiries a person (not the bot) escalated at some point: their few events by
    ix_events_inquiry, the type checked row by row (`bare`), not the year's escalations walked."""
    if not ids:
        return set()
    query = select(Event.inquiry_id).where(
        Event.inquiry_id.in_(list(ids)), bare(Event.type).in_(ESCALATION_EVENTS), Event.actor != BOT_ACTOR
    )
    return set(session.scalars(query))
