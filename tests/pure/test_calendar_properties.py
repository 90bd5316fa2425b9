"""Properties of business time that must hold for any instant, duration and zone (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.time.calendar import BusinessCalendar

ONE_US = timedelta(microseconds=1)
ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu")
CALENDARS = {zone: BusinessCalendar(zone) for zone in ZONES}
CALENDARS["short Fridays, closures"] = BusinessCalendar(
    hours_by_weekday={"fri": "09:00-12:30"}, closures=["2026-02-10", "2027-08-16", "2029-03-01"]
)

PROPERTY = settings(max_examples=200, deadline=None)
calendars = st.sampled_from(sorted(CALENDARS)).map(CALENDARS.__getitem__)
instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC)
)
# Business time to the microsecond, up to about 6 working weeks.
durations = st.integers(min_value=0, max_value=240 * 3_600_000_000).map(lambda us: timedelta(microseconds=us))
day_counts = st.integers(min_value=0, max_value=30)


def utc(t: datetime) -> datetime:
    # Aware datetimes sharing a tzinfo compare as wall clocks (fold ignored); compare instants.
    return t.astimezone(UTC)


@PROPERTY
@given(calendars, instants, durations)
def test_between_undoes_add(cal, start, amount):
    end = cal.add_business_hours(start, amount)
    assert cal.business_hours_between(start, end) == amount / timedelta(hours=1)


@PROPERTY
@given(calendars, instants, durations)
def test_add_lands_in_business_time_and_never_before_the_start(cal, start, amount):
    end = cal.add_business_hours(start, amount)
    assert utc(end) >= start
    if amount:
        # The earliest instant the time is used up: the microsecond before it was business time.
        assert cal.is_open(end - ONE_US)


@PROPERTY
@given(calendars, instants, durations, durations)
def test_adding_in_two_steps_equals_adding_once(cal, start, first, second):
    once = cal.add_business_hours(start, first + second)
    assert utc(cal.add_business_hours(cal.add_business_hours(start, first), second)) == utc(once)


@PROPERTY
@given(calendars, instants, durations)
def test_going_back_undoes_going_forward(cal, start, amount):
    back = cal.add_business_hours(start, -amount)
    assert cal.business_hours_between(back, start) == amount / timedelta(hours=1)
    if amount:
        assert cal.is_open(back)


@PROPERTY
@given(calendars, instants, instants, instants)
def test_between_is_antisymmetric_and_additive(cal, a, b, c):
    ab, bc, ac = (cal.business_hours_between(x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert cal.business_hours_between(b, a) == -ab
    assert abs(ab + bc - ac) < 1e-9


@PROPERTY
@given(calendars, instants, instants, durations, day_counts)
def test_deadlines_are_monotonic_in_receipt_time(cal, t1, t2, amount, days):
    early, late = sorted((t1, t2))
    assert utc(cal.add_business_hours(early, amount)) <= utc(cal.add_business_hours(late, amount))
    assert cal.add_business_days(early, days) <= cal.add_business_days(late, days)
    assert cal.add_calendar_days(early, days) <= cal.add_calendar_days(late, days)
    assert cal.next_opening(early) <= cal.next_opening(late)


@PROPERTY
@given(calendars, instants, st.integers(min_value=1, max_value=30))
def test_adding_days_equals_repeated_single_days(cal, start, days):
    # A business-day deadline is a close of business; the next day is counted from the last
    # business instant of that day (the close itself is already outside business time).
    stepped = cal.add_business_days(start, 1)
    for _ in range(days - 1):
        stepped = cal.add_business_days(stepped - ONE_US, 1)
    assert stepped == cal.add_business_days(start, days)


@PROPERTY
@given(calendars, instants, day_counts)
def test_day_deadlines_are_closes_of_business_days(cal, start, days):
    for due in (cal.add_business_days(start, days), cal.add_calendar_days(start, days)):
        assert due > start
        assert cal.is_open(due - ONE_US) and not cal.is_open(due)
        assert cal.is_business_day(due.date())


@PROPERTY
@given(calendars, instants)
def test_next_opening_is_open_and_costs_no_business_time(cal, t):
    opening = cal.next_opening(t)
    assert utc(opening) >= t and cal.is_open(opening)
    assert cal.business_hours_between(t, opening) == 0
    assert (opening == t) == cal.is_open(t)


@PROPERTY
@given(calendars, instants, instants)
def test_closed_days_are_exactly_the_days_without_business_time(cal, a, b):
    first, last = sorted((a.astimezone(cal.tz).date(), b.astimezone(cal.tz).date()))
    last = min(last, first + timedelta(days=60))
    closed = dict(cal.closed_days_between(first, last))
    day = first
    while day <= last:
        assert (day in closed) == (not cal.is_business_day(day))
        day += timedelta(days=1)
