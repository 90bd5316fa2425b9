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

Reading them is tally_reads.py's (`ready_to_read` here first adds a transaction's own notes);
rebuilding them all from the record, tally_rebuild.py's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# Imported first so that its before_commit hook (the deferred writes: the inquiry's UPDATE, events,
# outbox rows) is registered, and so runs, before this module's: a transaction takes its tally rows
# last of all, after every other write and lock (SQLAlchemy calls hooks in the order registered).
import storage.queries.deferred  # noqa: F401
from storage.conflicts import insert_adding
from storage.inquiry_status import Status
from storage.models import (
    HANDOVER_EVENTS,
    ActivityMonthTally,
    ActivityTally,
    Base,
    Feedback,
    HandoverTally,
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
TABLES: dict[type[Base], tuple[tuple[str, ...], tuple[str, ...], str]] = {
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
        for person, column in handover_counts(giver, taker):
            note_key(session, HandoverTally, (person,), month_of(at), column, 1)


def handover_counts(giver: str, taker: str) -> list[tuple[str, str]]:
    """(person, column) each hand-over adds one to."""
    return [(giver, "gave"), (taker, "took"), *([(giver, "to_self")] if giver == taker else [])]


def flush_notes(session: Session) -> None:
    """Add the transaction's notes to their rows now (before commit, or before reading tallies in
    a transaction that changed them): one upsert statement per tally, built once, run over its rows
    in key order (the order every transaction takes tally rows in); on PostgreSQL all of them in
    one pipeline, one round trip."""
    notes: dict[Key, dict[str, int]] = session.info.pop(_NOTES, {})
    models = {model.__tablename__: model for model in TABLES}
    rows: dict[str, list[dict[str, Any]]] = {}
    for (name, key, bucket), added in sorted(notes.items()):
        if any(added.values()):
            key_columns, columns, bucket_column = TABLES[models[name]]
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
    key_columns, columns, bucket_column = TABLES[model]
    return insert_adding(table_of(model), (*key_columns, bucket_column), columns)


@event.listens_for(Session, "before_commit")
def _apply(session: Session) -> None:
    if session.info.get(_NOTES):
        flush_notes(session)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_NOTES, None)


def ready_to_read(session: Session) -> None:
    """Tallies read in a transaction that changed them include its changes."""
    if session.info.get(_NOTES):
        flush_notes(session)
