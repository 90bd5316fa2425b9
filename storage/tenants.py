"""Where each installation's data lives (docs/federal.md "Org-wide and multi-workspace install").

Each installation (an Enterprise org installed org-wide, or a workspace installed on its own) has a
database of its own beside the main one, so no query can reach another installation's rows:

- SQLite: its own file next to the main file (`inquirybot.db` -> `inquirybot-T0123.db`);
- PostgreSQL: its own schema in the same database (`tenant_t0123`, or `<schema>_tenant_t0123` when
  DATABASE_URL already names a search_path), reached through the connection's search_path.

The main database keeps the installations themselves (storage/installations.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from storage.migrate import upgrade
from storage.session import DatabaseUrlError, make_engine, normalize_url

_KEY = re.compile(r"[A-Z0-9]{1,32}")
_SEARCH_PATH = re.compile(r"-csearch_path=([A-Za-z0-9_]+)")


def tenant_url(url: str, key: str) -> str:
    """The database URL of installation `key` (a Slack team or enterprise id)."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"{key!r} is not a Slack team or enterprise id")
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseUrlError(
                "installs through OAuth need a SQLite file (DATABASE_URL=sqlite:///path.db), not memory"
            )
        path = Path(parsed.database)
        return parsed.set(database=str(path.with_name(f"{path.stem}-{key}{path.suffix}"))).render_as_string(
            hide_password=False
        )
    return parsed.update_query_dict({"options": f"-csearch_path={_schema(parsed, key)}"}).render_as_string(
        hide_password=False
    )


def _schema(url: URL, key: str) -> str:
    found = _SEARCH_PATH.search(str(url.query.get("options") or ""))
    return f"{found.group(1)}_tenant_{key.lower()}" if found else f"tenant_{key.lower()}"


def open_tenant(main: Engine, url: str, key: str) -> Engine:
    """The installation's database, created and migrated to this code's head on first use."""
    target = tenant_url(url, key)
    if main.dialect.name == "postgresql":
        with main.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{_schema(normalize_url(url), key)}"'))
    engine = make_engine(target)
    upgrade(engine)
    return engine


def drop_tenant(main: Engine, url: str, key: str) -> None:
    """Remove an installation's database (tests; an uninstall by hand)."""
    target = tenant_url(url, key)
    if main.dialect.name == "postgresql":
        with main.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{_schema(normalize_url(url), key)}" CASCADE'))
        return
    database = normalize_url(target).database or ""
    for suffix in ("", "-wal", "-shm"):
        Path(database + suffix).unlink(missing_ok=True)
