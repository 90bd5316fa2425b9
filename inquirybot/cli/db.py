"""`inquirybot db upgrade`, and the start-up every database command shares (open_runtime)."""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.config.runtime import Runtime
from bot.config.settings import settings_from_env
from bot.config.teams import load_config
from bot.errors import ConfigError
from inquirybot.bootstrap import build_runtime
from storage.database import DatabaseError, first_line, has_table, where
from storage.session import normalize_url


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION")
    actions.required = True
    up = actions.add_parser("upgrade", help="create or migrate the schema to the latest revision (Alembic)")
    up.set_defaults(func=run_upgrade)


def run_upgrade(_args: argparse.Namespace) -> int:
    from storage.migrate import upgrade  # Alembic is only needed here; other commands start faster

    with command_runtime(need_schema=False) as runtime:
        try:
            upgrade(runtime.engine)
        except DatabaseError as exc:
            raise ConfigError(f"migrating {where(runtime.engine)} failed ({first_line(exc)}); check DATABASE_URL "
                              "and the database user's rights") from None
        print(f"inquirybot: database {where(runtime.engine)} is at the latest schema")
    return 0


@contextmanager
def command_runtime(*, need_schema: bool = True) -> Iterator[Runtime]:
    """open_runtime for one command; its connections are closed when the command ends."""
    runtime = open_runtime(need_schema=need_schema)
    try:
        yield runtime
    finally:
        runtime.engine.dispose()


def open_runtime(*, need_schema: bool = True) -> Runtime:
    """Settings, config and database, validated before anything is written.

    A SQLite file that does not exist yet is not created by commands that only read: they say to
    run `inquirybot db upgrade` instead of leaving an empty file behind.
    """
    settings = settings_from_env()
    config = load_config(settings.config_path)  # config mistakes are reported first
    if need_schema:
        _sqlite_file_must_exist(settings.database_url)
    runtime = build_runtime(settings=settings, config=config)
    if need_schema and not _has_schema(runtime):
        raise ConfigError(f"database {where(runtime.engine)} has no inquirybot tables; run `inquirybot db upgrade` first")
    return runtime


def _sqlite_file_must_exist(url: str) -> None:
    try:
        parsed = normalize_url(url)
    except ValueError:
        return  # build_runtime reports a bad URL with the fix
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).is_file():
            raise ConfigError(
                f"database file {parsed.database!r} does not exist; run `inquirybot db upgrade` to create it "
                "or fix DATABASE_URL"
            )


def _has_schema(runtime: Runtime) -> bool:
    try:
        return has_table(runtime.engine, "inquiries")
    except DatabaseError as exc:
        raise ConfigError(f"cannot read the database {where(runtime.engine)} ({first_line(exc)}); fix DATABASE_URL") from None
