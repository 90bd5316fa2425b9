"""Tallies rebuilt from the record (docs/outcomes.md "Reading facts fast"): every row recomputed
from the outcome facts, inquiry rows and events, as the migrations that add the tallies do, and a
bulk load (the benchmark's). Day tallies first, their months rolled up from them (`roll_up`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, DateTime, cast, delete, func, insert, select

from storage.expressions import json_text
from storage.inquiry_status import Status
from storage.models import (
    HANDOVER_EVENTS,
    ActivityTally,
    Base,
    Event,
    Feedback,
    HandoverTally,
    Inquiry,
    Outcome,
    OutcomeTally,
)
from storage.queries.tallies import (
    ACTIVITY_COLUMNS,
    HANDOVER_COLUMNS,
    KINDS,
    MONTHS_OF,
    OUTCOME_COLUMNS,
    OUTCOMES,
    TABLES,
    handover_counts,
    month_of,
)
from storage.tables import table_of


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
        for person, column in handover_counts(given, taken):
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
    (first, second), columns, _ = TABLES[day_model]
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
