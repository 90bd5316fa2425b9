"""Per-date opening hours in the calendar: closed days and partial days declared at short notice."""

from __future__ import annotations

from datetime import date

import pytest

from bot.time.calendar import BusinessCalendar
from tests.closures.helpers import et

THU = date(2026, 12, 10)


@pytest.fixture
def cal():
    return BusinessCalendar("America/New_York", "09:00", "17:00")


def test_a_closed_day_is_skipped_and_named(cal):
    start = et(2026, 12, 9, 9)
    assert cal.add_business_hours(start, 16) == et(2026, 12, 10, 17)
    cal.set_live_days({THU: (None, "closure: weather")})
    assert cal.add_business_hours(start, 16) == et(2026, 12, 11, 17)
    assert not cal.is_business_day(THU)
    assert cal.closed_days_between(THU, THU) == [(THU, "closure: weather")]
    assert {"date": "2026-12-10", "reason": "closure: weather"} in cal.facts()["closures"]
    cal.set_live_days({})
    assert cal.add_business_hours(start, 16) == et(2026, 12, 10, 17)


def test_delayed_arrival_and_early_dismissal_shorten_the_day(cal):
    cal.set_live_days({THU: ((11 * 60, 15 * 60), "delayed arrival and early dismissal: weather")})
    assert cal.day_hours(THU) == (660, 900)
    assert not cal.is_open(et(2026, 12, 10, 10)) and cal.is_open(et(2026, 12, 10, 11))
    assert cal.next_opening(et(2026, 12, 10, 8)) == et(2026, 12, 10, 11)
    assert cal.business_hours_between(et(2026, 12, 10, 0), et(2026, 12, 11, 0)) == 4
    assert cal.add_business_days(et(2026, 12, 9, 10), 1) == et(2026, 12, 10, 15)  # close of business is 15:00
    assert cal.add_business_hours(et(2026, 12, 9, 9), 16) == et(2026, 12, 11, 13)
    assert cal.is_business_day(THU)


def test_partial_hours_wider_than_the_day_change_nothing_and_narrower_than_nothing_close_it(cal):
    cal.set_live_days({THU: ((0, 1440), "closure")})
    assert cal.day_hours(THU) == (540, 1020)
    cal.set_live_days({THU: ((18 * 60, 1440), "delayed arrival: weather")})
    assert not cal.is_business_day(THU)
