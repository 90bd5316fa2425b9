from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from storage.models import Base, Event
from storage.schema_check import schema_differences


def test_migrations_match_models(engine):
    assert schema_differences(engine) == []


def test_every_index_of_the_models_is_in_the_database(engine):
    """Expression indexes (the hand-over seeks) can't be compared by Alembic: their names, at least."""
    catalog = (
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
        if engine.dialect.name == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'index'"
    )
    with engine.connect() as conn:
        present = set(conn.execute(text(catalog)).scalars())
    declared = {index.name for table in Base.metadata.tables.values() for index in table.indexes}
    assert declared - present == set()
    assert {"ix_events_handed_from", "ix_events_handed_to", "ix_inquiries_live"} <= present


def test_datetimes_come_back_aware_utc(sessions):
    at = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    with sessions.begin() as s:
        s.add(Event(type="note", actor="U1", at=at, payload={"x": 1}))
    with sessions() as s:
        stored = s.scalars(select(Event)).one()
    assert stored.at == at and stored.at.tzinfo is not None


def test_naive_datetime_is_refused(sessions):
    with pytest.raises(Exception, match="naive datetime"):
        with sessions.begin() as s:
            s.add(Event(type="note", actor="U1", at=datetime(2026, 1, 1), payload={}))
