"""`inquirybot db backup FILE` and `inquirybot db restore FILE` (storage/backup.py; how and how
often: docs/operations.md)."""
from __future__ import annotations

import argparse
from pathlib import Path

from bot.errors import ConfigError


def register_backup(actions: argparse._SubParsersAction) -> None:
    backup = actions.add_parser("backup", help="write a consistent copy of the database to FILE (safe while serving)")
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(func=run_backup)
    restore = actions.add_parser("restore", help="load a backup FILE into an empty database")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from bot.cli.db import _where, command_runtime
    from storage.backup import BackupError, backup

    target = Path(args.file)
    with command_runtime() as runtime:
        try:
            backup(runtime.engine, target)
        except BackupError as exc:
            raise ConfigError(f"backup of {_where(runtime)}: {exc}") from None
        print(f"inquirybot: backed up {_where(runtime)} to {target} ({target.stat().st_size:,} bytes)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from bot.cli.db import _where, command_runtime
    from storage.backup import BackupError, restore

    with command_runtime(need_schema=False) as runtime:
        try:
            restore(runtime.engine, Path(args.file))
        except BackupError as exc:
            raise ConfigError(f"restore into {_where(runtime)}: {exc}") from None
        print(f"inquirybot: restored {args.file} into {_where(runtime)}")
    return 0
