"""Inquiry look-ups and the few writes that are pure data (deadlines). No business rules here.

bot/ sees an inquiry as one type, InquiryRecord, whichever query read it (one, a list, the
scheduler's due batch, the deliverer's cards): plain records and Core statements instead of ORM
objects, because the ORM's unit of work, identity map and relationship loading were most of each
operation's CPU time (docs/performance.md, "Store"). The ORM model stays the schema and serves
reports and exports.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from storage.inquiry_status import LIVE, Status
from storage.models import Absence, Deadline, Inquiry, RoutingCounter
from storage.queries import tallies
from storage.queries.absences import active_at
from storage.queries.deferred import defer
from storage.refs import MAX_ID, inquiry_ref
from storage.tables import table_of

_INQUIRIES = table_of(Inquiry)
_DEADLINES = table_of(Deadline)
COLUMNS: tuple[str, ...] = tuple(c.key for c in _INQUIRIES.columns)  # id first
_DEADLINE_FIELDS = ("name", "due_at", "rule", "facts", "set_at", "set_by")


class DeadlineRecord(NamedTuple):
    """A deadline as stored (deadlines are never changed once given)."""

    name: str
    due_at: datetime
    rule: str
    facts: dict[str, Any]
    set_at: datetime
    set_by: str


class InquiryRecord:
    """One inquiry as a plain record: the attributes of the Inquiry model (plus `deadlines` and
    `ref`), read in one statement and written back as one UPDATE of the columns that changed."""

    __slots__ = (*COLUMNS, "deadlines", "_stored", "_stored_deadlines")

    # The Inquiry model's columns, for the type checker (storage/models/inquiries.py; COLUMNS fills them).
    id: int
    team: str
    kind: str
    subject: str
    customer_name: str | None
    customer_contact: str | None
    received_at: datetime
    logged_at: datetime
    logged_by: str
    assignee: str
    complexity: str
    needs_research: bool
    status: str
    close_reason: str | None
    source_link: str | None
    policy: str
    rule: str
    established_reason: str | None
    first_response_due: datetime
    first_response_target: datetime | None
    first_response_at: datetime | None
    first_response_by: str | None
    first_response_business_hours: float | None
    promised_resolution: datetime | None
    resolved_at: datetime | None
    last_update_at: datetime | None
    first_update_at: datetime | None
    escalation_level: int
    escalated: bool
    reassignments: int
    snoozed_until: datetime | None
    next_action_at: datetime | None
    workflow_execution_id: str | None
    deadlines: list[DeadlineRecord]
    _stored: tuple[Any, ...] | None
    _stored_deadlines: int

    def __init__(self, values: Sequence[Any], deadlines: list[DeadlineRecord], *, stored: bool = True):
        for name, value in zip(COLUMNS, values):
            setattr(self, name, value)
        self.deadlines = deadlines
        self._stored = tuple(values) if stored else None
        self._stored_deadlines = len(deadlines) if stored else 0

    @property
    def ref(self) -> str:
        return inquiry_ref(self.id)

    def changes(self) -> dict[str, Any]:
        """Columns whose value differs from what was read (everything, for a new record)."""
        current = [getattr(self, name) for name in COLUMNS]
        if self._stored is None:
            return dict(zip(COLUMNS, current))
        return {name: now for name, now, was in zip(COLUMNS, current, self._stored) if now != was}

    def counted_for(self) -> tuple[str, str]:
        """(team, accountable person) as last stored: whom reports count the item for until a
        change is saved (save_record then moves its counts, tallies.py)."""
        values = self._stored if self._stored is not None else [getattr(self, n) for n in COLUMNS]
        return tallies.owner(dict(zip(COLUMNS, values)))

    def new_deadlines(self) -> list[DeadlineRecord]:
        return self.deadlines[self._stored_deadlines :]

    def mark_stored(self) -> None:
        self._stored = tuple(getattr(self, name) for name in COLUMNS)
        self._stored_deadlines = len(self.deadlines)


# One statement: the inquiry's columns, then its deadlines' (one row per deadline, NULLs when it
# has none); FOR UPDATE OF locks the inquiry row only (SQLite has no row locks and omits it).
_RECORD = (
    select(*_INQUIRIES.c, *(_DEADLINES.c[name] for name in _DEADLINE_FIELDS))
    .select_from(_INQUIRIES.outerjoin(_DEADLINES, _DEADLINES.c.inquiry_id == _INQUIRIES.c.id))
    .where(_INQUIRIES.c.id == bindparam("inquiry_id"))
    .order_by(_DEADLINES.c.id)
)
_RECORD_FOR_UPDATE = _RECORD.with_for_update(of=_INQUIRIES)
_WIDTH = len(COLUMNS)


def load_record(*, session: Session, inquiry_id: int, for_update: bool = False) -> InquiryRecord | None:
    """One inquiry with its deadlines; `for_update` row-locks it on PostgreSQL so concurrent changes
    queue (SQLite needs no row lock: every write transaction there starts with BEGIN IMMEDIATE).
    Ids are 32-bit in the database: a larger (or non-positive) number names no inquiry and never
    reaches SQL, where PostgreSQL would refuse it as out of range."""
    if not 0 < inquiry_id <= MAX_ID:
        return None
    # Core statements run on the session's connection: Session.execute adds its ORM dispatch to each.
    rows = (
        session.connection()
        .execute(_RECORD_FOR_UPDATE if for_update else _RECORD, {"inquiry_id": inquiry_id})
        .all()
    )
    if not rows:
        return None
    first = rows[0]
    deadlines = [DeadlineRecord(*row[_WIDTH:]) for row in rows if row[_WIDTH] is not None]
    return InquiryRecord(first[:_WIDTH], deadlines)


_STEP = select(_INQUIRIES.c.id).where(_INQUIRIES.c.workflow_execution_id == bindparam("execution_id"))


def logged_by_step(*, session: Session, execution_id: str) -> InquiryRecord | None:
    """The inquiry a Workflow Builder step run (its function_execution_id) logged, if it did: the
    column is unique, so a run delivered again finds it instead of logging another."""
    inquiry_id = session.connection().execute(_STEP, {"execution_id": execution_id}).scalar()
    return None if inquiry_id is None else load_record(session=session, inquiry_id=inquiry_id)


_DEADLINES_OF = (
    select(_DEADLINES.c.inquiry_id, *(_DEADLINES.c[name] for name in _DEADLINE_FIELDS))
    .where(_DEADLINES.c.inquiry_id.in_(bindparam("ids", expanding=True)))
    .order_by(_DEADLINES.c.id)
)


def read_records(*, session: Session, query: Select[Any]) -> list[InquiryRecord]:
    """The inquiries a Core query over every inquiries column (select(*inquiries.c)) finds, in its
    order, each with its deadlines: two statements whatever the number of rows."""
    rows = session.connection().execute(query).all()
    if not rows:
        return []
    deadlines: dict[int, list[DeadlineRecord]] = {}
    for row in session.connection().execute(_DEADLINES_OF, {"ids": [r[0] for r in rows]}):
        deadlines.setdefault(row[0], []).append(DeadlineRecord(*row[1:]))
    return [InquiryRecord(row, deadlines.get(row[0], [])) for row in rows]


_INSERT = insert(_INQUIRIES)
_INSERT_DEADLINE = insert(_DEADLINES).inline()  # no RETURNING: nothing reads a deadline's id
_UPDATE = update(_INQUIRIES).where(_INQUIRIES.c.id == bindparam("_inquiry_id"))


def new_record(values: dict[str, Any]) -> InquiryRecord:
    """A record not yet stored; columns not given are NULL (every column without a default)."""
    return InquiryRecord([values.get(name) for name in COLUMNS], [], stored=False)


def save_record(*, session: Session, record: InquiryRecord) -> None:
    """Write the record: INSERT (a new one; its id — INQ-n — comes from the database's
    autoincrement, so concurrent processes never share one) or UPDATE of the changed columns;
    then its new deadlines. Only the INSERT runs at once (its id is needed); the rest is sent at
    commit (storage.queries.deferred), with the change to its report tallies."""
    changes = record.changes()
    if changes:  # what the item counts for in reports moves with it (tallies.py)
        before = None if record._stored is None else dict(zip(COLUMNS, record._stored))
        tallies.count_change(session, before, {name: getattr(record, name) for name in COLUMNS})
    if record._stored is None:
        del changes["id"]
        record.id = session.connection().execute(_INSERT, changes).inserted_primary_key[0]  # type: ignore[index]  # one row inserted: it has a key
    elif changes:
        defer(session, _UPDATE, {"_inquiry_id": record.id, **changes})
    for deadline in record.new_deadlines():
        defer(session, _INSERT_DEADLINE, {"inquiry_id": record.id, **deadline._asdict()})
    record.mark_stored()


def add_deadline(
    *,
    record: InquiryRecord,
    name: str,
    due_at: datetime,
    rule: str,
    facts: dict[str, Any],
    set_at: datetime,
    set_by: str,
) -> DeadlineRecord:
    """Give the inquiry a deadline (stored by the next save_record)."""
    deadline = DeadlineRecord(name, due_at, rule, facts, set_at, set_by)
    record.deadlines.append(deadline)
    return deadline


def inquiries_by_id(*, session: Session, ids: Sequence[int]) -> list[InquiryRecord]:
    """These inquiries with their deadlines (ids not found are left out)."""
    return read_records(session=session, query=select(*_INQUIRIES.c).where(_INQUIRIES.c.id.in_(list(ids))))


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """Open past its first-response deadline, or acknowledged past the promised resolution."""
    return or_(
        and_(Inquiry.status == Status.OPEN, Inquiry.first_response_due < now),
        and_(Inquiry.status == Status.ACKNOWLEDGED, Inquiry.promised_resolution < now),
    )


def live_inquiries(
    *,
    session: Session,
    assignee: str | None = None,
    team: str | None = None,
    overdue_at: datetime | None = None,
    limit: int = 200,
) -> list[InquiryRecord]:
    """Open and acknowledged items, soonest first-response deadline first."""
    query = select(*_INQUIRIES.c).where(Inquiry.status.in_(LIVE))
    if assignee is not None:
        query = query.where(Inquiry.assignee == assignee)
    if team is not None:
        query = query.where(Inquiry.team == team)
    if overdue_at is not None:
        query = query.where(overdue_condition(overdue_at))
    query = query.order_by(Inquiry.first_response_due, Inquiry.id).limit(limit)
    return read_records(session=session, query=query)


def live_ids_of(*, session: Session, assignee: str) -> list[int]:
    query = select(Inquiry.id).where(Inquiry.assignee == assignee, Inquiry.status.in_(LIVE))
    return list(session.scalars(query.order_by(Inquiry.id)))


_LOCK_ROUTING = text("SELECT pg_advisory_xact_lock(:key)")


def lock_routing(*, session: Session, team: str) -> None:
    """Serialize complex-item routing per team so round-robin counts are never read stale.

    PostgreSQL: a transaction-scoped advisory lock (released at commit). SQLite: nothing to do,
    the write transaction already holds the database lock from BEGIN IMMEDIATE.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"inquirybot:route:{team}".encode()) - 2**31
        session.connection().execute(_LOCK_ROUTING, {"key": key})


_COUNTERS = table_of(RoutingCounter)
_ABSENCES = table_of(Absence)
# Both things routing needs, in one statement built once: each user's count so far, and who of
# them is away at `at` (rows with the marker -1; a count is never negative).
_ROUTING_STATE = union_all(
    select(_COUNTERS.c.user_id, _COUNTERS.c.assigned).where(
        _COUNTERS.c.team == bindparam("team"), _COUNTERS.c.user_id.in_(bindparam("users", expanding=True))
    ),
    select(_ABSENCES.c.user_id, literal(-1, Integer)).where(
        _ABSENCES.c.user_id.in_(bindparam("users", expanding=True)),
        active_at(bindparam("at", type_=_ABSENCES.c.starts_at.type)),
    ),
)


def routing_state(
    *, session: Session, team: str, users: Sequence[str], at: datetime
) -> tuple[dict[str, int], set[str]]:
    """(complex items routing has given each user of the team so far, who of them is away at
    `at`); call under lock_routing."""
    counts, away = dict.fromkeys(users, 0), set()
    rows = session.connection().execute(_ROUTING_STATE, {"team": team, "users": list(users), "at": at})
    for user, n in rows:
        if n < 0:
            away.add(user)
        else:
            counts[user] = n
    return counts, away


_COUNT_ROUTED = text(
    "INSERT INTO routing_counters (team, user_id, assigned) VALUES (:team, :user_id, 1) "
    "ON CONFLICT (team, user_id) DO UPDATE SET assigned = routing_counters.assigned + 1"
)


def count_routed(*, session: Session, team: str, user_id: str) -> None:
    """Count one more; sent at commit, still under the routing lock (storage.queries.deferred)."""
    defer(session, _COUNT_ROUTED, {"team": team, "user_id": user_id})


def iter_inquiries(*, session: Session, team: str | None = None, chunk: int = 1000) -> Iterator[Inquiry]:
    """Every inquiry in id order, read in keyset-paginated chunks (exports of any size)."""
    last = 0
    while True:
        query = select(Inquiry).where(Inquiry.id > last).order_by(Inquiry.id).limit(chunk)
        if team is not None:
            query = query.where(Inquiry.team == team)
        rows = list(session.scalars(query))
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1].id
        session.expunge_all()  # keep memory flat on big exports


def earliest_action_after(*, session: Session, after: datetime) -> datetime | None:
    """When the scheduler next has something to do for any inquiry (index on next_action_at)."""
    return session.scalar(select(func.min(Inquiry.next_action_at)).where(Inquiry.next_action_at > after))
