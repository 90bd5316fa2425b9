"""Pooled PostgreSQL connections that the server ended are replaced before use, so the next
operation works (the pool's liveness check; see storage/session.py); a lock wait that runs out in
the tallies' pipelined writes is a busy database like any other."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from test_lifecycle_helpers import CONFIG, NOW, draft

from bot.config.loading import config_from_dict
from bot.lifecycle import InquiryService
from bot.time.clock import FixedClock
from storage.errors import DatabaseBusy
from storage.session import make_engine, session_factory, transaction


@pytest.fixture
def pg_engine(database_url, engine):  # `engine`: the schema is migrated
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL connection pool behaviour")
    eng = make_engine(database_url, pool_size=1, max_overflow=0)
    yield eng
    eng.dispose()


def _backend_pid(eng) -> int:
    with eng.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_the_server_terminated_is_replaced_before_use(pg_engine, engine):
    before = _backend_pid(pg_engine)
    with engine.begin() as admin:
        assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before}).scalar_one()
    time.sleep(0.2)  # the server's goodbye reaches the pooled connection's socket

    with transaction(session_factory(pg_engine)) as s:
        assert s.execute(text("SELECT 1")).scalar_one() == 1
    assert _backend_pid(pg_engine) != before


def test_a_tally_row_locked_too_long_is_a_busy_database_and_nothing_is_stored(pg_engine, engine, sessions):
    """The tally upserts go to PostgreSQL in one pipeline (storage/queries/tallies.py), outside
    SQLAlchemy's cursor: a lock wait that runs out there is still DatabaseBusy, as anywhere else,
    and the transaction is rolled back whole. (`sessions` empties the tables first: it counts rows.)"""
    service = InquiryService(session_factory(pg_engine), config_from_dict(CONFIG), FixedClock(NOW))
    with engine.connect() as holder:
        holder.execute(text("LOCK TABLE activity_tallies IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="lock timeout"):
            service.log(actor="U1", draft=draft(subject="Permit renewal"))
        assert time.monotonic() - started < 5
        holder.rollback()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM inquiries")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM activity_tallies")).scalar_one() == 0
    service.log(actor="U1", draft=draft(subject="Permit renewal"))  # the lock gone, it lands
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM inquiries")).scalar_one() == 1
        assert conn.execute(text("SELECT sum(received) FROM activity_tallies")).scalar_one() == 1
