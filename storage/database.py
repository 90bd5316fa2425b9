"""Opening the database and asking it the questions start-up and the health probe ask (does it
answer, has it a schema), so the entry points never import SQLAlchemy themselves."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from storage.session import READ_ONLY, DatabaseUrlError, make_engine

__all__ = [
    "DatabaseError",
    "DatabaseUrlError",
    "Engine",
    "first_line",
    "has_table",
    "open_database",
    "ping",
    "unwritable",
    "where",
]

DatabaseError = SQLAlchemyError  # what a failing database raises; callers catch it by this name


def open_database(url: str, *, check: bool = True) -> Engine:
    """An engine for DATABASE_URL; with `check`, one round trip proves the database answers.
    Raises DatabaseUrlError for a malformed URL, DatabaseError when the database does not answer."""
    engine = make_engine(url)
    if check:
        ping(engine)
    return engine


def ping(engine: Engine, *, read_only: bool = False) -> None:
    """One SELECT 1; `read_only` begins without SQLite's write lock (the /healthz probe)."""
    if read_only:
        engine = engine.execution_options(**{READ_ONLY: True})
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def unwritable(engine: Engine) -> str | None:
    """Why this SQLite database cannot be written (a read-only file, a read-only folder), or None.
    SQLite opens a read-only file without complaint and fails only at the first write, so
    commands that write ask before they start (PostgreSQL says so when connecting)."""
    if engine.url.get_backend_name() != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    path = Path(engine.url.database or "")
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path} is read-only"
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only (SQLite writes its -wal and -shm files beside the database)"
    return None


def has_table(engine: Engine, name: str) -> bool:
    return inspect(engine).has_table(name)


def where(engine: Engine) -> str:
    """The database's URL for messages, password hidden."""
    return engine.url.render_as_string(hide_password=True)


def first_line(exc: BaseException) -> str:
    """The driver's own reason, one line."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
