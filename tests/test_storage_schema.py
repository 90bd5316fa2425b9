from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from storage.models import Base, Event


def test_migrations_match_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


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
