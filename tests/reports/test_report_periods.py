"""Report periods parsed from what people type (pure: no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InputError
from bot.reports.periods import Period, fiscal_year_of, parse_period, rating_period

TODAY = date(2026, 11, 18)  # a Wednesday in FY2027


@pytest.mark.parametrize(
    "text, start, end, name",
    [
        (None, date(2026, 10, 1), date(2027, 9, 30), "this rating period"),
        ("", date(2026, 10, 1), date(2027, 9, 30), "this rating period"),
        ("rating period", date(2026, 10, 1), date(2027, 9, 30), "this rating period"),
        ("last rating period", date(2025, 10, 1), date(2026, 9, 30), "FY2026 rating period"),
        ("this week", date(2026, 11, 16), date(2026, 11, 22), "this week"),
        ("Last Week", date(2026, 11, 9), date(2026, 11, 15), "last week"),
        ("today", TODAY, TODAY, "today"),
        ("yesterday", date(2026, 11, 17), date(2026, 11, 17), "yesterday"),
        ("this month", date(2026, 11, 1), date(2026, 11, 30), "this month"),
        ("last month", date(2026, 10, 1), date(2026, 10, 31), "last month"),
        ("2026-10", date(2026, 10, 1), date(2026, 10, 31), "Oct 2026"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "Feb 2024"),
        ("October", date(2026, 10, 1), date(2026, 10, 31), "Oct 2026"),
        ("december", date(2025, 12, 1), date(2025, 12, 31), "Dec 2025"),  # the latest December begun
        ("Sept 2026", date(2026, 9, 1), date(2026, 9, 30), "Sep 2026"),
        ("this quarter", date(2026, 10, 1), date(2026, 12, 31), "this quarter"),
        ("last quarter", date(2026, 7, 1), date(2026, 9, 30), "last quarter"),
        ("Q1", date(2026, 10, 1), date(2026, 12, 31), "FY2027 Q1"),  # federal numbering: Q1 = Oct–Dec
        ("q2", date(2027, 1, 1), date(2027, 3, 31), "FY2027 Q2"),
        ("FY2027 Q4", date(2027, 7, 1), date(2027, 9, 30), "FY2027 Q4"),
        ("Q1 FY26", date(2025, 10, 1), date(2025, 12, 31), "FY2026 Q1"),
        ("Q1 2027", date(2027, 1, 1), date(2027, 3, 31), "2027 Q1"),  # a calendar year: calendar quarter
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026 Q4"),
        ("FY2027", date(2026, 10, 1), date(2027, 9, 30), "FY2027 rating period"),
        ("fy 27", date(2026, 10, 1), date(2027, 9, 30), "FY2027 rating period"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "calendar year 2026"),
        ("2026-10-05", date(2026, 10, 5), date(2026, 10, 5), "2026-10-05"),
        ("2026-10-01..2026-12-31", date(2026, 10, 1), date(2026, 12, 31), "2026-10-01 to 2026-12-31"),
        ("from 2026-10-01 to 2026-10-15", date(2026, 10, 1), date(2026, 10, 15), "2026-10-01 to 2026-10-15"),
        ("2026-10-01 – 2026-10-15", date(2026, 10, 1), date(2026, 10, 15), "2026-10-01 to 2026-10-15"),
        ("2026-10..2026-12", date(2026, 10, 1), date(2026, 12, 31), "2026-10-01 to 2026-12-31"),
    ],
)
def test_parse_period(text, start, end, name):
    period = parse_period(text, today=TODAY)
    assert (period.start, period.end, period.name) == (start, end, name)


@pytest.mark.parametrize(
    "text, message",
    [
        ("fortnight", "period 'fortnight' is not one I know"),
        ("2026-13", "month 13 does not exist"),
        ("Q5", "quarter Q5 does not exist"),
        ("2026-02-30", "'2026-02-30' is not a calendar date"),
        ("2026-12-31..2026-10-01", "ends before it starts"),
    ],
)
def test_bad_period_names_the_problem_and_gives_an_example(text, message):
    with pytest.raises(InputError, match=message) as caught:
        parse_period(text, today=TODAY)
    assert caught.value.example


def test_bounds_are_local_midnights_across_dst():
    """Days are read in the team's zone: the week of the November DST change is 7 days + 1 hour long."""
    start, end = Period(date(2026, 10, 26), date(2026, 11, 1), "week").bounds("America/New_York")
    assert start == datetime(2026, 10, 26, 4, tzinfo=UTC)  # EDT midnight
    assert end == datetime(2026, 11, 2, 5, tzinfo=UTC)  # EST midnight
    honolulu = Period(date(2026, 10, 26), date(2026, 10, 26), "day").bounds("Pacific/Honolulu")
    assert honolulu == (datetime(2026, 10, 26, 10, tzinfo=UTC), datetime(2026, 10, 27, 10, tzinfo=UTC))


def test_label_shows_the_dates_and_previous_is_the_same_length_before():
    week = parse_period("last week", today=TODAY)
    assert week.label == "last week (Nov 9 – Nov 15, 2026)"
    assert (week.previous().start, week.previous().end) == (date(2026, 11, 2), date(2026, 11, 8))
    assert rating_period(2027).label == "FY2027 rating period (Oct 1, 2026 – Sep 30, 2027)"


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)))
def test_rating_period_always_contains_today_and_weeks_start_monday(day):
    current = parse_period(None, today=day)
    assert current.start <= day <= current.end and current.start.month == 10 and current.start.day == 1
    assert fiscal_year_of(day) == current.end.year
    week = parse_period("this week", today=day)
    assert week.start.weekday() == 0 and week.days == 7 and week.start <= day <= week.end
    assert parse_period("last week", today=day).end == week.start - timedelta(days=1)
    quarter = parse_period("this quarter", today=day)
    assert (
        quarter.start <= day <= quarter.end
        and quarter.start.day == 1
        and quarter.start.month in (1, 4, 7, 10)
    )
