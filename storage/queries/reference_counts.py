"""A report's counts read from every row: answered_counts, unanswered_counts and feedback_stats
compute the counts the tallies give (activity.py, outcome_counts.py); they are the reference the
property tests and the benchmark's baseline compare the tallies against. Each walks the covering
index `ix_inquiries_report` (team, first_response_by, hours, …) in order and groups as it goes,
without sorting a million rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from storage.expressions import bare
from storage.inquiry_status import LIVE, Status
from storage.models import Feedback, Inquiry
from storage.queries.reports import CountRows, Scope, Window, accountable, count_if, scoped


def _within(
    column: QueryableAttribute[datetime | None], start: datetime, end: datetime
) -> ColumnElement[bool]:
    """_between for a filter evaluated row by row (see `bare`)."""
    return and_(bare(column) >= start, bare(column) < end)


def _common(w: Window) -> dict:
    return {
        "received": count_if(_within(Inquiry.received_at, w.start, w.end)),
        "open": count_if(and_(Inquiry.status.in_(LIVE), bare(Inquiry.received_at) < w.end)),
    }


def answered_counts(*, session: Session, scope: Scope, window: Window) -> CountRows:
    """Counts over the items that had their first response, per team and person who gave it."""
    w = window
    received_by_end = bare(Inquiry.received_at) < w.end
    columns = {
        **_common(w),
        "responded": count_if(_within(Inquiry.first_response_at, w.start, w.end)),
        "timed": count_if(
            and_(
                _within(Inquiry.first_response_at, w.start, w.end),
                Inquiry.first_response_business_hours.is_not(None),
            )
        ),
        "resolved": count_if(
            and_(Inquiry.status == Status.RESOLVED, _within(Inquiry.resolved_at, w.start, w.end))
        ),
        "overdue_now": count_if(
            and_(
                Inquiry.status == Status.ACKNOWLEDGED,
                bare(Inquiry.promised_resolution) < w.now,
                received_by_end,
            )
        ),
    }
    # Outcomes (deadlines met, missed, late; promises) are facts: outcome_counts.py.
    return _grouped(
        session, scope, Inquiry.first_response_by, Inquiry.first_response_by.is_not(None), columns
    )


def unanswered_counts(*, session: Session, scope: Scope, window: Window) -> CountRows:
    """Counts over the items still without a first response, per team and assignee. Closed ones
    (duplicate / withdrawn) needed no response and never count as missed; live ones past their
    deadline do."""
    w = window
    columns = {
        **_common(w),
        "overdue_now": count_if(
            and_(
                Inquiry.status == Status.OPEN,
                bare(Inquiry.first_response_due) < w.now,
                bare(Inquiry.received_at) < w.end,
            )
        ),
    }
    return _grouped(session, scope, Inquiry.assignee, Inquiry.first_response_by.is_(None), columns)


def _grouped(
    session: Session,
    scope: Scope,
    person_col: QueryableAttribute[str | None],
    where: ColumnElement[bool],
    columns: dict[str, ColumnElement[Any]],
) -> CountRows:
    names = list(columns)
    query = select(Inquiry.team, person_col, *columns.values()).where(where)
    query = scoped(query, scope, person_col).group_by(Inquiry.team, person_col)
    return [
        (row[0], row[1], dict(zip(names, (int(v or 0) for v in row[2:])))) for row in session.execute(query)
    ]


def feedback_stats(*, session: Session, scope: Scope, window: Window) -> dict[str, tuple[int, int]]:
    """(count, sum of scores) of feedback given in the period, per accountable person.

    For a team or everyone, each feedback row looks its item up by primary key (a correlated
    subquery, so neither database hashes the whole inquiries table for ~10% of its rows); for a
    person, the rows start from that person's items."""
    if scope.users is not None:
        person = accountable()
        query = select(person, func.count(), func.sum(Feedback.score)).join(
            Inquiry, Inquiry.id == Feedback.inquiry_id
        )
        query = scoped(query, scope)
    else:
        person = _of_item(Feedback.inquiry_id, accountable())
        query = select(person, func.count(), func.sum(Feedback.score))
        if scope.teams is not None:
            query = query.where(_of_item(Feedback.inquiry_id, Inquiry.team).in_(scope.teams))
    # Read row by row (`_within`): a year's feedback is most of the table, and walking
    # ix_feedback_given_at with a look-up per row would cost SQLite four times a plain scan.
    query = query.where(_within(Feedback.given_at, window.start, window.end)).group_by(person)
    return {p: (int(n), int(total or 0)) for p, n, total in session.execute(query)}


def _of_item(
    inquiry_id: QueryableAttribute[int], column: ColumnElement[Any] | QueryableAttribute[Any]
) -> ColumnElement[Any]:
    """`column` of the inquiry `inquiry_id` refers to, looked up by primary key."""
    return select(column).where(Inquiry.id == inquiry_id).scalar_subquery()
