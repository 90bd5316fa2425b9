"""Outcome facts and the queue of undecided deadlines: what deciding an outcome writes and reads
back (docs/outcomes.md). What reports read from the facts lives beside it: the counts in
outcome_counts.py, the misses behind them in outcome_misses.py; disputes in outcome_disputes.py.

Facts are inserted, never updated or deleted; each has a unique key, so the same fact can never be
stored twice whoever races to store it. The pending queue is work, not record: a row goes when the
deadline's outcome is decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, event, exists, select
from sqlalchemy.orm import Session, aliased

from storage.conflicts import insert_ignoring
from storage.expressions import ids_in
from storage.models import Outcome, OutcomePending
from storage.queries import tallies
from storage.tables import table_of

FIRST_RESPONSE, RESOLUTION, STATUS_UPDATE = "first_response", "resolution", "status_update"


def fact_key(inquiry_id: int, kind: str, deadline: datetime, fact: str, extra: str = "") -> str:
    stamp = deadline.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%f")
    return f"{inquiry_id}:{kind}:{stamp}:{fact}{extra}"


# ---- the queue of undecided deadlines --------------------------------------------------------


_PENDING = "inquirybot_pending"  # session.info: what pending_of read in this transaction, by item


def add_pending(session: Session, *, inquiry_id: int, deadlines: Sequence[tuple[str, datetime]]) -> None:
    """Queue an item's new deadlines, (kind, due_at) each, in one statement."""
    writes = [
        insert_ignoring(
            table_of(OutcomePending),
            {
                "key": fact_key(inquiry_id, kind, due, "pending"),
                "inquiry_id": inquiry_id,
                "kind": kind,
                "due_at": due,
            },
            conflict=["key"],
        )
        for kind, due in deadlines
    ]
    if writes:
        session.info.pop(_PENDING, None)
        session.execute(writes[0][0], [params for _, params in writes])  # one statement, its rows


@dataclass(frozen=True)
class Pending:
    key: str
    kind: str
    due_at: datetime


_PENDING_OF = (
    select(OutcomePending.key, OutcomePending.kind, OutcomePending.due_at)
    .where(OutcomePending.inquiry_id == bindparam("inquiry_id"))
    .order_by(OutcomePending.due_at, OutcomePending.key)
)
_DROP_PENDING = delete(OutcomePending).where(OutcomePending.key.in_(bindparam("keys", expanding=True)))


def pending_of(session: Session, inquiry_id: int) -> list[Pending]:
    """An item's undecided deadlines. Read once per transaction (a change reads them to catch up,
    then to answer): add_pending and drop_pending, the queue's only writers, forget the reading."""
    read: dict[int, list[Pending]] = session.info.setdefault(_PENDING, {})
    if inquiry_id not in read:
        rows = session.connection().execute(_PENDING_OF, {"inquiry_id": inquiry_id})  # Core: no ORM dispatch
        read[inquiry_id] = [Pending(*row) for row in rows]
    return list(read[inquiry_id])


def drop_pending(session: Session, keys: Sequence[str]) -> None:
    if keys:
        session.info.pop(_PENDING, None)
        session.connection().execute(_DROP_PENDING, {"keys": list(keys)})


_DROP_KIND = delete(OutcomePending).where(
    OutcomePending.inquiry_id == bindparam("inquiry_id"), OutcomePending.kind == bindparam("kind")
)


def move_pending(session: Session, *, kind: str, moves: Sequence[tuple[int, datetime]]) -> None:
    """Items' undecided deadline of one kind moved (a closure re-planned it): (inquiry_id, new due)
    each. The old queue row goes and the new one comes, so the outcome is decided at the deadline
    that stands, never at one a closure moved."""
    if not moves:
        return
    session.info.pop(_PENDING, None)
    session.connection().execute(_DROP_KIND, [{"inquiry_id": item, "kind": kind} for item, _ in moves])
    writes = [
        insert_ignoring(
            table_of(OutcomePending),
            {"key": fact_key(item, kind, due, "pending"), "inquiry_id": item, "kind": kind, "due_at": due},
            conflict=["key"],
        )
        for item, due in moves
    ]
    session.execute(writes[0][0], [params for _, params in writes])


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: Any) -> None:
    session.info.pop(_PENDING, None)  # another transaction reads the queue afresh


def due_inquiries(session: Session, now: datetime, limit: int) -> list[int]:
    """Items with a deadline fallen before `now` and not yet decided, earliest first (index on due_at)."""
    query = (
        select(OutcomePending.inquiry_id)
        .where(OutcomePending.due_at < now)
        .order_by(OutcomePending.due_at)
        .limit(limit)
    )
    return list(dict.fromkeys(session.scalars(query)))


# ---- facts -----------------------------------------------------------------------------------


def insert_fact(session: Session, values: dict[str, Any]) -> int | None:
    """Store one fact; its id, or None when a fact with the same key is stored already. A stored
    fact is added to its tally in the same commit (tallies.py)."""
    fact_id = session.scalar(*insert_ignoring(table_of(Outcome), values, conflict=["key"], returning="id"))
    if fact_id is not None:
        tallies.count_fact(session, values)
    return fact_id


_FACTS_OF = select(Outcome).where(Outcome.inquiry_id == bindparam("inquiry_id")).order_by(Outcome.id)


def facts_of(session: Session, inquiry_id: int) -> list[Outcome]:
    return list(session.scalars(_FACTS_OF, {"inquiry_id": inquiry_id}))


def fact(session: Session, fact_id: int) -> Outcome | None:
    return session.get(Outcome, fact_id)


# ---- whether a fact still counts, and whether a miss was answered late -------------------------


def not_voided(fact_id: Any) -> ColumnElement[bool]:
    """No void fact cancels this one: a seek in ix_outcomes_corrects per fact (NOT IN a list of
    every void fact made both databases read the whole table first)."""
    void = aliased(Outcome)
    return ~exists().where(void.corrects == fact_id, void.fact == "void")


def answered_late(session: Session, ids: Sequence[int]) -> set[int]:
    """Of these missed facts, those a late answer has since turned into late."""
    if not ids:
        return set()
    return {corrects for corrects, _ in session.execute(late_answers(), {"ids": list(ids)})}


@cache
def late_answers() -> Select[Any]:
    """(the missed fact, hours taken) of the late answers to the facts :ids."""
    o = Outcome
    return select(o.corrects, o.business_hours).where(o.fact == "late", ids_in(o.corrects))
