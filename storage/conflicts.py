"""INSERT … ON CONFLICT written once, as plain SQL that SQLite (3.35+) and PostgreSQL both accept.

SQLAlchemy's dialect inserts with `on_conflict_do_nothing()` / `on_conflict_do_update()` have no
cache key (sqlalchemy#10445): they are compiled again on every execution, ~0.5 ms of Python each,
several times in every change that decides an outcome or moves a tally. These statements are built
once per table and set of columns, and their parameters keep the columns' types (so a datetime is
stored as the ORM stores it). storage/queries/outbox.py writes its insert the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnDefault, Table, TextClause, bindparam, text


def insert_ignoring(
    table: Table, values: Mapping[str, Any], conflict: Sequence[str], returning: str | None = None
) -> tuple[TextClause, dict[str, Any]]:
    """INSERT `values` (the columns' scalar defaults filling the rest, as Core would) unless a row
    with the same `conflict` columns exists; RETURNING the new row's `returning` column if asked
    (no row when it existed). Returns (statement, parameters)."""
    params = {**_defaults(table), **values}
    return _insert_ignoring(table, tuple(sorted(params)), tuple(conflict), returning), params


def insert_adding(table: Table, keys: Sequence[str], counts: Sequence[str]) -> TextClause:
    """INSERT a row of `keys` and `counts`, or add its counts to the row with those keys."""
    return _insert_adding(table, tuple(keys), tuple(counts))


@cache
def _insert_ignoring(
    table: Table, columns: tuple[str, ...], conflict: tuple[str, ...], returning: str | None
) -> TextClause:
    sql = f"{_insert(table, columns)} ON CONFLICT ({_names(conflict)}) DO NOTHING"
    if returning is not None:
        sql += f' RETURNING "{returning}"'
    return _typed(text(sql), table, columns)


@cache
def _insert_adding(table: Table, keys: tuple[str, ...], counts: tuple[str, ...]) -> TextClause:
    added = ", ".join(f'"{c}" = {table.name}."{c}" + excluded."{c}"' for c in counts)
    sql = f"{_insert(table, keys + counts)} ON CONFLICT ({_names(keys)}) DO UPDATE SET {added}"
    return _typed(text(sql), table, keys + counts)


def _insert(table: Table, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table.name} ({_names(columns)}) VALUES ({', '.join(':' + c for c in columns)})"


def _names(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _typed(statement: TextClause, table: Table, columns: tuple[str, ...]) -> TextClause:
    return statement.bindparams(*(bindparam(c, type_=table.c[c].type) for c in columns))


@cache
def _defaults(table: Table) -> dict[str, Any]:
    """The columns' scalar defaults (`default=1`): what Core's insert fills in when not given."""
    return {
        c.name: c.default.arg for c in table.c if isinstance(c.default, ColumnDefault) and c.default.is_scalar
    }
