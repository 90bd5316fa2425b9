"""A throw-away database for one benchmark run, on the URL given (or none: a temporary SQLite file).

PostgreSQL: a fresh schema on that database, dropped afterwards. Another URL is used as it is and
left as it was found (nothing to drop). Call cleanup() after the run's engine is disposed."""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
import uuid
from collections.abc import Callable

from sqlalchemy import Engine, text

from storage.migrate import upgrade
from storage.session import make_engine, normalize_url


def scratch_database(url: str | None, prefix: str) -> tuple[str, Callable[[], None]]:
    """(the URL the benchmark connects to, cleanup)."""
    if url and url.startswith("postgres"):
        schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop_schema() -> None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        scoped = normalize_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        return scoped.render_as_string(False), drop_schema
    if url:
        return url, lambda: None
    folder = tempfile.mkdtemp(prefix=f"{prefix}_")
    return f"sqlite:///{folder}/bench.db", lambda: shutil.rmtree(folder, ignore_errors=True)


def scratch_engine(url: str | None, prefix: str) -> tuple[str, Engine, Callable[[], None]]:
    """scratch_database, connected and migrated to the head: (its URL, the engine, cleanup)."""
    scoped, cleanup = scratch_database(url, prefix)
    engine = make_engine(scoped)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        cleanup()
        raise
    return scoped, engine, cleanup


def machine_line(title: str, engine: Engine) -> str:
    """The first line a benchmark prints: what ran on what, and how busy the machine was."""
    return (
        f"{title} — {engine.dialect.name}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
