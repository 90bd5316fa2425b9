"""Tallies read (docs/outcomes.md "Reading facts fast"): a period cut into whole UTC months, whole
UTC days and the part-days at its ends (`split`); `tally_branches` and `handover_sums` add up its
months and days from the tallies, and the part-days are read from the record itself by the callers
(outcome_counts.outcome_counts, activity.activity_counts, reports.reassignment_counts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from storage.expressions import in_scope
from storage.models import Base, HandoverTally
from storage.queries.tallies import HANDOVER_COLUMNS, MONTHS_OF, TABLES, month_of, ready_to_read, utc_day
from storage.tables import table_of


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def whole_days(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The UTC days [first, last) wholly inside [start, end), or None when there is none."""
    first = utc_day(start) + (timedelta(0) if midnight(utc_day(start)) == start else timedelta(days=1))
    last = utc_day(end)
    return (first, last) if first < last else None


class Split(NamedTuple):
    """A period cut for reading: its whole UTC months [first, last) from the month tallies (None
    when there is none), its other whole UTC days, as ranges [first, last), from the day tallies,
    and the part-days at its ends, [start, end) instants, from the record."""

    months: tuple[date, date] | None
    days: tuple[tuple[date, date], ...]
    edges: tuple[tuple[datetime, datetime], ...]

    @property
    def shape(self) -> tuple[bool, int, int]:
        """What a statement reading this cut is built for (its parameters are `params`)."""
        return self.months is not None, len(self.days), len(self.edges)

    def params(self) -> dict[str, Any]:
        """:m0, :m1 the months; :d<k>a, :d<k>b each range of days; :s<k>, :e<k> each part-day."""
        found: dict[str, Any] = {}
        if self.months is not None:
            found["m0"], found["m1"] = self.months
        for k, (first, last) in enumerate(self.days):
            found[f"d{k}a"], found[f"d{k}b"] = first, last
        for k, (start, end) in enumerate(self.edges):
            found[f"s{k}"], found[f"e{k}"] = start, end
        return found


def split(start: datetime, end: datetime) -> Split:
    days = whole_days(start, end)
    if days is None:
        return Split(None, (), ((start, end),) if start < end else ())
    first, last = days
    ends = ((start, midnight(first)), (midnight(last), end))
    edges = tuple((a, b) for a, b in ends if a < b)
    months = whole_months(midnight(first), midnight(last))
    if months is None:
        return Split(None, ((first, last),), edges)
    around = ((first, months[0]), (months[1], last))
    return Split(months, tuple((a, b) for a, b in around if a < b), edges)


def tally_branches(
    day_model: type[Base],
    shape: tuple[bool, int, int],
    columns: Callable[[Any], Sequence[ColumnElement[Any]]],
    *,
    by_teams: bool,
    by_users: bool,
) -> list[Select[Any]]:
    """The tallies' part of a report's one statement, for a cut of `shape` (Split.shape): the
    month tally over :m0..:m1, the day tally over each :d<k>a..:d<k>b, for the teams (:teams) and
    people (:users). Each row: the key, then `columns(table.c)` (sums), grouped by the key."""
    has_months, day_ranges, _ = shape
    ranges: list[tuple[type[Base], str, str]] = [(day_model, f"d{k}a", f"d{k}b") for k in range(day_ranges)]
    if has_months:
        ranges.insert(0, (MONTHS_OF[day_model], "m0", "m1"))
    parts = []
    for model, first, last in ranges:
        (first_column, second_column), _, bucket = TABLES[model]
        c = table_of(model).c
        group, who = c[first_column], c[second_column]
        query = select(group, who, *columns(c)).where(
            c[bucket] >= bindparam(first), c[bucket] < bindparam(last)
        )
        parts.append(in_scope(query, by_teams, by_users, group, who).group_by(group, who))
    return parts


def added_up(parts: list[Select[Any]]) -> Select[Any]:
    """The parts' rows of (key, key, *counts) as one row per key, the counts summed by the database:
    a report's parts give several rows a person (months, days, part-days, live items), which cost
    the client ~2 µs a number to add up — ~10 ms for every team's year."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    named = first.with_only_columns(*(c.label(f"c{i}") for i, c in enumerate(first.selected_columns)))
    rows = union_all(named, *parts[1:]).subquery()
    key, who, *counts = rows.c
    return select(key, who, *(func.sum(c) for c in counts)).group_by(key, who)


def handover_sums(session: Session, first: date, last: date) -> dict[str, dict[str, int]]:
    """Per person ('' for a missing name), gave, took and to_self over the UTC months [first, last)."""
    ready_to_read(session)
    t = HandoverTally
    query = (
        select(t.person, *(func.sum(getattr(t, name)) for name in HANDOVER_COLUMNS))
        .where(t.month >= first, t.month < last)
        .group_by(t.person)
    )
    return {
        row[0]: dict(zip(HANDOVER_COLUMNS, (int(v or 0) for v in row[1:]))) for row in session.execute(query)
    }


def whole_months(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The UTC months [first, last) wholly inside [start, end), as their first days, or None."""
    first = month_of(start)
    if midnight(first) != start:
        first = month_of(first + timedelta(days=32))
    last = month_of(end)
    return (first, last) if first < last else None
