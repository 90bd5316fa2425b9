"""Backfill outcome facts from the rows kept before outcomes were facts (migration 0002).

The rule of docs/outcomes.md applied to what the inquiries table holds: the first response, and the
promised resolution standing at migration time (earlier promises were not kept as outcomes then),
each decided at the answer if it came by the deadline, else at the deadline, for whoever held the
item at that instant (read from the reassignment events). Deadlines still ahead are queued for the
scheduler. Closed items whose deadline had not fallen when they were closed (or whose closing time
is unknown) get no outcome for it, as reports counted them before.
Runs in Python over the rows in batches: the same code whatever the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from storage.inquiry_status import LIVE, Status
from storage.models import Event, Inquiry, Outcome, OutcomePending
from storage.queries.outcomes import FIRST_RESPONSE, RESOLUTION, STATUS_UPDATE, fact_key
from storage.tables import table_of

BATCH = 20_000
_COLUMNS = (
    Inquiry.id,
    Inquiry.team,
    Inquiry.status,
    Inquiry.assignee,
    Inquiry.received_at,
    Inquiry.last_update_at,
    Inquiry.first_response_due,
    Inquiry.first_response_at,
    Inquiry.first_response_by,
    Inquiry.first_response_business_hours,
    Inquiry.promised_resolution,
    Inquiry.resolved_at,
    Inquiry.first_update_at,
    Inquiry.reassignments,
)


def backfill(conn: Connection, now: datetime, actor: str = "migration") -> int:
    """Store the facts (and pending deadlines) of every inquiry; returns the number of facts."""
    stored, last = 0, 0
    while True:
        rows = conn.execute(
            select(*_COLUMNS).where(Inquiry.id > last).order_by(Inquiry.id).limit(BATCH)
        ).all()
        if not rows:
            return stored
        last = rows[-1].id
        moves = _moves(conn, [r.id for r in rows if r.reassignments])
        facts, pending = [], []
        for r in rows:
            f, p = facts_for(r, moves.get(r.id, []), now, actor)
            facts += f
            pending += p
        _store(conn, facts, pending)
        stored += len(facts)


def _moves(conn: Connection, ids: list[int]) -> dict[int, list[tuple[datetime, str | None, str | None]]]:
    moves: dict[int, list[tuple[datetime, str | None, str | None]]] = {}
    if not ids:
        return moves
    query = (
        select(Event.inquiry_id, Event.at, Event.payload)
        .where(Event.inquiry_id.in_(ids), Event.type.in_(("reassigned", "covered")))
        .order_by(Event.inquiry_id, Event.at, Event.id)
    )
    for inquiry_id, at, payload in conn.execute(query):
        moves.setdefault(inquiry_id, []).append((at, (payload or {}).get("from"), (payload or {}).get("to")))
    return moves


def holder_at(moves: list[tuple[datetime, str | None, str | None]], at: datetime, current: str) -> str:
    """Who held the item at `at`: the receiver of the last move by then, else the giver of the next."""
    before = [to for when, _, to in moves if when <= at and to]
    if before:
        return before[-1]
    after = [frm for when, frm, _ in moves if when > at and frm]
    return after[0] if after else current


def facts_for(
    r: Row[Any], moves: list[tuple[datetime, str | None, str | None]], now: datetime, actor: str
) -> tuple[list[dict], list[dict]]:
    facts: list[dict] = []
    pending: list[dict] = []
    closed_at = r.last_update_at if r.status == Status.CLOSED else None

    def fact(
        kind: str,
        deadline: datetime,
        fact_name: str,
        at: datetime,
        holder: str,
        outcome: str,
        hours: float | None = None,
    ) -> None:
        facts.append(
            dict(
                key=fact_key(r.id, kind, deadline, fact_name),
                inquiry_id=r.id,
                kind=kind,
                fact=fact_name,
                deadline=deadline,
                decided_at=at,
                holder=holder,
                team=r.team,
                outcome=outcome,
                weight=1,
                business_hours=hours,
                corrects=None,
                recorded_at=now,
                recorded_by=actor,
            )
        )

    def one(
        kind: str,
        due: datetime,
        answered_at: datetime | None,
        answered_by: str | None,
        hours_on_time: float | None,
        hours_late: float | None,
    ) -> None:
        if answered_at is not None and answered_at <= due:
            fact(
                kind,
                due,
                "decided",
                answered_at,
                answered_by or holder_at(moves, answered_at, r.assignee),
                "on_time",
                hours_on_time,
            )
        elif due < now and not (
            r.status == Status.CLOSED and answered_at is None and (closed_at is None or closed_at < due)
        ):
            holder = holder_at(moves, due, r.assignee)
            fact(kind, due, "decided", due, holder, "missed", None)
            if answered_at is not None:
                fact(kind, due, "late", due, holder, "late", hours_late)
        elif due >= now and r.status in LIVE and answered_at is None:
            pending.append(
                dict(key=fact_key(r.id, kind, due, "pending"), inquiry_id=r.id, kind=kind, due_at=due)
            )

    hours = r.first_response_business_hours
    one(FIRST_RESPONSE, r.first_response_due, r.first_response_at, r.first_response_by, hours, hours)
    if r.promised_resolution is not None:
        resolved = r.resolved_at if r.status == Status.RESOLVED else None
        one(RESOLUTION, r.promised_resolution, resolved, None, None, None)
        kept = [t for t in (r.first_update_at, resolved) if t is not None]
        one(STATUS_UPDATE, r.promised_resolution, min(kept) if kept else None, None, None, None)
    return facts, pending


def _store(conn: Connection, facts: list[dict], pending: list[dict]) -> None:
    decided = [f for f in facts if f["fact"] == "decided"]
    late = [f for f in facts if f["fact"] == "late"]
    if decided:
        conn.execute(insert(table_of(Outcome)), decided)
    if late:
        keys = [f["key"].replace(":late", ":decided") for f in late]
        ids: dict[str, int] = dict(
            conn.execute(select(Outcome.key, Outcome.id).where(Outcome.key.in_(keys))).tuples().all()
        )
        conn.execute(insert(table_of(Outcome)), [{**f, "corrects": ids[k]} for f, k in zip(late, keys)])
    if pending:
        conn.execute(insert(table_of(OutcomePending)), pending)
