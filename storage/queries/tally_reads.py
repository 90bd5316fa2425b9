"""Tallies read (docs/outcomes.md "Reading facts fast"): a period cut into UTC months, UTC days
and the hours at its ends (`split`); `tally_branches` and `handover_sums` add up its months and
days from the tallies, and the hours are read from the record itself by the callers
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


HALF_DAY = timedelta(hours=12)


class Split(NamedTuple):
    """A period cut for reading: UTC months [first, last) from the month tallies (None when there
    is none), other whole UTC days, as ranges [first, last), from the day tallies, and stretches of
    a day, [start, end) instants, from the record (`edges`); then, taken back: the days of those
    months outside the period (`less`, from the day tallies) and the hours of its first and last
    day outside it (`less_edges`, from the record)."""

    months: tuple[date, date] | None
    days: tuple[tuple[date, date], ...]
    edges: tuple[tuple[datetime, datetime], ...]
    less: tuple[tuple[date, date], ...] = ()
    less_edges: tuple[tuple[datetime, datetime], ...] = ()

    @property
    def shape(self) -> tuple[bool, int, int, int, int]:
        """What a statement reading this cut is built for (its parameters are `params`)."""
        return self.months is not None, len(self.days), len(self.edges), len(self.less), len(self.less_edges)

    def params(self) -> dict[str, Any]:
        """:m0, :m1 the months; :d<k>a, :d<k>b each range of days; :s<k>, :e<k> each stretch
        from the record; :l<k>a, :l<k>b each range of days taken back; :ls<k>, :le<k> each stretch
        taken back."""
        found: dict[str, Any] = {}
        if self.months is not None:
            found["m0"], found["m1"] = self.months
        for k, (first, last) in enumerate(self.days):
            found[f"d{k}a"], found[f"d{k}b"] = first, last
        for k, (start, end) in enumerate(self.edges):
            found[f"s{k}"], found[f"e{k}"] = start, end
        for k, (first, last) in enumerate(self.less):
            found[f"l{k}a"], found[f"l{k}b"] = first, last
        for k, (start, end) in enumerate(self.less_edges):
            found[f"ls{k}"], found[f"le{k}"] = start, end
        return found


def split(start: datetime, end: datetime) -> Split:
    """The period's first and last UTC days, when they are partly inside it: a day mostly inside
    is read as its tally less its hours outside (from the record), one mostly outside as its hours
    inside (from the record). A period in a US zone starts and ends at 04:00 or 05:00 UTC, so the
    record is read for 4–5 hours at each end, never 19–20.

    Then the whole days: a month wholly inside the period is read from its month tally, and so is
    a month the period covers more than half of: its month tally less its days outside the period,
    fewer rows than its days inside (a fiscal year in a US zone would otherwise read 30 day rows a
    person for its first month). A month covered half or less is read by its days."""
    if start >= end:
        return Split(None, (), ())
    edges: list[tuple[datetime, datetime]] = []
    less_edges: list[tuple[datetime, datetime]] = []
    first = utc_day(start)
    if start - midnight(first) >= HALF_DAY:
        first += timedelta(days=1)
        edges.append((start, midnight(first)))
    elif start > midnight(first):
        less_edges.append((midnight(first), start))
    last = utc_day(end)
    if end - midnight(last) > HALF_DAY:
        last += timedelta(days=1)
        less_edges.append((end, midnight(last)))
    elif end > midnight(last):
        edges.append((midnight(last), end))
    if first >= last:  # less than a day in all: from the record
        return Split(None, (), ((start, end),))
    span, added, less = _by_month(first, last, lambda month: month)
    return Split(span, added, tuple(edges), less, tuple(less_edges))


def _by_month(lo: Any, hi: Any, start_of: Callable[[date], Any]) -> tuple[tuple[date, date] | None, Any, Any]:
    """[lo, hi) (UTC days, or instants) cut month by month: the months read from a month tally
    ([first, last), or None) — those wholly inside, or more than half inside — with what of them
    lies outside (`less`), and the rest (`added`), as ranges of lo's kind. `start_of(month)`: where
    a month starts, in that kind. Only the first and the last month can be partial."""
    months: list[date] = []
    added: list[tuple[Any, Any]] = []
    less: list[tuple[Any, Any]] = []
    at = lo
    while at < hi:
        month = month_of(at)
        first, after = start_of(month), start_of(next_month(month))
        upto = min(after, hi)
        if 2 * (upto - at) > after - first:
            months.append(month)
            less += [(a, b) for a, b in ((first, at), (upto, after)) if a < b]
        elif added and added[-1][1] == at:
            added[-1] = (added[-1][0], upto)
        else:
            added.append((at, upto))
        at = upto
    span = (months[0], next_month(months[-1])) if months else None
    return span, tuple(added), tuple(less)


def next_month(day: date) -> date:
    return month_of(day.replace(day=1) + timedelta(days=32))


def tally_branches(
    day_model: type[Base],
    shape: tuple[bool, int, int, int, int],
    columns: Callable[[Any], Sequence[ColumnElement[Any]]],
    *,
    by_teams: bool,
    by_users: bool,
) -> list[Select[Any]]:
    """The tallies' part of a report's one statement, for a cut of `shape` (Split.shape): the
    month tally over :m0..:m1, the day tally over each :d<k>a..:d<k>b, and taken back (negated)
    over each :l<k>a..:l<k>b, for the teams (:teams) and people (:users). Each row: the key, then
    `columns(table.c)` (sums), grouped by the key."""
    has_months, day_ranges, _, taken_back, _ = shape
    ranges: list[tuple[type[Base], str, str, int]] = [
        (day_model, f"d{k}a", f"d{k}b", 1) for k in range(day_ranges)
    ]
    ranges += [(day_model, f"l{k}a", f"l{k}b", -1) for k in range(taken_back)]
    if has_months:
        ranges.insert(0, (MONTHS_OF[day_model], "m0", "m1", 1))
    parts = []
    for model, first, last, sign in ranges:
        (first_column, second_column), _, bucket = TABLES[model]
        c = table_of(model).c
        group, who = c[first_column], c[second_column]
        sums = columns(c) if sign > 0 else [-column for column in columns(c)]
        query = select(group, who, *sums).where(c[bucket] >= bindparam(first), c[bucket] < bindparam(last))
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


class MonthCut(NamedTuple):
    """A period cut for a tally kept by month only (hand-overs): the months [first, last) read
    from it (None when there is none), and the stretches read from the record, added or taken
    back, as [start, end) instants."""

    months: tuple[date, date] | None
    added: tuple[tuple[datetime, datetime], ...]
    less: tuple[tuple[datetime, datetime], ...]


def month_cut(start: datetime, end: datetime) -> MonthCut:
    """As `split` does with months: a month wholly inside the period, or more than half inside,
    comes from its tally, less the record's stretches of it outside the period; the rest of the
    period from the record."""
    return MonthCut(*_by_month(start, end, midnight))
