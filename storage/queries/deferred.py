"""Writes that nothing reads back in the transaction that makes them — a history event, a new
deadline, the inquiry's UPDATE, a routing count, an outbox notice — queued on the session and sent
just before it commits. On PostgreSQL they go as one statement (each a data-modifying WITH of the
last), which saves, for each write folded in, a round trip and the driver's and SQLAlchemy's
per-statement work (a quarter of a millisecond, most of a lifecycle operation's cost after the ORM
was taken out).
SQLite runs them one by one, in order. Nothing changes in what is written or when it commits:
every write is still inside the operation's transaction, which commits all or nothing.

Only module-level statements may be deferred (their compiled, fused form is cached by identity),
and only statements without RETURNING whose parameters name every bind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import TextClause, event
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

_KEY = "inquirybot_deferred"
Statement = UpdateBase | TextClause  # a write: insert(), update(), or text()
Item = tuple[Statement, dict[str, Any]]


def defer(session: Session, statement: Statement, params: dict[str, Any]) -> None:
    """Run `statement` with `params` before this session's transaction commits."""
    session.info.setdefault(_KEY, []).append((statement, params))


@event.listens_for(Session, "before_commit")
def _send(session: Session) -> None:
    items = session.info.pop(_KEY, None)
    if items:
        session.flush()  # ORM rows first: a deferred write may refer to one
        run(session.connection(), items)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the session's own transaction, not a savepoint
        session.info.pop(_KEY, None)  # rolled back: what was queued never happened


def run(conn: Connection, items: Sequence[Item]) -> None:
    if conn.dialect.name != "postgresql":
        for statement, params in items:
            conn.execute(statement, params)
        return
    for batch in _batches(items):
        fused = _fused(conn.dialect, batch) if len(batch) > 1 else None
        if fused is None:
            for statement, params in batch:
                conn.execute(statement, params)
        else:
            sql, binds = fused
            conn.exec_driver_sql(
                sql, {name: convert(batch[i][1][key]) for name, (i, key, convert) in binds.items()}
            )


def _batches(items: Sequence[Item]) -> Iterator[list[Item]]:
    """Consecutive runs in which no statement repeats: PostgreSQL gives no order among the parts of
    one statement, and two rows of one table (two deadlines, two notices) keep their order by id."""
    batch: list[Item] = []
    for item in items:
        if any(item[0] is statement for statement, _ in batch):
            yield batch
            batch = []
        batch.append(item)
    yield batch


# (statement, its parameter names) per part -> (SQL, {bind name: (part, parameter, converter)}),
# or None when a part cannot be folded in (it is then run on its own).
_Fused = tuple[str, dict[str, tuple[int, str, Callable[[Any], Any]]]] | None
_CACHE: dict[tuple[tuple[Statement, tuple[str, ...]], ...], _Fused] = {}
_PLACEHOLDER = re.compile(r"(?<!%)%\((\w+)\)s")


def _fused(dialect: Dialect, batch: list[Item]) -> _Fused:
    key = tuple((statement, tuple(params)) for statement, params in batch)
    if key not in _CACHE:
        _CACHE[key] = _compile(dialect, key)
    return _CACHE[key]


def _compile(dialect: Dialect, parts: tuple[tuple[Statement, tuple[str, ...]], ...]) -> _Fused:
    if dialect.paramstyle != "pyformat":
        return None
    sqls: list[str] = []
    binds: dict[str, tuple[int, str, Callable[[Any], Any]]] = {}
    for i, (statement, names) in enumerate(parts):
        compiled = statement.compile(dialect=dialect, column_keys=list(names))
        if set(compiled.binds) - set(names) or getattr(compiled, "effective_returning", None):
            return None  # a default or a value computed at execution, or rows to read back
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            binds[f"w{i}_{name}"] = (i, name, process or _same)
        sqls.append(_PLACEHOLDER.sub(lambda m, i=i: f"%(w{i}_{m.group(1)})s", compiled.string))  # type: ignore[misc]  # mypy cannot infer a lambda with a default
    *first, last = sqls
    return "WITH " + ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(first)) + " " + last, binds


def _same(value: Any) -> Any:
    return value
