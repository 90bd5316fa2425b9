"""Tallies: what a report adds up, kept added up (docs/outcomes.md "Reading facts fast"). Derived
from the record (outcome facts, inquiry rows, events), never the record itself.

- outcome_tallies: each outcome fact's weight, per UTC day it was decided, team and holder.
- activity_tallies: each inquiry's receipt, first response (timed or not), resolution and staff
  rating, per UTC day each happened, team and accountable person (who answered, else the assignee).
- handover_tallies: hand-overs (reassigned, covered events) per UTC month and person: how many
  each gave, took, and handed to themselves.

Writing: `note` records a change on the session; the notes are added to their rows just before
the transaction commits (`_apply`, a session hook that runs after the deferred writes), in key
order. So a tally row is locked only for the last instant of a transaction, after every other
write and lock, and two transactions always take tally rows in the same order: the scheduler's
batch and a person's answer cannot deadlock over them. A rolled-back transaction drops its notes
with its changes.

Reading: `tally_branches` and `handover_sums` add up the whole months and days of a period
(`split`); the part-days at either end are read from the record itself by the callers
(outcome_counts.outcome_counts, activity.activity_counts, reports.reassignment_counts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Select,
    bindparam,
    cast,
    delete,
    event,
    func,
    insert,
    select,
    union_all,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# Imported first so that its before_commit hook (the deferred writes: the inquiry's UPDATE, events,
# outbox rows) is registered, and so runs, before this module's: a transaction takes its tally rows
# last of all, after every other write and lock (SQLAlchemy calls hooks in the order registered).
import storage.queries.deferred  # noqa: F401
from storage.conflicts import insert_adding
from storage.expressions import in_scope, json_text
from storage.inquiry_status import Status
from storage.models import (
    HANDOVER_EVENTS,
    ActivityMonthTally,
    ActivityTally,
    Base,
    Event,
    Feedback,
    HandoverTally,
    Inquiry,
    Outcome,
    OutcomeMonthTally,
    OutcomeTally,
)
from storage.tables import table_of

KINDS = ("first_response", "resolution", "status_update")
OUTCOMES = ("on_time", "missed", "late")
OUTCOME_COLUMNS = tuple(f"{kind}_{outcome}" for kind in KINDS for outcome in OUTCOMES)
ACTIVITY_COLUMNS = ("received", "responded", "timed", "resolved", "feedback_count", "feedback_sum")
HANDOVER_COLUMNS = ("gave", "took", "to_self")
# model: (its key columns, its counts, the column of its bucket: a UTC day, or a UTC month)
_TABLES: dict[type[Base], tuple[tuple[str, ...], tuple[str, ...], str]] = {
    OutcomeTally: (("team", "holder"), OUTCOME_COLUMNS, "day"),
    ActivityTally: (("team", "person"), ACTIVITY_COLUMNS, "day"),
    HandoverTally: (("person",), HANDOVER_COLUMNS, "month"),
    OutcomeMonthTally: (("team", "holder"), OUTCOME_COLUMNS, "month"),
    ActivityMonthTally: (("team", "person"), ACTIVITY_COLUMNS, "month"),
}
# A day tally's months: the same counts added up per UTC month, kept in the same commits.
MONTHS_OF: dict[type[Base], type[Base]] = {OutcomeTally: OutcomeMonthTally, ActivityTally: ActivityMonthTally}
Key = tuple[str, tuple[str, ...], date]  # (table, key values, bucket)
_NOTES = "tallies"  # the session.info key of a transaction's notes


def utc_day(at: datetime) -> date:
    return at.astimezone(UTC).date()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def whole_days(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The UTC days [first, last) wholly inside [start, end), or None when there is none."""
    first = utc_day(start) + (timedelta(0) if midnight(utc_day(start)) == start else timedelta(days=1))
    last = utc_day(end)
    return (first, last) if first < last else None


# ---- writing --------------------------------------------------------------------------------


def note(
    session: Session, model: type[Base], team: str, person: str, at: datetime, column: str, n: int
) -> None:
    """Add n to a (team, person) tally of the day of `at`, and of its month, when the transaction
    commits."""
    note_key(session, model, (team, person), utc_day(at), column, n)
    note_key(session, MONTHS_OF[model], (team, person), month_of(at), column, n)


def note_key(
    session: Session, model: type[Base], key: tuple[str, ...], bucket: date, column: str, n: int
) -> None:
    if n:
        notes: dict[Key, dict[str, int]] = session.info.setdefault(_NOTES, {})
        row = notes.setdefault((model.__tablename__, key, bucket), {})
        row[column] = row.get(column, 0) + n


def count_fact(session: Session, fact: dict[str, Any]) -> None:
    """A fact just stored: its weight to its holder's day."""
    column = f"{fact['kind']}_{fact['outcome']}"
    if column in OUTCOME_COLUMNS:
        note(
            session,
            OutcomeTally,
            fact["team"],
            fact["holder"],
            fact["decided_at"],
            column,
            fact.get("weight", 1),
        )


Activity = list[tuple[str, str, datetime, str]]  # (team, person, instant, column)


def activity_of(values: dict[str, Any] | None) -> Activity:
    """What an inquiry row counts for (reports.answered_counts and unanswered_counts, per day)."""
    if values is None:
        return []
    team, by = values["team"], values["first_response_by"]
    found: Activity = [(team, by or values["assignee"], values["received_at"], "received")]
    if by is not None:
        if values["first_response_at"] is not None:
            found.append((team, by, values["first_response_at"], "responded"))
            if values["first_response_business_hours"] is not None:
                found.append((team, by, values["first_response_at"], "timed"))
        if values["status"] == Status.RESOLVED and values["resolved_at"] is not None:
            found.append((team, by, values["resolved_at"], "resolved"))
    return found


def count_change(session: Session, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    """An inquiry row stored or changed: take back what it counted for, count what it does now;
    its staff rating moves with it when its team or accountable person changes."""
    was, now = activity_of(before), activity_of(after)
    if was != now:
        for sign, items in ((-1, was), (1, now)):
            for team, person, at, column in items:
                note(session, ActivityTally, team, person, at, column, sign)
    if before is not None and owner(before) != owner(after):
        rating = session.execute(
            select(Feedback.given_at, Feedback.score).where(Feedback.inquiry_id == after["id"])
        ).first()
        if rating is not None:
            count_rating(session, owner(before), rating.given_at, rating.score, -1)
            count_rating(session, owner(after), rating.given_at, rating.score, 1)


def owner(values: dict[str, Any]) -> tuple[str, str]:
    """(team, accountable person) of an inquiry row: whom its counts belong to."""
    return values["team"], values["first_response_by"] or values["assignee"]


def count_rating(session: Session, owner: tuple[str, str], at: datetime, score: int, sign: int) -> None:
    """A staff rating given (sign 1) or taken back (-1: replaced, or moved with its item)."""
    team, person = owner
    note(session, ActivityTally, team, person, at, "feedback_count", sign)
    note(session, ActivityTally, team, person, at, "feedback_sum", sign * score)


def month_of(at: datetime | date) -> date:
    return (at.astimezone(UTC).date() if isinstance(at, datetime) else at).replace(day=1)


def count_handover(session: Session, type: str, at: datetime, payload: dict[str, Any] | None) -> None:
    """An event appended: a hand-over (by hand, or cover during an absence) counts, in its UTC
    month, once for its giver (gave) and its taker (took); '' stands for a missing name, and
    `to_self` marks one person on both sides, so that gave + took - to_self counts each event once."""
    if type in HANDOVER_EVENTS:
        payload = payload or {}
        giver, taker = str(payload.get("from") or ""), str(payload.get("to") or "")
        for person, column in _handover_counts(giver, taker):
            note_key(session, HandoverTally, (person,), month_of(at), column, 1)


def _handover_counts(giver: str, taker: str) -> list[tuple[str, str]]:
    """(person, column) each hand-over adds one to."""
    return [(giver, "gave"), (taker, "took"), *([(giver, "to_self")] if giver == taker else [])]


def flush_notes(session: Session) -> None:
    """Add the transaction's notes to their rows now (before commit, or before reading tallies in
    a transaction that changed them): one upsert statement per tally, built once, run over its rows
    in key order (the order every transaction takes tally rows in); on PostgreSQL all of them in
    one pipeline, one round trip."""
    notes: dict[Key, dict[str, int]] = session.info.pop(_NOTES, {})
    models = {model.__tablename__: model for model in _TABLES}
    rows: dict[str, list[dict[str, Any]]] = {}
    for (name, key, bucket), added in sorted(notes.items()):
        if any(added.values()):
            key_columns, columns, bucket_column = _TABLES[models[name]]
            values = {**dict(zip(key_columns, key)), bucket_column: bucket, **dict.fromkeys(columns, 0)}
            rows.setdefault(name, []).append({**values, **added})
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _pipelined(connection, [(_postgres_upsert(models[name]), rows[name]) for name in sorted(rows)])
        return
    for name in sorted(rows):
        connection.execute(_upsert(models[name]), rows[name])


def _pipelined(connection: Connection, writes: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """PostgreSQL: the upserts sent together in one pipeline (psycopg's pipeline mode), the server
    running them one after another in this order: one round trip instead of one a table (an
    acknowledgement moves four tally rows). The rows hold only text, dates and integers, which
    psycopg adapts as SQLAlchemy would."""
    raw = connection.connection.driver_connection
    assert raw is not None  # a live psycopg connection, inside the session's transaction
    dbapi = connection.dialect.loaded_dbapi
    try:
        with raw.pipeline(), raw.cursor() as cursor:
            for sql, batch in writes:
                cursor.executemany(sql, batch)
    except dbapi.Error as exc:  # raised as SQLAlchemy raises a driver's error (a lock wait ran out, say)
        gone = connection.dialect.is_disconnect(exc, raw, None)
        if gone:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            "tally upserts", None, exc, dbapi.Error, connection_invalidated=gone, dialect=connection.dialect
        ) from exc


@cache
def _postgres_upsert(model: type[Base]) -> str:
    """_upsert as PostgreSQL's SQL text (its parameters %(column)s)."""
    from sqlalchemy.dialects import postgresql

    return str(_upsert(model).compile(dialect=postgresql.dialect()))


def _upsert(model: type[Base]) -> Any:
    """Insert a tally row, or add its counts to the row already there (every count: 0 adds
    nothing)."""
    key_columns, columns, bucket_column = _TABLES[model]
    return insert_adding(table_of(model), (*key_columns, bucket_column), columns)


@event.listens_for(Session, "before_commit")
def _apply(session: Session) -> None:
    if session.info.get(_NOTES):
        flush_notes(session)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_NOTES, None)


# ---- rebuilding from the record ---------------------------------------------------------------


def rebuild(conn: Connection, *, months: bool = True) -> int:
    """Recompute every tally row from the record (the migrations that add them; a bulk load, as the
    benchmark's). Returns the number of rows. `months=False`: not the month tallies (migration
    0007, which comes before them)."""
    return (
        rebuild_outcomes(conn, months=months)
        + rebuild_activity(conn, months=months)
        + rebuild_handovers(conn)
    )


def rebuild_handovers(conn: Connection) -> int:
    conn.execute(delete(table_of(HandoverTally)))
    giver = func.coalesce(json_text(Event.payload, "from"), "")
    taker = func.coalesce(json_text(Event.payload, "to"), "")
    rows: dict[tuple[str, date], dict[str, int]] = {}
    query = select(giver, taker, Event.at).where(Event.type.in_(HANDOVER_EVENTS))
    for given, taken, at in conn.execute(query):  # a few percent of the events; months in Python
        for person, column in _handover_counts(given, taken):
            row = rows.setdefault((person, month_of(at)), dict.fromkeys(HANDOVER_COLUMNS, 0))
            row[column] += 1
    batch = [{"person": person, "month": month, **v} for (person, month), v in rows.items()]
    for first in range(0, len(batch), 10_000):
        conn.execute(insert(table_of(HandoverTally)), batch[first : first + 10_000])
    return len(batch)


def rebuild_outcomes(conn: Connection, *, months: bool = True) -> int:
    conn.execute(delete(table_of(OutcomeTally)))
    o = Outcome
    day = _day_of(conn, o.decided_at)
    sums = [
        func.coalesce(func.sum(o.weight).filter(o.kind == kind, o.outcome == outcome), 0)
        for kind in KINDS
        for outcome in OUTCOMES
    ]
    query = select(o.team, o.holder, day, *sums).group_by(o.team, o.holder, day)
    table = table_of(OutcomeTally)
    conn.execute(insert(table).from_select(["team", "holder", "day", *OUTCOME_COLUMNS], query))
    rows = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    return rows + (roll_up(conn, OutcomeTally) if months else 0)


def rebuild_activity(conn: Connection, *, months: bool = True) -> int:
    conn.execute(delete(table_of(ActivityTally)))
    i = Inquiry
    person = func.coalesce(i.first_response_by, i.assignee)
    answered = i.first_response_by.is_not(None)
    passes: list[tuple[str, Any, Any, Any]] = [  # column, person, instant, condition
        ("received", person, i.received_at, i.received_at.is_not(None)),
        ("responded", i.first_response_by, i.first_response_at, answered & i.first_response_at.is_not(None)),
        (
            "timed",
            i.first_response_by,
            i.first_response_at,
            answered & i.first_response_at.is_not(None) & i.first_response_business_hours.is_not(None),
        ),
        (
            "resolved",
            i.first_response_by,
            i.resolved_at,
            answered & (i.status == Status.RESOLVED) & i.resolved_at.is_not(None),
        ),
    ]
    rows: dict[tuple[str, str, Any], dict[str, int]] = {}
    for column, who, at, condition in passes:
        day = _day_of(conn, at)
        query = select(i.team, who, day, func.count()).where(condition).group_by(i.team, who, day)
        for team, name, on, n in conn.execute(query):
            rows.setdefault((team, name, on), dict.fromkeys(ACTIVITY_COLUMNS, 0))[column] = int(n)
    day = _day_of(conn, Feedback.given_at)
    ratings = (
        select(i.team, person, day, func.count(), func.sum(Feedback.score))
        .join(i, i.id == Feedback.inquiry_id)
        .group_by(i.team, person, day)
    )
    for team, name, on, n, total in conn.execute(ratings):
        row = rows.setdefault((team, name, on), dict.fromkeys(ACTIVITY_COLUMNS, 0))
        row["feedback_count"], row["feedback_sum"] = int(n), int(total or 0)
    table = table_of(ActivityTally)
    batch = [{"team": t, "person": p, "day": _as_date(d), **v} for (t, p, d), v in rows.items()]
    for first in range(0, len(batch), 10_000):
        conn.execute(insert(table), batch[first : first + 10_000])
    return len(batch) + (roll_up(conn, ActivityTally) if months else 0)


def roll_up(conn: Connection, day_model: type[Base]) -> int:
    """Rebuild a day tally's month tally from it. Returns the number of month rows."""
    month_model = MONTHS_OF[day_model]
    (first, second), columns, _ = _TABLES[day_model]
    days, months = table_of(day_model), table_of(month_model)
    month: Any = (
        cast(func.date_trunc("month", cast(days.c.day, DateTime(timezone=False))), Date)
        if conn.dialect.name == "postgresql"
        else func.date(days.c.day, "start of month")
    )
    conn.execute(delete(months))
    keys = (days.c[first], days.c[second], month)
    query = select(*keys, *(func.sum(days.c[name]) for name in columns)).group_by(*keys)
    conn.execute(insert(months).from_select([first, second, "month", *columns], query))
    return int(conn.execute(select(func.count()).select_from(months)).scalar_one())


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _day_of(conn: Connection, column: Any) -> Any:
    """The UTC day of a stored instant, in SQL: SQLite keeps naive UTC text, PostgreSQL timestamptz."""
    if conn.dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


# ---- reading --------------------------------------------------------------------------------


class Split(NamedTuple):
    """A period cut for reading: its whole UTC months [first, last) from the month tallies (None
    when there is none), its other whole UTC days, as ranges [first, last), from the day tallies,
    and the part-days at its ends, [start, end) instants, from the record."""

    months: tuple[date, date] | None
    days: tuple[tuple[date, date], ...]
    edges: tuple[tuple[datetime, datetime], ...]

    @property
    def shape(self) -> tuple[bool, int, int]:
        """What a statement reading this cut is built for (its parameters are `params`)."""
        return self.months is not None, len(self.days), len(self.edges)

    def params(self) -> dict[str, Any]:
        """:m0, :m1 the months; :d<k>a, :d<k>b each range of days; :s<k>, :e<k> each part-day."""
        found: dict[str, Any] = {}
        if self.months is not None:
            found["m0"], found["m1"] = self.months
        for k, (first, last) in enumerate(self.days):
            found[f"d{k}a"], found[f"d{k}b"] = first, last
        for k, (start, end) in enumerate(self.edges):
            found[f"s{k}"], found[f"e{k}"] = start, end
        return found


def split(start: datetime, end: datetime) -> Split:
    days = whole_days(start, end)
    if days is None:
        return Split(None, (), ((start, end),) if start < end else ())
    first, last = days
    ends = ((start, midnight(first)), (midnight(last), end))
    edges = tuple((a, b) for a, b in ends if a < b)
    months = whole_months(midnight(first), midnight(last))
    if months is None:
        return Split(None, ((first, last),), edges)
    around = ((first, months[0]), (months[1], last))
    return Split(months, tuple((a, b) for a, b in around if a < b), edges)


def tally_branches(
    day_model: type[Base],
    shape: tuple[bool, int, int],
    columns: Callable[[Any], Sequence[ColumnElement[Any]]],
    *,
    by_teams: bool,
    by_users: bool,
) -> list[Select[Any]]:
    """The tallies' part of a report's one statement, for a cut of `shape` (Split.shape): the
    month tally over :m0..:m1, the day tally over each :d<k>a..:d<k>b, for the teams (:teams) and
    people (:users). Each row: the key, then `columns(table.c)` (sums), grouped by the key."""
    has_months, day_ranges, _ = shape
    ranges: list[tuple[type[Base], str, str]] = [(day_model, f"d{k}a", f"d{k}b") for k in range(day_ranges)]
    if has_months:
        ranges.insert(0, (MONTHS_OF[day_model], "m0", "m1"))
    parts = []
    for model, first, last in ranges:
        (first_column, second_column), _, bucket = _TABLES[model]
        c = table_of(model).c
        group, who = c[first_column], c[second_column]
        query = select(group, who, *columns(c)).where(
            c[bucket] >= bindparam(first), c[bucket] < bindparam(last)
        )
        parts.append(in_scope(query, by_teams, by_users, group, who).group_by(group, who))
    return parts


def added_up(parts: list[Select[Any]]) -> Select[Any]:
    """The parts' rows of (key, key, *counts) as one row per key, the counts summed by the database:
    a report's parts give several rows a person (months, days, part-days, live items), which cost
    the client ~2 µs a number to add up — ~10 ms for every team's year."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    named = first.with_only_columns(*(c.label(f"c{i}") for i, c in enumerate(first.selected_columns)))
    rows = union_all(named, *parts[1:]).subquery()
    key, who, *counts = rows.c
    return select(key, who, *(func.sum(c) for c in counts)).group_by(key, who)


def ready_to_read(session: Session) -> None:
    """Tallies read in a transaction that changed them include its changes."""
    if session.info.get(_NOTES):
        flush_notes(session)


def handover_sums(session: Session, first: date, last: date) -> dict[str, dict[str, int]]:
    """Per person ('' for a missing name), gave, took and to_self over the UTC months [first, last)."""
    ready_to_read(session)
    t = HandoverTally
    query = (
        select(t.person, *(func.sum(getattr(t, name)) for name in HANDOVER_COLUMNS))
        .where(t.month >= first, t.month < last)
        .group_by(t.person)
    )
    return {
        row[0]: dict(zip(HANDOVER_COLUMNS, (int(v or 0) for v in row[1:]))) for row in session.execute(query)
    }


def whole_months(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The UTC months [first, last) wholly inside [start, end), as their first days, or None."""
    first = month_of(start)
    if midnight(first) != start:
        first = month_of(first + timedelta(days=32))
    last = month_of(end)
    return (first, last) if first < last else None
