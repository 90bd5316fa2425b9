"""SQL expressions that an index and a query must write alike, `bare`, which keeps SQLite's planner
off an index, `ids_in`, a list of ids as one parameter, and `in_scope`, how report statements
name their scope (no model or query imports
here, so storage/models/ can declare its indexes with them, and every query module use them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, Select, String, any_, bindparam, literal_column
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement, GenericFunction


class json_text(FunctionElement[str]):
    """A top-level key of a JSON column as text, the key written into the SQL, not bound.

    A database uses an expression index only for a query's expression identical to the indexed
    one, and `column["key"].as_string()` binds its key as a parameter, which no index expression
    is. Built with this construct, the Index and the query compile alike: SQLite
    `json_extract(payload, '$."key"')`, PostgreSQL `(payload ->> 'key')`. Same values as
    `.as_string()` (a string's text; NULL for a missing key or a JSON null).
    """

    type = String()
    inherit_cache = True
    name = "json_text"

    def __init__(self, column: Any, key: str) -> None:
        if not key.isidentifier():  # written into the SQL: letters, digits and underscores only
            raise ValueError(f"not a plain JSON key: {key!r}")
        super().__init__(column, literal_column(f"'{key}'"))


def _column_and_name(element: FunctionElement[Any]) -> tuple[Any, str]:
    """A construct of a column and a name written into the SQL as a literal (json_text, ids_in)."""
    column, name = element.clauses.clauses
    return column, name.name.strip("'")


def _parts(element: json_text, compiler: SQLCompiler, **kw: Any) -> tuple[str, str]:
    column, key = _column_and_name(element)
    return compiler.process(column, **kw), key


@compiles(json_text)
def _json_text(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    column, key = _parts(element, compiler, **kw)
    return f"({column} ->> '{key}')"


@compiles(json_text, "sqlite")
def _json_text_sqlite(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    column, key = _parts(element, compiler, **kw)
    return f"json_extract({column}, '$.\"{key}\"')"


class ids_in(FunctionElement[bool]):
    """`column IN :name`, the parameter a list of integer ids (a report's evidence looks up to 501
    items by id). PostgreSQL: `column = ANY(:name)`, one array parameter, so that the statement's
    text is the same for any number of ids. Written as IN with a parameter each, as SQLite needs,
    500 ids cost the client ~10 ms a statement: SQLAlchemy renders the parameters and psycopg
    converts the long text anew at every execution (it caches only short statements)."""

    inherit_cache = True  # no type: a Boolean one would be written `… = 1` in SQLite's WHERE
    name = "ids_in"

    def __init__(self, column: Any, name: str = "ids") -> None:
        if not name.isidentifier():
            raise ValueError(f"not a plain parameter name: {name!r}")
        super().__init__(column, literal_column(f"'{name}'"))


@compiles(ids_in)
def _ids_in(element: ids_in, compiler: SQLCompiler, **kw: Any) -> str:
    column, name = _column_and_name(element)
    return compiler.process(column.in_(bindparam(name, expanding=True)), **kw)


@compiles(ids_in, "postgresql")
def _ids_in_postgresql(element: ids_in, compiler: SQLCompiler, **kw: Any) -> str:
    column, name = _column_and_name(element)
    return compiler.process(column == any_(bindparam(name, type_=ARRAY(Integer()))), **kw)


class bare(GenericFunction):
    """A column compared without SQLite's type affinity (`+column`; plain elsewhere).

    TZDateTime columns are DATETIME, which SQLite gives NUMERIC affinity: compared with a bound
    parameter, SQLite tries to read the text as a number on every row. Without the affinity the
    comparison is a plain text comparison, a third faster over a million rows. Only for filters,
    never for a column an index should range over (the `+` also hides it from the planner).
    """

    _register = False
    inherit_cache = True
    name = "bare"

    def __init__(self, column: Any, **kw: Any) -> None:
        super().__init__(column, type_=column.type, **kw)


@compiles(bare)
def _bare(element: bare, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(bare, "sqlite")
def _bare_sqlite(element: bare, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def in_scope(query: Select[Any], by_teams: bool, by_users: bool, team: Any, person: Any) -> Select[Any]:
    """`query` restricted to the teams (:teams) and people (:users) it is run for, both expanding
    parameters: how a report's statements built once name their scope."""
    if by_users:
        query = query.where(person.in_(bindparam("users", expanding=True)))
    if by_teams:
        query = query.where(team.in_(bindparam("teams", expanding=True)))
    return query


def scope_params(teams: Sequence[str] | None, users: Sequence[str] | None, **more: Any) -> dict[str, Any]:
    """The parameters of a statement scoped by `in_scope` (:teams, :users, each when given), and
    `more`."""
    params = dict(more)
    if teams is not None:
        params["teams"] = list(teams)
    if users is not None:
        params["users"] = list(users)
    return params
