"""Reports read on their own snapshot: on SQLite a long report must not hold the write lock."""

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import Event
from storage.session import read_only

AT = datetime(2026, 11, 23, 15, tzinfo=UTC)


def test_a_write_goes_through_while_a_report_session_is_reading(sessions):
    with sessions.begin() as s:
        s.add(Event(type="note", actor="U1", at=AT, payload={}))
    reader = read_only(sessions)
    with reader() as report:
        assert len(report.scalars(select(Event)).all()) == 1  # the reader's snapshot is open
        with sessions.begin() as writer:  # BEGIN IMMEDIATE would wait 30 s here if the reader held the lock
            writer.add(Event(type="note", actor="U2", at=AT, payload={}))
        assert len(report.scalars(select(Event)).all()) in (
            1,
            2,
        )  # SQLite: its snapshot (1); PostgreSQL: read committed
    with reader() as fresh:
        assert {e.actor for e in fresh.scalars(select(Event))} == {"U1", "U2"}
