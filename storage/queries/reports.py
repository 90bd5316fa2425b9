"""What every report query shares (SQLAlchemy Core; the same SQL on SQLite and PostgreSQL): the
Scope and Window a report covers, the per-person counts its count passes add up to, and the pieces
of SQL they are written with — the accountable person, a scope's items, escalation events, the
teams in use, and the planner settings for a report's transaction.

The accountable person of an inquiry is whoever held it at its first response (first_response_by),
else its current assignee. Reports read their counts of what happened through tallies (activity.py,
outcome_counts.py; the same counts read from every row, the reference: reference_counts.py), the
figures beside them from events (report_events.py) and of people (report_people.py), the
percentiles of business hours from response_hours.py and the evidence from report_evidence.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    FunctionFilter,
    Select,
    and_,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import BindParameter

from storage.expressions import bare, in_scope, scope_params
from storage.models import ESCALATION_EVENTS, Event, Inquiry

BOT_ACTOR = (
    "inquirybot"  # the scheduler's actor on the events it writes (bot.scheduling.reminder_pass.BOT_ACTOR)
)
COUNTS = (
    "received",
    "responded",
    "resolved",
    "open",
    "overdue_now",
    "deadlines",
    "on_time",
    "late",
    "missed_open",
    "promises",
    "promises_kept",
    "updates",
    "updates_ok",
    "timed",
    "feedback_count",
    "feedback_sum",
)


@dataclass(frozen=True)
class Scope:
    """Which inquiries a report covers: some teams (None = every team) and, optionally, people."""

    teams: tuple[str, ...] | None = None
    users: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Window:
    """The period [start, end) and the report instant. A deadline has 'fallen' once it is before
    `cut` = min(end, now): its outcome (met or missed) is known and never changes afterwards."""

    start: datetime
    end: datetime
    now: datetime

    @property
    def cut(self) -> datetime:
        return min(self.end, self.now)


@dataclass
class PersonCounts:
    person: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    teams: set[str] = field(default_factory=set)  # the teams whose items they hold (for percentiles)

    def add(self, values: dict[str, int], team: str | None = None) -> None:
        for key, value in values.items():
            self.counts[key] += int(value or 0)
        if team is not None:
            self.teams.add(team)


def between(
    column: QueryableAttribute[datetime | None], start: datetime, end: datetime
) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def scoped(
    query: Select[Any], scope: Scope, person: ColumnElement[Any] | QueryableAttribute[Any] | None = None
) -> Select[Any]:
    """Restrict to the scope's teams and people; `person` is the column that names the person
    (default: the accountable one, written so that indexes on first_response_by and assignee apply)."""
    if scope.teams is not None:
        query = query.where(Inquiry.team.in_(scope.teams))
    if scope.users is not None:
        if person is None:
            query = query.where(Inquiry.id.in_(_ids_of(scope)))
        else:
            query = query.where(person.in_(scope.users))
    return query


def _ids_of(scope: Scope) -> CompoundSelect[tuple[int]]:
    """people_items with the scope's people and teams bound (a statement built per call)."""
    return people_items(scope.teams is not None).params(scope_params(scope.teams, scope.users or ()))


@cache
def people_items(by_teams: bool) -> CompoundSelect[tuple[int]]:
    """The ids of the items the people (:users, in :teams when built for them) are accountable for,
    as two index seeks (answered by them; unanswered and assigned to them): planners then start
    from these few rows. Built once; the people and teams are expanding parameters."""
    users: BindParameter[Any] = bindparam("users", expanding=True)
    (_, answered_by), (_, waiting_for) = accountable_sides(users)
    answered = in_scope(select(Inquiry.id).where(answered_by), by_teams, False, Inquiry.team, None)
    return answered.union_all(select(Inquiry.id).where(waiting_for))


def escalated() -> ColumnElement[bool]:
    """An escalation event, written as ix_events_escalated's WHERE is (storage/models/inquiries.py)."""
    types: BindParameter[Any] = bindparam(
        "escalation_types", ESCALATION_EVENTS, expanding=True, literal_execute=True
    )
    return bare(Event.type).in_(types)


def accountable_sides(
    users: Sequence[str] | BindParameter[Any],
) -> tuple[tuple[QueryableAttribute[str | None], ColumnElement[bool]], ...]:
    """The two ways items are these people's (`accountable`), each a seek of an index by person:
    answered by them (by first_response_by); unanswered and assigned to them (ix_inquiries_unanswered).
    Each as (the column that names the person, the condition). `users`: the names, or an expanding
    parameter for them (a statement built once)."""
    users = users if isinstance(users, BindParameter) else list(users)
    return (
        (Inquiry.first_response_by, Inquiry.first_response_by.in_(users)),
        (Inquiry.assignee, and_(Inquiry.first_response_by.is_(None), Inquiry.assignee.in_(users))),
    )


_TEAMS_IN_USE = text(
    # A loose index scan: one index seek per team instead of reading every row for DISTINCT.
    "WITH RECURSIVE t(team) AS ("
    " SELECT MIN(team) FROM inquiries"
    " UNION ALL"
    " SELECT (SELECT MIN(i.team) FROM inquiries i WHERE i.team > t.team) FROM t WHERE t.team IS NOT NULL"
    ") SELECT team FROM t WHERE team IS NOT NULL"
)


def tune_for_reports(session: Session, *, side_by_side: bool = False) -> None:
    """PostgreSQL, for this transaction only: no JIT (compiling a report's many expressions costs
    more than it saves), and random page reads priced as the cached reads they are, so a few
    thousand index lookups are not traded for hashing a million-row table. `side_by_side`: the
    report already keeps the cores busy with several connections, and parallel workers of its own
    on top would only take turns with them (measured: 10–30% slower)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL random_page_cost = 1.1"))
        if side_by_side:
            session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def teams_in_use(*, session: Session) -> tuple[str, ...]:
    """Every team that has inquiries. A person's report names them all, so that its queries seek
    (team, person) in the report index instead of scanning it."""
    return tuple(session.scalars(_TEAMS_IN_USE))


def accountable() -> ColumnElement[str]:
    return func.coalesce(Inquiry.first_response_by, Inquiry.assignee)


def count_if(condition: ColumnElement[bool]) -> FunctionFilter[int]:
    return func.count().filter(condition)


CountRows = list[tuple[str, str, dict[str, int]]]  # (team, person, counts)


def merge_counts(people: dict[str, PersonCounts], rows: CountRows) -> dict[str, PersonCounts]:
    """Every count of a report per accountable person (bot/reports/metrics.py says what each is):
    the merge of the count passes' rows (bot/reports/build.py runs them side by side)."""
    for team, person, values in rows:
        people.setdefault(person, PersonCounts(person)).add(values, team)
    return people


def escalations_in(query: Select[Any], scope: Scope, window: Window) -> Select[Any]:
    """`query` over a team's or everyone's escalation events in the period (ix_events_type_at),
    joined to their items."""
    query = query.join(Inquiry, Inquiry.id == Event.inquiry_id)
    return scoped(
        query.where(Event.type.in_(ESCALATION_EVENTS), between(Event.at, window.start, window.end)), scope
    )


def escalations_of_people(query: Select[Any], by_teams: bool) -> Select[Any]:
    """`query` over the escalation events in [:start, :end) of the items of :users (in :teams, when
    built for them): their items (people_items), a seek each in ix_events_escalated (no other event
    of theirs is read), and only the items escalated looked up (`bare`: SQLite would read every
    item first)."""
    query = query.join(Inquiry, Inquiry.id == bare(Event.inquiry_id)).where(
        Event.inquiry_id.in_(people_items(by_teams)),
        escalated(),
        Event.at >= bindparam("start"),
        Event.at < bindparam("end"),
    )
    return in_scope(query, by_teams, False, Inquiry.team, None)
