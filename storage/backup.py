"""Consistent copies of the database while the bot is serving, and restoring one into an empty
database (docs/operations.md "Backup and restore").

SQLite: Python's sqlite3 online backup API copies the pages of a consistent snapshot while
writers go on (in WAL mode readers never block them); the copy is written beside the target and
renamed into place, so a failed backup never leaves half a file.
PostgreSQL: `pg_dump --format=custom` of the schema the bot uses (one consistent snapshot, taken
without blocking writers), restored with `pg_restore` into the same schema of an empty database.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, text

from storage.models import Base

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """One line saying what went wrong and what to do."""


def backup(engine: Engine, target: Path) -> None:
    if not target.parent.is_dir():
        raise BackupError(f"folder {str(target.parent)!r} does not exist; create it first")
    if target.is_dir():
        raise BackupError(f"{str(target)!r} is a folder; name a file in it")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, target)
        else:
            _pg_dump(engine, target)
    except OSError as exc:  # the temporary file or the rename: the path, not the database
        raise BackupError(
            f"{str(target)!r}: cannot write it ({exc.strerror}); give a writable path"
        ) from None


def restore(engine: Engine, source: Path) -> None:
    """The backup is read through first; the target is touched only once the backup is whole."""
    if source.is_dir():
        raise BackupError(f"{str(source)!r} is a folder; name the backup file in it")
    if not source.is_file():
        raise BackupError(f"backup file {str(source)!r} does not exist")
    with source.open("rb") as f:
        head = f.read(16)
    if engine.dialect.name == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(
                f"{str(source)!r} is not an SQLite backup (made by `inquirybot db backup` "
                "with a sqlite:/// DATABASE_URL)"
            )
        _sqlite_check(source)
        _must_be_empty(engine)
        _sqlite_restore(engine, source)
    else:
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(
                f"{str(source)!r} is not a PostgreSQL backup (pg_dump custom format, made by "
                "`inquirybot db backup` with a postgresql:// DATABASE_URL)"
            )
        entries = _pg_check(source)
        _must_be_empty(engine)
        _pg_restore(engine, source, entries)


def _damaged(source: Path, reason: str) -> BackupError:
    return BackupError(f"{str(source)!r} is damaged ({reason}); take or fetch another backup")


# ---- SQLite ----------------------------------------------------------------------------------


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up; set DATABASE_URL to a file")
    return database


def _sqlite_backup(engine: Engine, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        source = sqlite3.connect(_sqlite_path(engine), timeout=30)
        copy = sqlite3.connect(tmp)
        try:
            source.backup(copy, pages=1024)  # in steps, so writers get the lock in between
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sqlite_check(source: Path) -> None:
    """Every page read (a file cut short or garbled in transit fails here), and ours."""
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in backup_db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _damaged(source, problems[0])
        tables = {r[0] for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise _damaged(source, str(exc)) from None
    finally:
        backup_db.close()
    if VERSION_TABLE not in tables or "inquiries" not in tables:
        raise BackupError(f"{str(source)!r} is an SQLite file but not an inquirybot backup")


def _sqlite_restore(engine: Engine, source: Path) -> None:
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        engine.dispose()  # no pooled connection may hold the file while its pages are replaced
        target = sqlite3.connect(_sqlite_path(engine), timeout=30)
        try:
            backup_db.backup(target)
        finally:
            target.close()
    finally:
        backup_db.close()


# ---- PostgreSQL --------------------------------------------------------------------------------


def _libpq_uri(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _schema(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT current_schema()")).scalar_one()


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools (e.g. apt install "
            "postgresql-client) of the server's major version or newer"
        )
    return found


def _dies_with_us() -> Callable[[], None] | None:
    """A child tool killed with this process (Linux). Killed with `kill -9`, `db restore` used to
    leave its pg_restore running, which restored the database seconds after the command had died
    (and `db backup` its pg_dump writing on); now a killed command's restore never happens and its
    backup file never appears."""
    if not sys.platform.startswith("linux"):
        return None
    parent = os.getpid()

    def tie() -> None:  # runs in the child, before the tool starts
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # we died before the tie was made
            os._exit(1)

    return tie


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=_dies_with_us())
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what} failed: {reason}")


def _pg_dump(engine: Engine, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--schema={_schema(engine)}",
                f"--file={tmp}",
                f"--dbname={_libpq_uri(engine)}",
            ],
            "pg_dump",
        )
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pg_check(source: Path) -> list[str]:
    """The archive read through to its end (a file cut short fails here); its entries but the
    schema itself, which already exists (public, or the one in DATABASE_URL)."""
    tool = _tool("pg_restore")
    listing = _read_through([tool, "--list", str(source)], source)
    _read_through([tool, "--file=/dev/null", str(source)], source)  # every table's data, to nowhere
    return [line for line in listing.splitlines() if " SCHEMA " not in line]


def _read_through(command: list[str], source: Path) -> str:
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=_dies_with_us())
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise _damaged(source, reason.removeprefix("pg_restore: ").removeprefix("error: "))
    return done.stdout


def _pg_restore(engine: Engine, source: Path, entries: list[str]) -> None:
    fd, list_file = tempfile.mkstemp(suffix=".list")
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(entries) + "\n")
    try:
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--use-list={list_file}",
                f"--dbname={_libpq_uri(engine)}",
                str(source),
            ],
            "pg_restore",
        )
    finally:
        os.unlink(list_file)


# ---- shared ------------------------------------------------------------------------------------


def _must_be_empty(engine: Engine) -> None:
    """Restore only into a database without inquirybot data. Empty tables from `db upgrade` are
    dropped first (the backup brings its own schema and revision)."""
    names = set(inspect(engine).get_table_names())
    ours = [t for t in Base.metadata.sorted_tables if t.name in names]
    with engine.connect() as conn:
        filled = [t.name for t in ours if conn.execute(select(func.count()).select_from(t)).scalar()]
    if filled:
        raise BackupError(
            f"the database is not empty ({', '.join(filled[:3])} have rows); restore only into an "
            "empty database — point DATABASE_URL at a new one"
        )
    others = names - {t.name for t in ours} - {VERSION_TABLE}
    if others and engine.dialect.name == "postgresql":
        raise BackupError(
            f"the database has other tables ({', '.join(sorted(others)[:3])}); restore into an empty database"
        )
    if ours or VERSION_TABLE in names:
        with engine.begin() as conn:
            Base.metadata.drop_all(conn, tables=ours)
            conn.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))
    engine.dispose()
