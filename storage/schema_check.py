"""Is this database's schema the one this code was built for? (docs/faults.md "Start-up and schema")

Commands that use the data (serve, socket, tick, export, report, explain) refuse a database that
has no schema, one behind the code (run `inquirybot db upgrade`), one stamped with a revision this
code does not know (migrated by a newer inquirybot), or one whose tables differ from the models (a
column dropped or added by hand) — with one line saying what to do, before anything is read or
written.
"""

from __future__ import annotations

import logging
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.migrate import alembic_config
from storage.models import Base

logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines are noise at every start-up


class SchemaMismatch(Exception):
    """The message says what is wrong and what to run."""


def known_revisions(engine: Engine) -> tuple[set[str], set[str]]:
    """(every revision this code ships, its heads)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    return {r.revision for r in script.walk_revisions()}, set(script.get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def check_schema(engine: Engine) -> None:
    """Raise SchemaMismatch unless the database is at this code's head and matches the models."""
    current = current_revisions(engine)
    known, heads = known_revisions(engine)
    if not current:
        raise SchemaMismatch("has no inquirybot schema; run `inquirybot db upgrade` first")
    unknown = sorted(current - known)
    if unknown:
        raise SchemaMismatch(
            f"has schema revision {', '.join(unknown)}, newer than this inquirybot knows (latest "
            f"{', '.join(sorted(heads))}); run the newer inquirybot that migrated it, or restore a backup "
            "made for this version with `inquirybot db restore FILE`"
        )
    if current != heads:
        raise SchemaMismatch(
            f"has schema revision {', '.join(sorted(current))}, older than this inquirybot "
            f"({', '.join(sorted(heads))}); run `inquirybot db upgrade`"
        )
    differences = schema_differences(engine)
    if differences:
        raise SchemaMismatch(
            f"is at the latest revision but its tables differ from this inquirybot's models "
            f"({'; '.join(differences[:3])}{'; …' if len(differences) > 3 else ''}); it was changed by hand: "
            "restore a backup with `inquirybot db restore FILE` into an empty database"
        )


def schema_differences(engine: Engine) -> list[str]:
    """Human-readable differences between the tables and the models (empty when they agree)."""
    with engine.connect() as conn, warnings.catch_warnings():
        # Expression indexes (the hand-over seeks, storage/models/inquiries.py) can't be reflected, so they
        # are not compared; SQLAlchemy and Alembic say so at every start-up, which is noise.
        warnings.filterwarnings("ignore", message=r".*expression-based index")
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    return [_describe(d) for d in diffs]


def _describe(diff: object) -> str:
    if isinstance(diff, list):  # column modifications come grouped
        return ", ".join(_describe(d) for d in diff)
    if not isinstance(diff, tuple) or not diff:
        return str(diff)
    kind = diff[0]
    if kind in ("add_column", "remove_column"):
        _schema, table, column = diff[1], diff[2], diff[3]
        what = "missing column" if kind == "add_column" else "unexpected column"
        return f"{what} {table}.{column.name}"
    if kind in ("add_table", "remove_table"):
        what = "missing table" if kind == "add_table" else "unexpected table"
        return f"{what} {diff[1].name}"
    if kind in ("add_index", "remove_index"):
        what = "missing index" if kind == "add_index" else "unexpected index"
        return f"{what} {diff[1].name}"
    if kind.startswith("modify_"):
        return f"{kind.removeprefix('modify_').replace('_', ' ')} of {diff[3]}.{diff[4]} changed"
    return kind.replace("_", " ")
