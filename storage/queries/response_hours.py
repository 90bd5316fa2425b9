"""Median and 90th percentile of business hours to first response, for a report's people, teams and
everyone (items first responded in the period; bot/reports/build.py asks).

Percentiles are nearest-rank: the p-th percentile of n values is the ceil(p·n/100)-th smallest. The
database finds it by walking an index in order of business hours (ORDER BY … LIMIT 1 OFFSET k-1);
window functions would give the same answer but cost SQLite ~1 µs a row in their own machinery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, Select, String, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from storage.expressions import bare
from storage.models import Inquiry
from storage.queries.reports import Window, between


def percentile_rank(n: int, p: int) -> int:
    """Nearest rank: the ceil(p·n/100)-th smallest of n values (1-based)."""
    return (n * p + 99) // 100


@dataclass(frozen=True)
class HoursQuery:
    """Whose response times: items of `teams` (None: all), answered by `person` (None: anyone);
    `count` is how many timed responses that is (known from the counts)."""

    key: str
    teams: tuple[str, ...] | None
    person: str | None
    count: int


def response_hours(
    *,
    session: Session,
    window: Window,
    queries: Sequence[HoursQuery],
    ps: Sequence[int] = (50, 90),
    batch: int = 50,
) -> dict[str, dict[int, float | None]]:
    """The p-th percentiles (nearest rank) of first_response_business_hours for each query.

    Each percentile is one ordered walk of an index, from the nearer end (`ORDER BY hours LIMIT 1
    OFFSET k-1`, or descending from the top for p > 50), written as a scalar subquery; `batch`
    people of the same teams share one statement, built once per process, so 500 people cost about
    ten round trips. PostgreSQL takes the people as rows instead (arrays unnested), with one
    correlated subquery per percentile (SQLite cannot take OFFSET from an outer row): planned once,
    not once per person, which halves the time.
    """
    ps = tuple(ps)
    result: dict[str, dict[int, float | None]] = {q.key: dict.fromkeys(ps) for q in queries}
    groups: dict[tuple[tuple[str, ...] | None, bool], list[HoursQuery]] = {}
    for q in queries:
        if q.count:
            groups.setdefault((q.teams, q.person is not None), []).append(q)
    connection = session.connection()
    by_values = connection.dialect.name == "postgresql"
    for (teams, by_person), items in groups.items():
        if by_person and by_values:
            result.update(_hours_of_people(connection, window, teams, items, ps))
            continue
        # A statement of `size` people is compiled and prepared once per process for its first
        # report, ~40 ms at 50: fewer people than a batch take a statement of their own size.
        size = min(batch, len(items)) if by_person else 1
        statement = _kth_hours(teams is not None, by_person, size, ps)
        for first in range(0, len(items), size):
            chunk = items[first : first + size]
            params: dict = {"start": window.start, "end": window.end, "teams": list(teams or ())}
            for i in range(size):  # a short last chunk is padded with people who match nothing
                padded = chunk[i] if i < len(chunk) else None
                params[f"p{i}"] = padded.person if padded else None
                for j, p in enumerate(ps):
                    params[f"k{i}_{j}"] = _offset(padded.count, p) if padded else 0
            row = connection.execute(statement, params).one()
            for i, q in enumerate(chunk):
                for j, p in enumerate(ps):
                    result[q.key][p] = row[i * len(ps) + j]
    return result


def _offset(count: int, p: int) -> int:
    """How many values to skip to the p-th percentile, from the bottom (p <= 50) or the top."""
    k = percentile_rank(count, p)
    return count - k if p > 50 else k - 1


def _hours_of_people(
    connection: Connection,
    window: Window,
    teams: tuple[str, ...] | None,
    items: list[HoursQuery],
    ps: tuple[int, ...],
) -> dict[str, dict[int, float | None]]:
    """PostgreSQL: the people as arrays unnested into rows, so that the statement's text is the same
    for any number of people — psycopg converts and caches it once and the server can prepare it,
    where a VALUES list of 50 rows cost the client ~4 ms a statement to convert."""
    hours = Inquiry.first_response_business_hours
    names = ["person", *(f"k{j}" for j in range(len(ps)))]
    arrays: list[BindParameter[Any]] = [bindparam("people", type_=ARRAY(String))]
    arrays += [bindparam(f"k{j}", type_=ARRAY(Integer())) for j in range(len(ps))]
    people = func.unnest(*arrays).table_valued(*names).render_derived(name="people")
    columns: list[ColumnElement[Any]] = [people.c.person]
    for j, p in enumerate(ps):
        query = select(hours).where(
            hours.is_not(None),
            between(Inquiry.first_response_at, window.start, window.end),
            Inquiry.first_response_by == people.c.person,
        )
        if teams is not None:
            query = query.where(Inquiry.team.in_(teams))
        query = query.order_by(hours.desc() if p > 50 else hours).limit(1).offset(people.c[f"k{j}"])
        columns.append(query.scalar_subquery())
    params: dict[str, list] = {"people": [q.person for q in items]}
    params |= {f"k{j}": [_offset(q.count, p) for q in items] for j, p in enumerate(ps)}
    keys = {q.person: q.key for q in items}
    return {keys[row[0]]: dict(zip(ps, row[1:])) for row in connection.execute(select(*columns), params)}


@cache
def _kth_hours(by_team: bool, by_person: bool, size: int, ps: tuple[int, ...]) -> Select:
    hours = Inquiry.first_response_business_hours
    columns = []
    for i in range(size):
        for j, p in enumerate(ps):
            query = select(hours).where(
                hours.is_not(None),
                bare(Inquiry.first_response_at) >= bindparam("start"),
                bare(Inquiry.first_response_at) < bindparam("end"),
            )
            if by_team:
                query = query.where(Inquiry.team.in_(bindparam("teams", expanding=True)))
            if by_person:
                query = query.where(Inquiry.first_response_by == bindparam(f"p{i}"))
            # The p-th percentile of n is the k-th smallest, or the (n-k+1)-th largest.
            query = query.order_by(hours.desc() if p > 50 else hours).limit(1).offset(bindparam(f"k{i}_{j}"))
            columns.append(query.scalar_subquery().label(f"v{i}_{j}"))
    return select(*columns)
