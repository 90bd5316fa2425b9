"""The evidence behind a report, row by row: missed deadlines, items overdue now, escalations and
feedback quotes. Bounded by `limit` (the counts in storage/queries/reports.py stay exact)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, case, or_, select, true, union_all
from sqlalchemy.orm import Session

from storage.expressions import ids_in, in_scope, json_text, scope_params
from storage.inquiry_status import Status
from storage.models import HANDOVER_EVENTS, Event, Feedback, Inquiry
from storage.queries.reports import (
    BOT_ACTOR,
    Scope,
    Window,
    accountable,
    accountable_sides,
    bare,
    between,
    escalated,
    escalations_in,
    escalations_of_people,
    people_items,
    scoped,
)

_EVENT_COLUMNS = (
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
    params = scope_params(scope.teams, scope.users, now=now, limit=limit)
    found = list(session.scalars(_overdue_ids(scope.teams is not None, scope.users is not None), params))
    if not found:
        return []
    rows = {row.id: row for row in (OverdueRow(*r) for r in session.execute(_overdue_rows(), {"ids": found}))}
    return [rows[i] for i in found if i in rows]


@cache
def _overdue_ids(by_teams: bool, by_users: bool) -> Select:
    """The first :limit overdue at :now, by first-response deadline: open past that deadline, and
    acknowledged past the promised date, each a range of ix_inquiries_live read from the index
    alone (an OR of the two would read the rows), and for people each side of theirs
    (reports.accountable_sides)."""
    now: Any = bindparam("now")
    late = (  # `bare`: SQLite would range over (team, deadline) instead, every item of the team
        and_(Inquiry.status == Status.OPEN, bare(Inquiry.first_response_due) < now),
        and_(Inquiry.status == Status.ACKNOWLEDGED, bare(Inquiry.promised_resolution) < now),
    )
    sides = accountable_sides(bindparam("users", expanding=True)) if by_users else ((None, true()),)
    parts = [
        select(Inquiry.id, Inquiry.first_response_due).where(condition, theirs)
        for condition in late
        for _, theirs in sides
    ]
    parts = [in_scope(part, by_teams, False, Inquiry.team, None) for part in parts]
    both = union_all(*parts).subquery()
    return select(both.c.id).order_by(both.c.first_response_due, both.c.id).limit(bindparam("limit"))


@cache
def _overdue_rows() -> Select:
    columns = (getattr(Inquiry, name) for name in OverdueRow._fields)
    return select(*columns).where(ids_in(Inquiry.id))


def escalation_events(*, session: Session, scope: Scope, window: Window, limit: int) -> list:
    if scope.users is None:
        query = (
            escalations_in(select(*_EVENT_COLUMNS), scope, window).order_by(Event.at, Event.id).limit(limit)
        )
        return list(session.execute(query))
    params = scope_params(scope.teams, scope.users, start=window.start, end=window.end, limit=limit)
    return list(session.execute(_escalations_of_people(scope.teams is not None), params))


@cache
def _escalations_of_people(by_teams: bool) -> Select:
    """The people's escalation events in [:start, :end), the first :limit."""
    query = escalations_of_people(select(*_EVENT_COLUMNS), by_teams)
    return query.order_by(Event.at, Event.id).limit(bindparam("limit"))


_QUOTE_COLUMNS = (
    Feedback.inquiry_id,
    Feedback.score,
    Feedback.comment,
    Feedback.given_by,
    Feedback.given_at,
    accountable().label("person"),
    Inquiry.subject,
)


def feedback_quotes(*, session: Session, scope: Scope, window: Window, limit: int) -> list:
    """Feedback with a comment (what a record quotes) given in the period, newest first."""
    if scope.users is not None:
        params = scope_params(scope.teams, scope.users, start=window.start, end=window.end, limit=limit)
        return list(session.execute(_quotes_of_people(scope.teams is not None), params))
    query = (
        select(*_QUOTE_COLUMNS)
        .join(Inquiry, Inquiry.id == Feedback.inquiry_id)
        .where(between(Feedback.given_at, window.start, window.end), Feedback.comment.is_not(None))
        .order_by(Feedback.given_at.desc(), Feedback.id.desc())
        .limit(limit)
    )
    return list(session.execute(scoped(query, scope)))


@cache
def _quotes_of_people(by_teams: bool) -> Select:
    """The people's quotes: their items' feedback, a seek per item (ix_feedback_inquiry), first
    (MATERIALIZED: PostgreSQL would otherwise look every item of theirs up before its feedback),
    then only the items rated."""
    rated = (
        select(Feedback.id)
        .where(
            Feedback.inquiry_id.in_(people_items(by_teams)),
            bare(Feedback.given_at) >= bindparam("start"),
            bare(Feedback.given_at) < bindparam("end"),
            Feedback.comment.is_not(None),
        )
        .cte("rated")
        .prefix_with("MATERIALIZED")
    )
    query = (
        select(*_QUOTE_COLUMNS)
        .join(Inquiry, Inquiry.id == Feedback.inquiry_id)
        .where(Feedback.id.in_(select(rated.c.id)))
    )
    query = in_scope(query, by_teams, False, Inquiry.team, None)
    return query.order_by(Feedback.given_at.desc(), Feedback.id.desc()).limit(bindparam("limit"))


def escalated_by_hand_ids(*, session: Session, ids: Sequence[int], before: datetime) -> set[int]:
    """Which of these inquiries a person (not the bot) escalated before `before` (the period's end:
    a later escalation never changes a finished period): a seek per item in ix_events_escalated,
    which holds the time and the actor (no event row is read)."""
    if not ids:
        return set()
    return set(session.scalars(_escalated_by_hand_ids(), {"ids": list(ids), "before": before}))


@cache
def _escalated_by_hand_ids() -> Select:
    return select(Event.inquiry_id).where(
        ids_in(Event.inquiry_id),
        escalated(),
        Event.actor != BOT_ACTOR,
        Event.at < bindparam("before"),
    )


def logged_delays_of(*, session: Session, ids: Sequence[int]) -> dict[int, int]:
    """Each item's business days from receipt to logging, as its `logged` event recorded them when
    it was logged (items logged before the key existed are missing)."""
    if not ids:
        return {}
    found = session.execute(_logged_delays(), {"ids": list(ids)}).tuples()
    return {inquiry_id: int(days) for inquiry_id, days in found if days is not None}


@cache
def _logged_delays() -> Select:
    return select(Event.inquiry_id, json_text(Event.payload, "logged_business_days_after_receipt")).where(
        # `bare`: by item (ix_events_inquiry), as _hand_overs_of does.
        ids_in(Event.inquiry_id),
        bare(Event.type) == "logged",
    )


class HandOver(NamedTuple):
    """An item changing hands: reassigned by `actor`, or covered (the absent person is the actor)."""

    inquiry_id: int
    type: str  # reassigned | covered
    actor: str
    at: datetime
    giver: str | None
    taker: str | None


def hand_overs_of(*, session: Session, ids: Sequence[int]) -> list[HandOver]:
    """Every hand-over of these inquiries, oldest first (a seek per item in ix_events_inquiry)."""
    if not ids:
        return []
    return [HandOver(*row) for row in session.execute(_hand_overs_of(), {"ids": list(ids)})]


@cache
def _hand_overs_of() -> Select:
    return (
        select(
            Event.inquiry_id,
            Event.type,
            Event.actor,
            Event.at,
            json_text(Event.payload, "from"),
            json_text(Event.payload, "to"),
        )
        # `bare`: by item (ix_events_inquiry), not by walking the partial hand-over indexes, which
        # SQLite's planner otherwise picks for the type condition (35 ms for one person's items).
        .where(ids_in(Event.inquiry_id), bare(Event.type).in_(HANDOVER_EVENTS))
        .order_by(Event.inquiry_id, Event.at, Event.id)
    )


class ClosedRow(NamedTuple):
    """An item closed (duplicate | withdrawn) while a deadline was still ahead of it."""

    inquiry_id: int
    subject: str
    source_link: str | None
    team: str
    holder: str
    at: datetime
    actor: str
    reason: str | None
    note: str | None
    original: str | None
    deadline: datetime
    answered: bool  # first response given: the deadline taken away was the promised resolution


def closed_before_deadline(*, session: Session, scope: Scope, window: Window, limit: int) -> list[ClosedRow]:
    """Items closed in the period while a deadline was still ahead of them, so that no outcome was
    ever decided for it (docs/outcomes.md), oldest first, the first :limit: what the report shows a
    supervisor, with who closed each and why."""
    params = scope_params(scope.teams, scope.users, start=window.start, end=window.end, limit=limit)
    query = _closed(scope.teams is not None, scope.users is not None)
    return [ClosedRow(*row) for row in session.execute(query, params)]


@cache
def _closed(by_teams: bool, by_users: bool) -> Select:
    i, answered = Inquiry, Inquiry.first_response_at.is_not(None)
    deadline = case((answered, i.promised_resolution), else_=i.first_response_due)
    query = (
        select(
            i.id,
            i.subject,
            i.source_link,
            i.team,
            i.assignee,
            Event.at,
            Event.actor,
            json_text(Event.payload, "reason"),
            json_text(Event.payload, "note"),
            json_text(Event.payload, "original"),
            deadline,
            answered,
        )
        .join(i, i.id == Event.inquiry_id)
        .where(
            # A person's closes start from their closed items (ix_inquiries_live), then each item's
            # events: `bare` keeps SQLite off the period's every close (36 ms at 5,000 a year).
            (bare(Event.type) if by_users else Event.type) == "closed",
            (bare(Event.at) if by_users else Event.at) >= bindparam("start"),
            (bare(Event.at) if by_users else Event.at) < bindparam("end"),
            or_(
                and_(~answered, i.first_response_due > Event.at),
                and_(answered, i.promised_resolution > Event.at),
            ),
        )
    )
    if by_users:
        query = query.where(i.status == Status.CLOSED)
    query = in_scope(query, by_teams, by_users, i.team, i.assignee)
    return query.order_by(Event.at, Event.id).limit(bindparam("limit"))
