"""'1 business day' on a day a closure shortened (docs/business-time.md, "Short days"): PRODUCT §2's
close of business on the Nth business day after the day the clock starts — never 8 business hours,
nor the same clock time the next day. A shortened day is still a business day, and its close of
business is its early close; receipt after that close starts the clock at the next opening."""

from __future__ import annotations

from datetime import date

import pytest

from bot.scheduling.reminders import after
from bot.time.calendar import BusinessCalendar
from bot.time.durations import parse_duration
from bot.time.policies import preset
from tests.closures.helpers import et

THU = date(2026, 12, 10)
EARLY = {THU: ((0, 15 * 60), "early dismissal (closes 15:00): weather")}
DELAYED = {THU: ((11 * 60, 1440), "delayed arrival (opens 11:00): weather")}


def due(days: dict, received, research: bool = False):
    calendar = BusinessCalendar("America/New_York", "09:00", "17:00")
    calendar.set_live_days(days)
    return preset("department").plan(calendar, kind="email", needs_research=research, received_at=received)


@pytest.mark.parametrize(
    "days, received, expected",
    [
        (EARLY, et(2026, 12, 9, 10), et(2026, 12, 10, 15)),  # Wed: due at Thursday's early close
        (EARLY, et(2026, 12, 10, 14), et(2026, 12, 11, 17)),  # on the short day, open: Fri's close
        (EARLY, et(2026, 12, 10, 15, 30), et(2026, 12, 14, 17)),  # after its close: clock starts Fri
        (DELAYED, et(2026, 12, 10, 10), et(2026, 12, 11, 17)),  # before the late opening: starts Thu 11:00
        (DELAYED, et(2026, 12, 9, 16, 59), et(2026, 12, 10, 17)),  # Wed 16:59: Thursday, short or not
    ],
)
def test_one_business_day_is_close_of_business_on_the_next_business_day(days, received, expected):
    plan = due(days, received)
    assert plan.first_response_due == expected
    # A short day counts as a whole business day for 'N business days'.
    assert due(days, et(2026, 12, 9, 10), research=True).first_response_due == et(2026, 12, 11, 17)


def test_the_explanation_says_which_day_and_that_it_was_short():
    plan = due(EARLY, et(2026, 12, 9, 10))
    assert (
        "1 business day = close of business on the 1st business day after Wed 9 Dec: Thu 10 Dec 2026 15:00 EST."
        in (plan.explanation)
    )
    assert "Thu 10 Dec: open 09:00-15:00; early dismissal (closes 15:00): weather" in plan.explanation


def test_reminder_offsets_count_a_business_day_as_a_working_days_length_even_across_a_short_day():
    """Level 2 ('1 business day overdue') and the other reminder offsets are lengths of business
    time (8 h on 09:00-17:00, docs/reminders.md): a short day gives fewer of them."""
    calendar = BusinessCalendar("America/New_York", "09:00", "17:00")
    calendar.set_live_days(EARLY)
    one_day = parse_duration("1 business day")
    assert after(calendar, one_day, et(2026, 12, 9, 17)) == et(2026, 12, 11, 11)  # Thu 6 h + Fri 2 h
    assert after(calendar, one_day, et(2026, 12, 10, 15)) == et(2026, 12, 11, 17)
