"""A report's counts of what happened (received, responded, timed, resolved, staff ratings) and of what is live now
(open, overdue now), per team and accountable person — who gave the first response, else the
assignee (docs/reports.md).

The counts of what happened come from the activity tallies for the whole UTC days of the period,
and from the inquiry rows for the part-days at either end (each a range of one index: team and
received_at, first_response_at or resolved_at). The live counts read the live items only
(ix_inquiries_live, which covers them). So a report costs what its period and the live items hold, not the table.
The same numbers as answered_counts + unanswered_counts (reports.py), which read every row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from storage.inquiry_status import LIVE, Status
from storage.models import ActivityTally, Feedback, Inquiry
from storage.queries import tallies
from storage.queries.reports import (
    CountRows,
    Scope,
    Window,
    accountable,
    accountable_sides,
    bare,
    count_if,
    scoped,
)

COUNTED = (
    "received",
    "responded",
    "timed",
    "resolved",
    "open",
    "overdue_now",
    "feedback_count",
    "feedback_sum",
)
ZERO = dict.fromkeys(COUNTED, 0)


def activity_counts(*, session: Session, scope: Scope, window: Window) -> CountRows:
    found: dict[tuple[str, str], dict[str, int]] = {}
    days = tallies.whole_days(window.start, window.end)
    if days is None:
        edges = [(window.start, window.end)]
    else:
        first, last = days
        rows = tallies.sums(
            session, ActivityTally, teams=scope.teams, users=scope.users, first=first, last=last
        )
        tallies.add_rows(found, rows)
        edges = [(window.start, tallies.midnight(first)), (tallies.midnight(last), window.end)]
    for start, end in edges:
        if start < end:
            tallies.add_rows(found, _happened(session, scope, start, end))
    tallies.add_rows(found, _live(session, scope, window))
    return [(team, person, {**ZERO, **values}) for (team, person), values in found.items()]


def _happened(session: Session, scope: Scope, start: datetime, end: datetime) -> CountRows:
    """Received, responded, timed and resolved in [start, end), from the rows (a part-day)."""
    i = Inquiry
    by = i.first_response_by
    out: CountRows = []
    received = _by_person(scope, (func.count(),), i.received_at >= start, i.received_at < end)
    for team, who, n in session.execute(received):
        out.append((team, who, {"received": int(n)}))
    # `bare`: neither the answered filter nor the grouping may lead SQLite into the report index,
    # which holds every answer of the team; a part-day is a short range of (team, first_response_at).
    responded = select(i.team, by, func.count(), func.count(i.first_response_business_hours)).where(
        bare(by).is_not(None), i.first_response_at >= start, i.first_response_at < end
    )
    grouped = (bare(i.team), bare(by))
    for team, who, n, timed in session.execute(scoped(responded, scope, by).group_by(*grouped)):
        out.append((team, who, {"responded": int(n), "timed": int(timed)}))
    resolved = select(i.team, by, func.count()).where(
        bare(by).is_not(None), bare(i.status) == Status.RESOLVED, i.resolved_at >= start, i.resolved_at < end
    )
    for team, who, n in session.execute(scoped(resolved, scope, by).group_by(*grouped)):
        out.append((team, who, {"resolved": int(n)}))
    # Ratings of the part-day, each item looked up by key: `bare` keeps SQLite from starting at the
    # team's items instead (the report index), which holds every item of the team.
    person = accountable()
    rated = (
        select(i.team, person, func.count(), func.sum(Feedback.score))
        .join(i, i.id == Feedback.inquiry_id)
        .where(Feedback.given_at >= start, Feedback.given_at < end)
    )
    if scope.teams is not None:
        rated = rated.where(bare(i.team).in_(list(scope.teams)))
    if scope.users is not None:
        rated = rated.where(person.in_(list(scope.users)))
    for team, who, n, total in session.execute(rated.group_by(bare(i.team), person)):
        out.append((team, who, {"feedback_count": int(n), "feedback_sum": int(total or 0)}))
    return out


def _live(session: Session, scope: Scope, window: Window) -> CountRows:
    """Open (received by the period's end and live now) and overdue now, from the live items."""
    i = Inquiry
    by = i.first_response_by
    by_end = bare(i.received_at) < window.end
    overdue = or_(
        and_(by.is_not(None), i.status == Status.ACKNOWLEDGED, bare(i.promised_resolution) < window.now),
        and_(by.is_(None), i.status == Status.OPEN, bare(i.first_response_due) < window.now),
    )
    query = _by_person(scope, (count_if(by_end), count_if(and_(overdue, by_end))), i.status.in_(LIVE))
    return [
        (team, who, {"open": int(n), "overdue_now": int(late)})
        for team, who, n, late in session.execute(query)
    ]


def _by_person(scope: Scope, columns: tuple[Any, ...], *where: ColumnElement[bool]) -> Any:
    """`columns` of the rows matching `where`, per team and accountable person. For people, as the
    two parts that each seek an index by person (reports.accountable_sides), instead of reading
    everyone's rows to find theirs."""
    i = Inquiry
    if scope.users is None:
        person = accountable()
        return scoped(select(i.team, person, *columns).where(*where), scope, person).group_by(i.team, person)
    parts = [
        scoped(select(i.team, who, *columns).where(*where, theirs), Scope(teams=scope.teams)).group_by(
            i.team, who
        )
        for who, theirs in accountable_sides(scope.users)
    ]
    return union_all(*parts)
