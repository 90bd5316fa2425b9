"""The federal holiday set against OPM's published lists, and the exact `holidays` call behind it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import holidays
import pytest

from bot.time.calendar import BusinessCalendar
from bot.time.holidays_us import EXECUTIVE_ORDER_CLOSURES, federal_closed_days, inauguration_day

NY = ZoneInfo("America/New_York")

# Copied by hand from OPM's "Federal Holidays" pages (opm.gov/policy-data-oversight/pay-leave/
# federal-holidays), the weekday on which each holiday is observed, plus the Executive Order
# closures OPM lists for 2024 and 2025. Holidays falling on a weekend appear on their in-lieu day.
OPM_OBSERVED = {
    2024: [
        "01-01",
        "01-15",
        "02-19",
        "05-27",
        "06-19",
        "07-04",
        "09-02",
        "10-14",
        "11-11",
        "11-28",
        "12-24",
        "12-25",
    ],
    2025: [
        "01-01",
        "01-09",
        "01-20",
        "02-17",
        "05-26",
        "06-19",
        "07-04",
        "09-01",
        "10-13",
        "11-11",
        "11-27",
        "12-24",
        "12-25",
        "12-26",
    ],
    2026: ["01-01", "01-19", "02-16", "05-25", "06-19", "07-03", "09-07", "10-12", "11-11", "11-26", "12-25"],
    # 2027-12-31 is New Year's Day 2028 (a Saturday), observed on the Friday before.
    2027: [
        "01-01",
        "01-18",
        "02-15",
        "05-31",
        "06-18",
        "07-05",
        "09-06",
        "10-11",
        "11-11",
        "11-25",
        "12-24",
        "12-31",
    ],
    2028: ["01-17", "02-21", "05-29", "06-19", "07-04", "09-04", "10-09", "11-10", "11-23", "12-25"],
    2029: ["01-01", "01-15", "02-19", "05-28", "06-19", "07-04", "09-03", "10-08", "11-12", "11-22", "12-25"],
    2030: ["01-01", "01-21", "02-18", "05-27", "06-19", "07-04", "09-02", "10-14", "11-11", "11-28", "12-25"],
}


def _weekday_closures(year: int) -> set[date]:
    """What the calendar closes on weekdays in `year` (weekend dates of holidays don't matter)."""
    return {d for d in federal_closed_days(year, year) if d.weekday() < 5}


@pytest.mark.parametrize("year", sorted(OPM_OBSERVED))
def test_federal_weekday_closures_match_opm(year):
    expected = {date.fromisoformat(f"{year}-{md}") for md in OPM_OBSERVED[year]}
    assert _weekday_closures(year) == expected


@pytest.mark.parametrize("year", sorted(OPM_OBSERVED))
def test_the_holidays_call_itself_gives_the_opm_list(year):
    # The exact call bot.time.holidays_us makes; asked a year early and late for cross-year observances.
    found = holidays.country_holidays(
        "US", years=range(year - 1, year + 2), categories=("government",), observed=True
    )
    expected = {date.fromisoformat(f"{year}-{md}") for md in OPM_OBSERVED[year]}
    assert {d for d in found if d.year == year and d.weekday() < 5} == expected


def test_default_public_category_lacks_the_executive_order_closures():
    public = holidays.country_holidays("US", years=range(2024, 2026), observed=True)
    assert not set(EXECUTIVE_ORDER_CLOSURES) & set(public)  # why the "government" category is used


@pytest.mark.parametrize(
    "day,name",
    [
        ("2027-06-18", "Juneteenth"),
        ("2027-07-05", "Independence Day"),
        ("2027-12-24", "Christmas Day"),
        ("2027-12-31", "New Year's Day"),
    ],
)
def test_issue_examples_are_closed_with_names(day, name):
    cal = BusinessCalendar()
    d = date.fromisoformat(day)
    assert not cal.is_business_day(d)
    ((closed, reason),) = cal.closed_days_between(d, d)
    assert closed == d and name in reason and "observed" in reason


def test_executive_order_closures_are_built_in_and_closed():
    cal = BusinessCalendar()
    assert set(EXECUTIVE_ORDER_CLOSURES) == {
        date(2024, 12, 24),
        date(2025, 1, 9),
        date(2025, 12, 24),
        date(2025, 12, 26),
    }
    for day, label in EXECUTIVE_ORDER_CLOSURES.items():
        assert not cal.is_business_day(day)
        assert cal.closed_days_between(day, day) == [(day, label)]
        assert "Executive Order" in label


def test_observed_new_year_in_previous_year_counts_when_only_the_later_year_is_asked():
    # A fresh calendar asked only about early 2028 still closes Fri 31 Dec 2027.
    cal = BusinessCalendar()
    thu = datetime(2027, 12, 30, 16, tzinfo=NY)
    assert cal.add_business_hours(datetime(2028, 1, 3, 9, tzinfo=NY), -2) == thu.replace(hour=15)
    fresh = BusinessCalendar()
    assert fresh.business_hours_between(thu, datetime(2028, 1, 3, 10, tzinfo=NY)) == 2
    assert federal_closed_days(2027, 2027)[date(2027, 12, 31)].startswith("New Year's Day")
    assert date(2027, 12, 31) not in federal_closed_days(2028, 2028)


def test_half_day_closings_are_not_whole_closed_days():
    assert date(2002, 12, 24) not in federal_closed_days(2002, 2002)
    assert date(2001, 12, 24) in federal_closed_days(2001, 2001)  # a whole-day EO closure


@pytest.mark.parametrize(
    "year,expected",
    [
        (2025, date(2025, 1, 20)),  # Monday (also MLK Day)
        (2029, date(2029, 1, 20)),  # Saturday: no in-lieu day
        (2041, date(2041, 1, 21)),  # the 20th is a Sunday: Monday the 21st
        (2026, None),
        (2028, None),
    ],
)
def test_inauguration_day(year, expected):
    assert inauguration_day(year) == expected


def test_inauguration_day_closes_only_when_asked_for():
    day = date(2037, 1, 20)  # a Tuesday
    assert BusinessCalendar().is_business_day(day)
    dc = BusinessCalendar(inauguration_day=True)
    assert dc.closed_days_between(day, day) == [(day, "Inauguration Day")]
    # 2025: the same day as MLK Day, both named.
    assert dc.closed_days_between(date(2025, 1, 20), date(2025, 1, 20))[0][1] == (
        "Birthday of Martin Luther King, Jr.; Inauguration Day"
    )
