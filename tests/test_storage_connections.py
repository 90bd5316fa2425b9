"""Pooled PostgreSQL connections that the server ended are replaced before use, so the next
operation works (the pool's liveness check; see storage/session.py)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

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
