"""A report's counts of what happened (received, responded, timed, resolved, staff ratings) and of what is live now
(open, overdue now), per team and accountable person — who gave the first response, else the
assignee (docs/reports.md).

The counts of what happened come from the activity tallies for the UTC months and days of the
period (tally_reads.split), and from the inquiry rows for the hours at either end, added or taken
back (each a range of one index: team and received_at, first_response_at or resolved_at). The live
counts read the live items only
(ix_inquiries_live, which covers them). So a report costs what its period and the live items hold, not the table.
The same numbers as answered_counts + unanswered_counts (reference_counts.py), which read every row.

All of it is one statement (a UNION ALL of those parts, one round trip), built once per shape of
report and run with the period's instants as parameters: building a statement costs more Python
than the database spends on a part-day.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import Session

from storage.expressions import in_scope, scope_params
from storage.inquiry_status import LIVE, Status
from storage.models import ActivityTally, Feedback, Inquiry
from storage.queries import tallies, tally_reads
from storage.queries.reports import (
    CountRows,
    Scope,
    Window,
    accountable,
    accountable_sides,
    bare,
    count_if,
)

COUNTED = (
    "received",
    "responded",
    "timed",
    "resolved",
    "feedback_count",
    "feedback_sum",
    "open",
    "overdue_now",
)


def activity_counts(*, session: Session, scope: Scope, window: Window) -> CountRows:
    cut = tally_reads.split(window.start, window.end)
    statement = _statement(scope.teams is not None, scope.users is not None, cut.shape)
    params = scope_params(scope.teams, scope.users, end=window.end, now=window.now, **cut.params())
    tallies.ready_to_read(session)
    return [  # a row per person already (tally_reads.added_up)
        (team, person, {name: int(value or 0) for name, value in zip(COUNTED, values)})
        for team, person, *values in session.execute(statement, params)
    ]


@cache
def _statement(by_teams: bool, by_users: bool, shape: tuple[bool, int, int, int, int]) -> Select[Any]:
    """The tallies' months and days (tally_reads.Split), the hours at the period's ends from the
    rows (:s0, :e0, …; taken back: :ls0, :le0, …), and the live items, for the teams (:teams) and people (:users) when given: a row of
    (team, person, *COUNTED) per person (tally_reads.added_up)."""

    def sums(c: Any) -> list[ColumnElement[Any]]:
        return [func.sum(c[name]) if name in c else literal_column("0") for name in COUNTED]

    parts = tally_reads.tally_branches(ActivityTally, shape, sums, by_teams=by_teams, by_users=by_users)
    for k in range(shape[2]):
        parts += _happened(by_teams, by_users, bindparam(f"s{k}"), bindparam(f"e{k}"))
    for k in range(shape[4]):  # taken back
        parts += _happened(by_teams, by_users, bindparam(f"ls{k}"), bindparam(f"le{k}"), sign=-1)
    parts += _live(by_teams, by_users)
    return tally_reads.added_up(parts)


def _columns(sign: int = 1, **values: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """`values` in COUNTED's order (negated when `sign` is -1), 0 for the counts not given."""
    return [
        (values[name] if sign > 0 else -values[name]) if name in values else literal_column("0")
        for name in COUNTED
    ]


def _happened(by_teams: bool, by_users: bool, start: Any, end: Any, sign: int = 1) -> list[Select[Any]]:
    """Received, responded, timed, resolved and rated in [start, end), from the rows (hours at the
    period's ends; `sign` -1: to be taken back)."""
    i = Inquiry
    by = i.first_response_by
    parts = _by_person(
        by_teams, by_users, _columns(sign, received=func.count()), i.received_at >= start, i.received_at < end
    )
    # `bare`: neither the answered filter nor the grouping may lead SQLite into the report index,
    # which holds every answer of the team; a part-day is a short range of (team, first_response_at).
    grouped = (bare(i.team), bare(by))
    responded = select(
        i.team, by, *_columns(sign, responded=func.count(), timed=func.count(i.first_response_business_hours))
    ).where(bare(by).is_not(None), i.first_response_at >= start, i.first_response_at < end)
    resolved = select(i.team, by, *_columns(sign, resolved=func.count())).where(
        bare(by).is_not(None), bare(i.status) == Status.RESOLVED, i.resolved_at >= start, i.resolved_at < end
    )
    for query in (responded, resolved):
        parts.append(in_scope(query, by_teams, by_users, i.team, by).group_by(*grouped))
    # Ratings of the part-day, each item looked up by key: `bare` keeps SQLite from starting at the
    # team's items instead (the report index), which holds every item of the team.
    person = accountable()
    rated = (
        select(
            i.team,
            person,
            *_columns(sign, feedback_count=func.count(), feedback_sum=func.sum(Feedback.score)),
        )
        .join(i, i.id == Feedback.inquiry_id)
        .where(Feedback.given_at >= start, Feedback.given_at < end)
    )
    parts.append(in_scope(rated, by_teams, by_users, bare(i.team), person).group_by(bare(i.team), person))
    return parts


def _live(by_teams: bool, by_users: bool) -> list[Select[Any]]:
    """Open (received by the period's end and live now) and overdue now, from the live items."""
    i = Inquiry
    by = i.first_response_by
    by_end = bare(i.received_at) < bindparam("end")
    now: Any = bindparam("now")
    overdue = or_(
        and_(by.is_not(None), i.status == Status.ACKNOWLEDGED, bare(i.promised_resolution) < now),
        and_(by.is_(None), i.status == Status.OPEN, bare(i.first_response_due) < now),
    )
    columns = _columns(open=count_if(by_end), overdue_now=count_if(and_(overdue, by_end)))
    return _by_person(by_teams, by_users, columns, i.status.in_(LIVE))


def _by_person(
    by_teams: bool, by_users: bool, columns: list[ColumnElement[Any]], *where: ColumnElement[bool]
) -> list[Select[Any]]:
    """`columns` of the rows matching `where`, per team and accountable person. For people, as the
    two parts that each seek an index by person (reports.accountable_sides), instead of reading
    everyone's rows to find theirs."""
    i = Inquiry
    if not by_users:
        person = accountable()
        return [
            in_scope(
                select(i.team, person, *columns).where(*where), by_teams, False, i.team, person
            ).group_by(i.team, person)
        ]
    return [
        in_scope(select(i.team, who, *columns).where(*where, theirs), by_teams, False, i.team, who).group_by(
            i.team, who
        )
        for who, theirs in accountable_sides(bindparam("users", expanding=True))
    ]
