"""Report aggregates, computed in the database (SQLAlchemy Core; the same SQL on SQLite and
PostgreSQL). The percentiles of business hours are in response_hours.py.

The accountable person of an inquiry is whoever held it at its first response (first_response_by),
else its current assignee. Reports read their counts of what happened through tallies (activity.py,
outcome_counts.py). answered_counts, unanswered_counts and feedback_stats compute the same counts
by reading every row: they are the reference the property tests and the benchmark's
baseline compare the tallies against. Each walks the covering index `ix_inquiries_report` (team,
first_response_by, hours, …) in order and groups as it goes, without sorting a million rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    FunctionFilter,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import BindParameter

from storage.expressions import bare, in_scope, json_text, scope_params
from storage.inquiry_status import LIVE, Status
from storage.models import ESCALATION_EVENTS, HANDOVER_EVENTS, Absence, Event, Feedback, Inquiry, Outcome
from storage.queries import tally_reads

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


def _within(
    column: QueryableAttribute[datetime | None], start: datetime, end: datetime
) -> ColumnElement[bool]:
    """_between for a filter evaluated row by row (see `bare`)."""
    return and_(bare(column) >= start, bare(column) < end)


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


# ---------------------------------------------------------------------------------------------
# Events, feedback, absences (per person; the evidence rows are in report_evidence.py)


def escalation_counts(*, session: Session, scope: Scope, window: Window) -> dict[str, int]:
    """Items escalated (by a person or by the bot's level-2 step) in the period, per accountable person."""
    if scope.users is not None:
        params = scope_params(scope.teams, scope.users, start=window.start, end=window.end)
        rows = session.execute(_people_escalation_counts(scope.teams is not None), params)
    else:
        query = select(accountable(), func.count(Event.inquiry_id.distinct())).group_by(accountable())
        rows = session.execute(escalations_in(query, scope, window))
    return {person: int(n) for person, n in rows}


@cache
def _people_escalation_counts(by_teams: bool) -> Select[Any]:
    query = select(accountable(), func.count(Event.inquiry_id.distinct()))
    return escalations_of_people(query, by_teams).group_by(accountable())


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


Pairs = list[tuple[str | None, str | None, int]]  # (from, to, events)


def reassignment_counts(*, session: Session, scope: Scope, window: Window) -> tuple[dict[str, int], int]:
    """Reassignments (by hand, or to an alternate during an absence) in the period: per person who
    gave or received the item, and the number of events in scope (a team's items; a person's
    hand-overs either way)."""
    if scope.users is None and scope.teams is None:
        return _tallied_hand_overs(session, window)
    pairs = (
        _hand_overs(session, scope.users, window)
        if scope.users is not None
        else _hand_over_pairs(session, scope.teams, window)
    )
    return _per_person(pairs)


def _per_person(pairs: Pairs) -> tuple[dict[str, int], int]:
    per: dict[str, int] = {}
    total = 0
    for frm, to, n in pairs:
        total += n
        for person in {frm, to}:
            if person is not None:
                per[person] = per.get(person, 0) + n
    return per, total


def _tallied_hand_overs(session: Session, window: Window) -> tuple[dict[str, int], int]:
    """Everyone's hand-overs: the period's whole UTC months from their tallies (each person's gave
    + took - to_self), the part-months at its ends from the events (tally_reads.py). A team's are counted
    from the events: they belong to the item's team as it is now, which a tally could not follow."""
    months = tally_reads.whole_months(window.start, window.end)
    if months is None:
        return _per_person(_hand_over_pairs(session, None, window))
    first, last = months
    per: dict[str, int] = {}
    total = 0
    for person, v in tally_reads.handover_sums(session, first, last).items():
        total += v["gave"]
        if person and v["gave"] + v["took"] - v["to_self"]:
            per[person] = v["gave"] + v["took"] - v["to_self"]
    for start, end in ((window.start, tally_reads.midnight(first)), (tally_reads.midnight(last), window.end)):
        if start < end:
            edge, n = _per_person(_hand_over_pairs(session, None, Window(start, end, window.now)))
            total += n
            for person, k in edge.items():
                per[person] = per.get(person, 0) + k
    return per, total


def _hand_over_pairs(session: Session, teams: Sequence[str] | None, window: Window) -> Pairs:
    """(from, to, events) of every hand-over in the period, or of the teams' items."""
    giver, taker = Event.payload["from"].as_string(), Event.payload["to"].as_string()
    query = select(giver, taker, func.count()).where(
        Event.type.in_(HANDOVER_EVENTS), between(Event.at, window.start, window.end)
    )
    if teams is not None:
        query = query.join(Inquiry, Inquiry.id == Event.inquiry_id).where(Inquiry.team.in_(teams))
    return [(frm, to, int(n)) for frm, to, n in session.execute(query.group_by(giver, taker))]


def _hand_overs(session: Session, users: Sequence[str], window: Window) -> Pairs:
    """The people's hand-overs either way: the events they gave, union those they received (an
    event both ways counts once). Each side is one seek of a partial index on the payload's key,
    Index(f"ix_events_handed_{key}", json_text(Event.payload, key), "at", WHERE type IN
    HANDOVER_EVENTS) for "from" and "to": the query writes the same json_text, and the types
    into the SQL as the index's WHERE does (bound, neither database could prove the WHERE).
    SQLite does not combine two expression indexes for an OR, hence the UNION."""
    frm, to = json_text(Event.payload, "from"), json_text(Event.payload, "to")
    handed = Event.type.in_(bindparam("handed", HANDOVER_EVENTS, expanding=True, literal_execute=True))
    sides = (
        select(Event.id, frm, to).where(handed, between(Event.at, window.start, window.end), side.in_(users))
        for side in (frm, to)
    )
    counted: dict[tuple[str | None, str | None], int] = {}
    for _, giver, taker in session.execute(union(*sides)):
        counted[giver, taker] = counted.get((giver, taker), 0) + 1
    return [(giver, taker, n) for (giver, taker), n in counted.items()]


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


class AbsenceRow(Protocol):
    user_id: str
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    alternate: str


def absences(
    *, session: Session, window: Window, users: Iterable[str] | None, teams: Iterable[str] | None
) -> Sequence[AbsenceRow]:
    """Absences overlapping the period of the given people (or of anyone in the teams); an absence
    cancelled before it began (back before the start) is left out. Plain rows, not ORM objects: a
    year of a thousand absences loaded as objects cost a report ~10 ms."""
    a = Absence
    query = select(a.user_id, a.starts_at, a.ends_at, a.ended_at, a.alternate).where(
        Absence.starts_at < window.end,
        Absence.ends_at > window.start,
        or_(Absence.ended_at.is_(None), Absence.ended_at > Absence.starts_at),
        or_(Absence.ended_at.is_(None), Absence.ended_at > window.start),
    )
    conditions = []
    if users is not None:
        conditions.append(Absence.user_id.in_(list(users)))
    if teams is not None:
        conditions.append(Absence.team.in_(list(teams)))
    if conditions:
        query = query.where(or_(*conditions))
    return session.execute(query.order_by(Absence.starts_at, Absence.id)).all()


def in_record(*, session: Session, user: str) -> bool:
    """Whether the record knows `user` at all: an item assigned to them, an outcome held by them,
    or an absence of theirs (each an index seek)."""
    found = select(
        or_(
            exists().where(Inquiry.assignee == user),
            exists().where(Outcome.holder == user),
            exists().where(Absence.user_id == user),
        )
    )
    return bool(session.scalar(found))
