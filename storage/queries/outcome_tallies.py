"""Outcome tallies: the facts' weights added up per UTC day, team and holder (docs/outcomes.md
"Reading facts fast"). Derived from the facts, never the record itself.

Writing: `count` notes a stored fact's weight on the session; the notes are added to their rows
just before the transaction commits (`_apply`, a session hook), in key order. So a tally row is
locked only for the last instant of a transaction, after every inquiry it locks, and two
transactions always take tally rows in the same order: the scheduler's batch and a person's answer
cannot deadlock over them. A rolled-back transaction drops its notes with its facts.

Reading: `sums` adds up the whole UTC days of a period from here, and the facts of the part-days at
either end directly (outcomes.outcome_counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Date, cast, delete, event, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Outcome, OutcomeTally
from storage.tables import table_of

KINDS = ("first_response", "resolution", "status_update")
OUTCOMES = ("on_time", "missed", "late")
COLUMNS = tuple(f"{kind}_{outcome}" for kind in KINDS for outcome in OUTCOMES)
Key = tuple[str, str, date]  # (team, holder, UTC day)
_NOTES = "outcome_tallies"  # the session.info key of a transaction's notes


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


def count(session: Session, fact: dict[str, Any]) -> None:
    """Note a fact just stored; added to its tally row when the transaction commits."""
    weight = fact.get("weight", 1)
    column = f"{fact['kind']}_{fact['outcome']}"
    if not weight or column not in COLUMNS:
        return
    notes: dict[Key, dict[str, int]] = session.info.setdefault(_NOTES, {})
    row = notes.setdefault((fact["team"], fact["holder"], utc_day(fact["decided_at"])), {})
    row[column] = row.get(column, 0) + weight


def flush_notes(session: Session) -> None:
    """Add the transaction's notes to their rows now (before commit, or before reading tallies in
    a transaction that stored facts)."""
    notes: dict[Key, dict[str, int]] = session.info.pop(_NOTES, {})
    dialect = session.get_bind().dialect.name
    for (team, holder, day), added in sorted(notes.items()):
        if any(added.values()):
            session.execute(_upsert(dialect, team, holder, day, added))


def _upsert(dialect: str, team: str, holder: str, day: date, added: dict[str, int]) -> Any:
    table = table_of(OutcomeTally)
    values = {"team": team, "holder": holder, "day": day, **dict.fromkeys(COLUMNS, 0), **added}
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(values)
    return stmt.on_conflict_do_update(
        index_elements=["team", "holder", "day"],
        set_={name: table.c[name] + stmt.excluded[name] for name in added},
    )


@event.listens_for(Session, "before_commit")
def _apply(session: Session) -> None:
    if session.info.get(_NOTES):
        flush_notes(session)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_NOTES, None)


def rebuild(conn: Connection) -> int:
    """Recompute every tally row from the facts (the migration that adds them; a bulk load of
    facts, as the benchmark's). Returns the number of rows."""
    conn.execute(delete(table_of(OutcomeTally)))
    day = _day_of(conn, Outcome.decided_at)
    o = Outcome
    sums = [
        func.coalesce(func.sum(o.weight).filter(o.kind == kind, o.outcome == outcome), 0)
        for kind in KINDS
        for outcome in OUTCOMES
    ]
    query = select(o.team, o.holder, day, *sums).group_by(o.team, o.holder, day)
    table = table_of(OutcomeTally)
    conn.execute(insert(table).from_select(["team", "holder", "day", *COLUMNS], query))
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _day_of(conn: Connection, column: Any) -> Any:
    """The UTC day of a stored instant, in SQL: SQLite keeps naive UTC text, PostgreSQL timestamptz."""
    if conn.dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)


# ---- reading --------------------------------------------------------------------------------


def sums(
    session: Session,
    *,
    teams: Sequence[str] | None,
    users: Sequence[str] | None,
    first: date,
    last: date,
) -> list[tuple[str, str, dict[str, int]]]:
    """Per team and holder, each column's sum over the UTC days [first, last)."""
    if session.info.get(_NOTES):
        flush_notes(session)
    t = OutcomeTally
    query = select(t.team, t.holder, *(func.sum(getattr(t, name)) for name in COLUMNS)).where(
        t.day >= first, t.day < last
    )
    if users is not None:
        query = query.where(t.holder.in_(list(users)))
    if teams is not None:
        query = query.where(t.team.in_(list(teams)))
    query = query.group_by(t.team, t.holder)
    return [
        (row[0], row[1], dict(zip(COLUMNS, (int(v or 0) for v in row[2:])))) for row in session.execute(query)
    ]
