"""Closures declared while the bot runs, and the bulk writes of a re-plan (docs/closures.md).

A re-plan moves thousands of deadlines at once, so its writes are one statement per table: on
PostgreSQL one array per column through unnest() (parsed once, whatever the count), on SQLite
executemany. Reads of the candidates are one Core statement (no ORM objects).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, insert, select, text, update
from sqlalchemy.orm import Session

from storage.inquiry_status import Status
from storage.models import Closure, Inquiry, OutcomePending
from storage.queries import tallies
from storage.queries.outcomes import FIRST_RESPONSE
from storage.tables import table_of

_CLOSURES = table_of(Closure)
_INQUIRIES = table_of(Inquiry)
CLOSURE_COLUMNS = tuple(c.key for c in _CLOSURES.columns)
# What a re-plan reads of each candidate (a fresh plan needs no more).
CANDIDATE_COLUMNS = (
    "id",
    "team",
    "kind",
    "needs_research",
    "received_at",
    "policy",
    "assignee",
    "first_response_due",
    "first_response_target",
)


def insert_closure(session: Session, values: dict[str, Any]) -> int:
    key = session.connection().execute(insert(_CLOSURES).values(**values)).inserted_primary_key
    assert key is not None  # an INSERT of one row always has one
    return key[0]


def all_closures(session: Session) -> list[tuple]:
    """Every closure ever declared (cancelled too), oldest first, as rows of CLOSURE_COLUMNS."""
    rows = session.connection().execute(select(*_CLOSURES.c).order_by(_CLOSURES.c.id))
    return [tuple(r) for r in rows]


def get_closure(session: Session, closure_id: int, *, for_update: bool = False) -> tuple | None:
    query = select(*_CLOSURES.c).where(_CLOSURES.c.id == closure_id)
    if for_update:
        query = query.with_for_update()
    row = session.connection().execute(query).first()
    return tuple(row) if row is not None else None


def mark_cancelled(session: Session, closure_id: int, *, by: str, at: datetime) -> None:
    session.connection().execute(
        update(_CLOSURES).where(_CLOSURES.c.id == closure_id).values(cancelled_by=by, cancelled_at=at)
    )


_VERSION = select(func.count(), func.max(_CLOSURES.c.id), func.count(_CLOSURES.c.cancelled_at))


def closures_version(session: Session) -> tuple:
    """Changes whenever a closure is declared or cancelled: (count, newest id, cancelled count)."""
    return tuple(session.connection().execute(_VERSION).one())


def lock_closures(session: Session) -> None:
    """Serialise declarations and cancellations (PostgreSQL: a transaction-scoped advisory lock;
    SQLite's BEGIN IMMEDIATE already holds the database lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": 0x636C6F73})


def replan_candidates(
    session: Session,
    *,
    teams: Sequence[str],
    due_after: datetime,
    due_from: datetime,
    received_before: datetime,
) -> list[tuple]:
    """Live items whose first response is still pending under a rule (not an established deadline)
    and whose window may touch the days in question: due after `due_after` (now: a passed deadline
    is decided), due at or after `due_from`, received before `received_before`. Rows of
    CANDIDATE_COLUMNS, row-locked on PostgreSQL.

    Pending means still in the outcome queue: a deadline the scheduler decided missed while this
    declaration waited for its items (or read the time before it fell) is decided, and moving it
    would queue a second outcome for the same first response. On PostgreSQL the rows are locked
    first and read again in a statement of their own, which sees what the holder of a lock
    committed (a locking read re-checks only the locked row, never the queue)."""
    c = _INQUIRIES.c
    pending = (
        select(OutcomePending.inquiry_id)
        .where(OutcomePending.inquiry_id == c.id, OutcomePending.kind == FIRST_RESPONSE)
        .exists()
    )
    where = (
        c.status == Status.OPEN,
        c.first_response_at.is_(None),
        c.established_reason.is_(None),
        c.team.in_(list(teams)),
        and_(c.first_response_due > due_after, c.first_response_due >= due_from),
        c.received_at < received_before,
    )
    columns = [c[name] for name in CANDIDATE_COLUMNS]
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(select(c.id).where(*where).with_for_update())
    return [tuple(r) for r in session.connection().execute(select(*columns).where(*where, pending))]


def apply_replans(
    session: Session, moves: Sequence[dict[str, Any]], deadlines: Sequence[dict[str, Any]]
) -> None:
    """Store moved deadlines: each move {id, due, target, next_at} updates its inquiry; each
    deadline row (inquiry_id, name, due_at, rule, facts, set_at, set_by) is a new version."""
    if not moves:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(
            text(
                "UPDATE inquiries SET first_response_due = u.due, first_response_target = u.target, "
                "next_action_at = u.next_at FROM unnest(CAST(:ids AS integer[]), CAST(:dues AS timestamptz[]), "
                "CAST(:targets AS timestamptz[]), CAST(:nexts AS timestamptz[])) AS u(id, due, target, next_at) "
                "WHERE inquiries.id = u.id"
            ),
            {
                "ids": [m["id"] for m in moves],
                "dues": [m["due"] for m in moves],
                "targets": [m["target"] for m in moves],
                "nexts": [m["next_at"] for m in moves],
            },
        )
        # COPY: the new versions stream in as rows, no statement to parse, no json[] array to build
        # (the unnest() INSERT took seconds for 20,000 deadlines).
        with (
            _driver(session).cursor() as cur,
            cur.copy(
                "COPY deadlines (inquiry_id, name, due_at, rule, facts, set_at, set_by) FROM STDIN"
            ) as copy,
        ):
            for d in deadlines:
                copy.write_row(
                    (
                        d["inquiry_id"],
                        d["name"],
                        d["due_at"],
                        d["rule"],
                        json.dumps(d["facts"]),
                        d["set_at"],
                        d["set_by"],
                    )
                )
        return
    # SQLite: executemany straight on the driver with the values in the form TZDateTime stores
    # (naive UTC text), skipping per-value type processing, which was most of the time here.
    conn = session.connection()
    conn.exec_driver_sql(
        "UPDATE inquiries SET first_response_due = ?, first_response_target = ?, next_action_at = ? WHERE id = ?",
        [
            (_sqlite_time(m["due"]), _sqlite_time(m["target"]), _sqlite_time(m["next_at"]), m["id"])
            for m in moves
        ],
    )
    conn.exec_driver_sql(
        "INSERT INTO deadlines (inquiry_id, name, due_at, rule, facts, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                d["inquiry_id"],
                d["name"],
                _sqlite_time(d["due_at"]),
                d["rule"],
                json.dumps(d["facts"]),
                _sqlite_time(d["set_at"]),
                d["set_by"],
            )
            for d in deadlines
        ],
    )


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append events (inquiry_id, type, actor, at, payload): COPY on PostgreSQL, on SQLite
    straight on the driver, as above."""
    for r in rows:  # a hand-over among them counts in its tally (tallies.py)
        tallies.count_handover(session, r["type"], r["at"], r["payload"])
    if session.get_bind().dialect.name == "postgresql":
        with (
            _driver(session).cursor() as cur,
            cur.copy("COPY events (inquiry_id, type, actor, at, payload) FROM STDIN") as copy,
        ):
            for r in rows:
                copy.write_row((r["inquiry_id"], r["type"], r["actor"], r["at"], json.dumps(r["payload"])))
        return
    session.connection().exec_driver_sql(
        "INSERT INTO events (inquiry_id, type, actor, at, payload) VALUES (?, ?, ?, ?, ?)",
        [
            (r["inquiry_id"], r["type"], r["actor"], _sqlite_time(r["at"]), json.dumps(r["payload"]))
            for r in rows
        ],
    )


def _driver(session: Session) -> Any:
    """The psycopg connection under the session's (same transaction)."""
    return session.connection().connection.driver_connection


def _sqlite_time(value: datetime | None) -> str | None:
    """What TZDateTime stores in SQLite: naive UTC as SQLAlchemy's DATETIME text."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
