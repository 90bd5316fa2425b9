"""The scheduler's reads and bulk writes: due inquiries by next_action_at, and one statement each
for a batch's events and next action times (its outbox rows: storage.queries.outbox.insert_pending_many) (a tick over a thousand due items makes a
handful of round trips, not thousands).

On PostgreSQL the bulk writes pass one array per column through unnest(): a single short
statement, parsed once, whatever the batch size. SQLite, in-process, takes executemany.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from storage.models import Event, Inquiry
from storage.queries import tallies
from storage.queries.inquiries import InquiryRecord, read_records
from storage.tables import table_of
from storage.types import TZDateTime


def claim_due(session: Session, now: datetime, limit: int) -> list[InquiryRecord]:
    """Due inquiries, oldest first (then by id), through ix_inquiries_next_action_at; row-locked on PostgreSQL,
    skipping rows another pass holds (SQLite needs no lock: BEGIN IMMEDIATE serialises writers)."""
    t = table_of(Inquiry)
    # Ties in id order, so items due at one instant are queued (and listed in one message) the same
    # way whatever pages their rows sit on.
    query = select(*t.c).where(t.c.next_action_at <= now).order_by(t.c.next_action_at, t.c.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return read_records(session=session, query=query)


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append events (inquiry_id, type, actor, at, payload)."""
    for r in rows:  # a hand-over among them counts in its tally (tallies.py)
        tallies.count_handover(session, r["type"], r["at"], r["payload"])
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "INSERT INTO events (inquiry_id, type, actor, at, payload) SELECT * FROM unnest("
                "CAST(:inquiry_id AS integer[]), CAST(:type AS varchar[]), CAST(:actor AS varchar[]), "
                "CAST(:at AS timestamptz[]), CAST(:payload AS json[]))"
            ),
            {
                "inquiry_id": [r["inquiry_id"] for r in rows],
                "type": [r["type"] for r in rows],
                "actor": [r["actor"] for r in rows],
                "at": [r["at"] for r in rows],
                "payload": [json.dumps(r["payload"]) for r in rows],
            },
        )
        return
    session.execute(table_of(Event).insert(), list(rows))


def set_next_actions(session: Session, pairs: Sequence[tuple[int, datetime | None]]) -> None:
    """Store each inquiry's next action time (None: nothing more until it changes)."""
    if not pairs:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "UPDATE inquiries SET next_action_at = u.at FROM unnest(CAST(:ids AS integer[]), "
                "CAST(:ats AS timestamptz[])) AS u(id, at) WHERE inquiries.id = u.id"
            ),
            {"ids": [i for i, _ in pairs], "ats": [at for _, at in pairs]},
        )
        return
    t = table_of(Inquiry)
    stmt = (
        update(t)
        .where(t.c.id == bindparam("row_id"))
        .values(next_action_at=bindparam("at", type_=TZDateTime()))
    )
    session.connection().execute(stmt, [{"row_id": i, "at": at} for i, at in pairs])
