"""`inquirybot db upgrade`, and the start-up every database command shares (open_runtime)."""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from bot.config import load_config
from bot.errors import ConfigError
from bot.runtime import Runtime, build_runtime
from bot.settings import settings_from_env
from storage.session import normalize_url


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION")
    actions.required = True
    up = actions.add_parser("upgrade", help="create or migrate the schema to the latest revision (Alembic)")
    up.set_defaults(func=run_upgrade)
    from bot.cli.backup import register_backup

    register_backup(actions)


def run_upgrade(_args: argparse.Namespace) -> int:
    from storage.migrate import upgrade
    from storage.schema_check import current_revisions, known_revisions, schema_differences

    with command_runtime(need_schema=False) as runtime:
        try:
            before = current_revisions(runtime.engine)
            known, heads = known_revisions(runtime.engine)
            if before - known:
                raise ConfigError(f"database {_where(runtime)} has schema revision {', '.join(sorted(before - known))}, "
                                  "newer than this inquirybot knows; upgrade inquirybot itself, do not downgrade the data")
            if not before and _has_schema(runtime):
                raise ConfigError(f"database {_where(runtime)} has inquirybot tables but no schema revision; "
                                  "restore it from a backup with `inquirybot db restore FILE` into an empty database")
            upgrade(runtime.engine)
            differences = schema_differences(runtime.engine)
        except SQLAlchemyError as exc:
            raise ConfigError(f"migrating {_where(runtime)} failed ({_first_line(exc)}); check DATABASE_URL "
                              "and the database user's rights") from None
        if differences:
            raise ConfigError(f"database {_where(runtime)} is at the latest revision but its tables differ from "
                              f"this inquirybot's models ({'; '.join(differences[:3])}); it was changed by hand: "
                              "restore a backup with `inquirybot db restore FILE` into an empty database")
        if not before:
            print(f"inquirybot: created the schema in {_where(runtime)}; it is at the latest schema "
                  f"(revision {', '.join(sorted(heads))})")
        elif before == heads:
            print(f"inquirybot: database {_where(runtime)} is already at the latest schema")
        else:
            print(f"inquirybot: migrated {_where(runtime)} from revision {', '.join(sorted(before))} "
                  f"to {', '.join(sorted(heads))}")
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
    if need_schema:
        if not _has_schema(runtime):
            raise ConfigError(f"database {_where(runtime)} has no inquirybot tables; run `inquirybot db upgrade` first")
        _schema_matches(runtime)
    return runtime


def _schema_matches(runtime: Runtime) -> None:
    """Refuse a schema newer than this code, behind it, or changed by hand (storage/schema_check.py)."""
    from storage.schema_check import SchemaMismatch, check_schema

    try:
        check_schema(runtime.engine)
    except SchemaMismatch as exc:
        runtime.engine.dispose()
        raise ConfigError(f"database {_where(runtime)} {exc}") from None
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot read the database {_where(runtime)} ({_first_line(exc)}); fix DATABASE_URL") from None


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
        return inspect(runtime.engine).has_table("inquiries")
    except SQLAlchemyError as exc:
        raise ConfigError(f"cannot read the database {_where(runtime)} ({_first_line(exc)}); fix DATABASE_URL") from None


def _where(runtime: Runtime) -> str:
    return runtime.engine.url.render_as_string(hide_password=True)


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
