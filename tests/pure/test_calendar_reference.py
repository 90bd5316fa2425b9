"""A slow, obvious reference for business time (day by day, straight from the definition), and
hypothesis tests that BusinessCalendar's binary searches agree with it.

benchmarks/bench_calendar.py loads ReferenceCalendar from this file to decide, for every
disagreement with a peer library, which side is right.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.time.calendar import BusinessCalendar
from bot.time.holidays_us import federal_closed_days

ONE_DAY = timedelta(days=1)


@cache
def _federal_days() -> frozenset[date]:
    return frozenset(federal_closed_days(1990, 2060))


class ReferenceCalendar:
    """Working hours open–close on Mon–Fri in `tz`, minus `closed` dates. All arithmetic in UTC
    (aware datetimes sharing a tzinfo subtract as wall clocks, which is wrong across DST)."""

    def __init__(
        self,
        tz: str = "America/New_York",
        open_: time = time(9),
        close: time = time(17),
        closed: set[date] | None = None,
        weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
    ):
        self.tz = ZoneInfo(tz)
        self.open, self.close, self.weekdays = open_, close, weekdays
        self.closed = _federal_days() if closed is None else closed

    def day_hours(self, day: date) -> tuple[datetime, datetime] | None:
        if day.weekday() not in self.weekdays or day in self.closed:
            return None
        start = datetime.combine(day, self.open, tzinfo=self.tz).astimezone(UTC)
        end = (
            datetime.combine(day + ONE_DAY, time(0), tzinfo=self.tz)
            if self.close == time(0)
            else datetime.combine(day, self.close, tzinfo=self.tz)
        ).astimezone(UTC)
        return start, end

    def between(self, a: datetime, b: datetime) -> timedelta:
        if b < a:
            return -self.between(b, a)
        a, b = a.astimezone(UTC), b.astimezone(UTC)
        total, day = timedelta(0), a.astimezone(self.tz).date() - ONE_DAY
        while day <= b.astimezone(self.tz).date():
            if hours := self.day_hours(day):
                lo, hi = max(a, hours[0]), min(b, hours[1])
                total += max(hi - lo, timedelta(0))
            day += ONE_DAY
        return total

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """Earliest instant at which `amount` (>= 0) business time after start is used up."""
        start = start.astimezone(UTC)
        if amount == timedelta(0):
            return start
        left, day = amount, start.astimezone(self.tz).date() - ONE_DAY
        while True:
            if hours := self.day_hours(day):
                lo = max(start, hours[0])
                if lo < hours[1]:
                    if hours[1] - lo >= left:
                        return lo + left
                    left -= hours[1] - lo
            day += ONE_DAY


# ---- the reference itself, on hand-worked values ------------------------------------------

NY = ZoneInfo("America/New_York")
REF = ReferenceCalendar()


def test_reference_on_hand_worked_values():
    wed = datetime(2026, 11, 25, 14, tzinfo=NY)
    assert REF.between(wed, datetime(2026, 11, 30, 10, tzinfo=NY)) == timedelta(hours=12)
    assert REF.add(wed, timedelta(hours=3)) == datetime(2026, 11, 25, 17, tzinfo=NY)
    assert REF.add(wed, timedelta(hours=4)) == datetime(2026, 11, 27, 10, tzinfo=NY)
    assert REF.between(datetime(2026, 3, 6, 16, tzinfo=NY), datetime(2026, 3, 9, 10, tzinfo=NY)) == timedelta(
        hours=2
    )


# ---- BusinessCalendar agrees with the reference ------------------------------------------

ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu")
CALENDARS = {zone: (BusinessCalendar(zone), ReferenceCalendar(zone)) for zone in ZONES}
ROUND_THE_CLOCK = (
    BusinessCalendar(open="00:00", close="24:00"),
    ReferenceCalendar(open_=time(0), close=time(0)),
)

instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2031, 12, 31), timezones=st.just(UTC)
).map(lambda t: t.replace(second=0, microsecond=0))
durations = st.integers(min_value=0, max_value=400 * 60).map(lambda m: timedelta(minutes=m))
offsets = st.integers(min_value=-90 * 1440, max_value=90 * 1440).map(lambda m: timedelta(minutes=m))
zones = st.sampled_from(ZONES)


@settings(max_examples=200, deadline=None)
@given(zones, instants, durations)
def test_add_business_hours_matches_reference(zone, start, amount):
    cal, ref = CALENDARS[zone]
    assert cal.add_business_hours(start, amount).astimezone(UTC) == ref.add(start, amount)


@settings(max_examples=200, deadline=None)
@given(zones, instants, offsets)
def test_business_hours_between_matches_reference(zone, a, offset):
    cal, ref = CALENDARS[zone]
    b = a + offset
    assert cal.business_hours_between(a, b) == ref.between(a, b) / timedelta(hours=1)


@settings(max_examples=200, deadline=None)
@given(instants, durations, offsets)
def test_round_the_clock_calendar_matches_reference_across_dst(start, amount, offset):
    cal, ref = ROUND_THE_CLOCK
    other = start + offset
    assert cal.add_business_hours(start, amount).astimezone(UTC) == ref.add(start, amount)
    assert cal.business_hours_between(start, other) == ref.between(start, other) / timedelta(hours=1)
