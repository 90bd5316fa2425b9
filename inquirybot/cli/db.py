"""`inquirybot db upgrade|backup|restore`, and the start-up every database command shares
(open_runtime). Backup and restore: storage/backup.py; how and how often: docs/operations.md."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.config.loading import load_config
from bot.config.runtime import Runtime
from bot.config.settings import settings_from_env
from bot.errors import ConfigError
from inquirybot.bootstrap import build_runtime
from storage.database import DatabaseError, first_line, has_table, unwritable, where
from storage.session import normalize_url


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database maintenance")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION")
    actions.required = True
    up = actions.add_parser("upgrade", help="create or migrate the schema to the latest revision (Alembic)")
    up.set_defaults(func=run_upgrade)
    backup = actions.add_parser(
        "backup", help="write a consistent copy of the database to FILE (safe while serving)"
    )
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(func=run_backup)
    restore = actions.add_parser("restore", help="load a backup FILE into an empty database")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=run_restore)


def run_upgrade(_args: argparse.Namespace) -> int:
    from storage.migrate import upgrade  # Alembic is only needed here; other commands start faster
    from storage.schema_check import current_revisions, known_revisions, schema_differences

    with command_runtime(need_schema=False) as runtime:
        try:
            before = current_revisions(runtime.engine)
            known, heads = known_revisions(runtime.engine)
            if before - known:
                raise ConfigError(
                    f"database {where(runtime.engine)} has schema revision {', '.join(sorted(before - known))}, "
                    "newer than this inquirybot knows; upgrade inquirybot itself, do not downgrade the data"
                )
            if not before and _has_schema(runtime):
                raise ConfigError(
                    f"database {where(runtime.engine)} has inquirybot tables but no schema revision; "
                    "restore it from a backup with `inquirybot db restore FILE` into an empty database"
                )
            upgrade(runtime.engine)
            differences = schema_differences(runtime.engine)
        except DatabaseError as exc:
            raise ConfigError(
                f"migrating {where(runtime.engine)} failed ({first_line(exc)}); check DATABASE_URL "
                "and the database user's rights"
            ) from None
        if differences:
            raise ConfigError(
                f"database {where(runtime.engine)} is at the latest revision but its tables differ from "
                f"this inquirybot's models ({'; '.join(differences[:3])}); it was changed by hand: "
                "restore a backup with `inquirybot db restore FILE` into an empty database"
            )
        if not before:
            print(
                f"inquirybot: created the schema in {where(runtime.engine)}; it is at the latest schema "
                f"(revision {', '.join(sorted(heads))})"
            )
        elif before == heads:
            print(f"inquirybot: database {where(runtime.engine)} is already at the latest schema")
        else:
            print(
                f"inquirybot: migrated {where(runtime.engine)} from revision {', '.join(sorted(before))} "
                f"to {', '.join(sorted(heads))}"
            )
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from storage.backup import BackupError, backup

    target = Path(args.file)
    with command_runtime(writes=False) as runtime:
        try:
            backup(runtime.engine, target)
        except BackupError as exc:
            raise ConfigError(f"backup of {where(runtime.engine)}: {exc}") from None
        print(f"inquirybot: backed up {where(runtime.engine)} to {target} ({target.stat().st_size:,} bytes)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from storage.backup import BackupError, restore

    source = Path(args.file)
    if source.is_dir():  # before connecting, which would create a new SQLite file
        raise ConfigError(f"restore: {args.file!r} is a folder; name the backup file in it")
    if not source.is_file():
        raise ConfigError(f"restore: backup file {args.file!r} does not exist; check the path")
    with command_runtime(need_schema=False) as runtime:
        try:
            restore(runtime.engine, source)
        except BackupError as exc:
            raise ConfigError(f"restore into {where(runtime.engine)}: {exc}") from None
        print(f"inquirybot: restored {args.file} into {where(runtime.engine)}")
    return 0


@contextmanager
def command_runtime(*, need_schema: bool = True, writes: bool = True) -> Iterator[Runtime]:
    """open_runtime for one command; its connections are closed when the command ends."""
    runtime = open_runtime(need_schema=need_schema, writes=writes)
    try:
        yield runtime
    finally:
        runtime.engine.dispose()


def open_runtime(*, need_schema: bool = True, writes: bool = True) -> Runtime:
    """Settings, config and database, validated before anything is written.

    A SQLite file that does not exist yet is not created by commands that only read: they say to
    run `inquirybot db upgrade` instead of leaving an empty file behind. A command that `writes`
    refuses a SQLite file it could not write before it starts (a server would otherwise start and
    fail at the first write).
    """
    settings = settings_from_env()
    config = load_config(settings.config_path)  # config mistakes are reported first
    if need_schema:
        _sqlite_file_must_exist(settings.database_url)
    runtime = build_runtime(settings=settings, config=config)
    problem = unwritable(runtime.engine) if writes else None
    if problem:
        runtime.engine.dispose()
        raise ConfigError(
            f"cannot write the database {where(runtime.engine)}: {problem}; make it writable by the "
            "user inquirybot runs as, or fix DATABASE_URL"
        )
    if need_schema:
        if not _has_schema(runtime):
            raise ConfigError(
                f"database {where(runtime.engine)} has no inquirybot tables; run `inquirybot db upgrade` first"
            )
        _schema_matches(runtime)
    return runtime


def _schema_matches(runtime: Runtime) -> None:
    """Refuse a schema newer than this code, behind it, or changed by hand (storage/schema_check.py)."""
    from storage.schema_check import SchemaMismatch, check_schema

    try:
        check_schema(runtime.engine)
    except SchemaMismatch as exc:
        runtime.engine.dispose()
        raise ConfigError(f"database {where(runtime.engine)} {exc}") from None
    except DatabaseError as exc:
        raise ConfigError(
            f"cannot read the database {where(runtime.engine)} ({first_line(exc)}); fix DATABASE_URL"
        ) from None


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
        raise ConfigError(
            f"cannot read the database {where(runtime.engine)} ({first_line(exc)}); fix DATABASE_URL"
        ) from None
