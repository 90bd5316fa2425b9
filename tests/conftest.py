"""Shared fixtures. The database comes from DATABASE_URL (default: a fresh SQLite file).

Run against PostgreSQL with DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test. Each test
session works in its own schema there, so concurrent runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from storage.migrate import upgrade
from storage.models import Base
from storage.session import make_engine, normalize_url, session_factory


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, only the tests that use the database under test (every fixture that reaches
    it goes through `database_url`). The others (parsing, the calendar, rendering, the terminal
    shell, which keeps its own SQLite file) do the same on either database; the SQLite run has
    them, and running them twice cost CI minutes (docs/tooling.md)."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (kept if "database_url" in getattr(item, "fixturenames", ()) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _postgres_url_with_schema(base: str, schema: str) -> str:
    url = normalize_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test session, as a URL subprocesses can use too."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = make_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = _postgres_url_with_schema(base, schema)
        yield url
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "inquirybot.db"
        yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


_EMPTYING: dict[str, str] = {}  # PostgreSQL: the emptying of each URL (its schema), one script


def _empty_all_tables(eng: Engine) -> None:
    """Every table emptied and every id counting from 1 again. DELETE, children first, on both
    databases: on PostgreSQL a TRUNCATE of the 24 tables costs ~75 ms (new files for each) against
    ~10 ms for DELETE and restarting the sequences, once per test and per hypothesis example. There
    the DELETEs and the RESTARTs go as one script, the sequences read once: 35 -> 21 ms a test."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with eng.begin() as conn:
        if eng.dialect.name != "postgresql":
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
            conn.execute(text("DELETE FROM sqlite_sequence"))
            return
        key = str(eng.url)  # its search_path names the schema, and so the sequences
        if key not in _EMPTYING:
            sequences = conn.execute(
                text(
                    "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()"
                )
            ).scalars()
            statements = [f"DELETE FROM {name}" for name in tables]
            statements += [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences]
            _EMPTYING[key] = "; ".join(statements)
        conn.exec_driver_sql(_EMPTYING[key])


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory on an empty, migrated database."""
    _empty_all_tables(engine)
    yield session_factory(engine)
