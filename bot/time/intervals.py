"""A calendar's business intervals as integer microseconds since the epoch (bot/time/calendar.py
asks its questions of them): one year's intervals built from the calendar's week and the days it
closes, the span of built years as flat parallel lists, and the conversions between aware
datetimes, hours and microseconds, each naming the value it refuses.

Each interval is built from local wall-clock times, so DST is handled where it is built; an instant
is turned back through the float fast path while that is exact.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from numbers import Real
from zoneinfo import ZoneInfo

from bot.errors import InputError
from bot.time.calendar_settings import DayHours

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
US_PER_HOUR = 3_600_000_000
MIN_YEAR, MAX_YEAR = 1971, 9998
# Below 2**33 seconds (year 2242) a float timestamp is within 0.48 µs of the exact value, so
# datetime.fromtimestamp rounds it to the right microsecond.
_FLOAT_EXACT = 2**33 * 1_000_000
_fromtimestamp = datetime.fromtimestamp
# lo, hi, opens, closes, cum, cum_end, total (see Span.fast)
_FastPath = tuple[int, int, list[int], list[int], list[int], list[int], int]
# One year's opens, closes, business day ordinals, and (ordinal, reason) of its closed days.
YearParts = tuple[list[int], list[int], list[int], list[tuple[int, str]]]
NO_FAST_PATH: _FastPath = (0, 0, [], [], [], [], 0)  # lo == hi: nothing is inside, take the general path


class Span:
    """The built years as flat parallel lists (one business interval per business day)."""

    __slots__ = (
        "first",
        "last",
        "lo",
        "hi",
        "opens",
        "closes",
        "cum",
        "cum_end",
        "total",
        "fast",
        "day_ords",
        "closed_ords",
        "closed_reasons",
    )

    def __init__(
        self,
        first: int,
        last: int,
        lo: int,
        hi: int,
        opens: list[int],
        closes: list[int],
        day_ords: list[int],
        closed: list[tuple[int, str]],
    ) -> None:
        self.first, self.last, self.lo, self.hi = first, last, lo, hi
        self.opens, self.closes, self.day_ords = opens, closes, day_ords
        self.cum_end = list(accumulate(c - o for o, c in zip(opens, closes)))
        self.cum = [0, *self.cum_end[:-1]] if opens else []
        self.total = self.cum_end[-1] if opens else 0
        # Everything the fast paths read, in one tuple: one attribute load and an unpack.
        usable_hi = hi if hi <= _FLOAT_EXACT else lo  # past year 2242: no fast path
        self.fast = (lo, usable_hi, opens, closes, self.cum, self.cum_end, self.total)
        self.closed_ords = [ordinal for ordinal, _ in closed]
        self.closed_reasons = [reason for _, reason in closed]

    def position(self, us: int) -> int:
        """Business microseconds from the start of the span to `us` (which lies inside it)."""
        i = bisect_right(self.opens, us) - 1
        if i < 0:
            return 0
        return self.cum[i] + min(us, self.closes[i]) - self.opens[i]


def build_year(
    year: int,
    week: tuple[DayHours, ...],
    live_days: Mapping[date, tuple[DayHours, str]],
    holidays: dict[date, str],
    tz: ZoneInfo,
    closed_reason: Callable[[date, DayHours, dict[date, str]], str | None],
) -> YearParts:
    """One year's business intervals in `tz`: each day's hours of the `week` (Monday first), unless
    `closed_reason` closes the day, cut to what is left on the days changed at short notice (`live_days`)."""
    opens: list[int] = []
    closes: list[int] = []
    day_ords: list[int] = []
    closed: list[tuple[int, str]] = []
    day = date(year, 1, 1)
    one = timedelta(days=1)
    while day.year == year:
        hours = week[day.weekday()]
        reason = closed_reason(day, hours, holidays)
        live = live_days.get(day) if reason is None else None
        if live is not None:
            live_hours = live[0]
            if live_hours is None:
                reason = live[1]
            else:  # a partial day: delayed arrival and/or early dismissal
                assert hours is not None  # live days are read only for working days
                hours = (max(hours[0], live_hours[0]), min(hours[1], live_hours[1]))
                if hours[1] <= hours[0]:
                    reason = live[1]
        if reason is None:
            assert hours is not None  # a day without hours always has a closed reason
            o, c = local_us(day, hours[0], tz), local_us(day, hours[1], tz)
            if c > o:
                opens.append(o)
                closes.append(c)
                day_ords.append(day.toordinal())
            else:  # hours that vanish in a DST gap (e.g. 02:00-03:00 on a spring-forward day)
                reason = "no working time (clock change)"
        if reason is not None:
            closed.append((day.toordinal(), reason))
        day += one
    return opens, closes, day_ords, closed


def local_us(day: date, minutes: int, tz: ZoneInfo) -> int:
    """Microseconds since the epoch of local wall time `minutes` after midnight of `day`
    (1440 = midnight after). A wall time inside a DST gap maps as if the clock had not changed."""
    if minutes == 1440:
        day, minutes = day + timedelta(days=1), 0
    local = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tz)
    return (local - EPOCH) // _US


def from_us(us: int, tz: ZoneInfo) -> datetime:
    if -_FLOAT_EXACT < us < _FLOAT_EXACT:  # the fast C path, exact to the microsecond here
        return _fromtimestamp(us / 1e6, tz)
    return (EPOCH + timedelta(microseconds=us)).astimezone(tz)


def to_us(t: datetime, name: str) -> int:
    try:
        d = t - EPOCH
        return d.days * 86_400_000_000 + d.seconds * 1_000_000 + d.microseconds
    except TypeError:
        if isinstance(t, datetime):
            raise InputError(
                f"{name}: naive datetime {t.isoformat()} has no time zone; "
                "give an aware datetime, e.g. datetime(2026, 3, 9, 9, tzinfo=ZoneInfo('America/New_York'))"
            ) from None
        raise InputError(f"{name}: expected an aware datetime, got {t!r}") from None


def hours_to_us(hours: float | int | timedelta) -> int:
    if type(hours) is float and math.isfinite(hours):
        return round(hours * US_PER_HOUR)
    if isinstance(hours, timedelta):
        return hours.days * 86_400_000_000 + hours.seconds * 1_000_000 + hours.microseconds
    if isinstance(hours, Real) and not isinstance(hours, bool) and math.isfinite(hours):
        return round(float(hours) * US_PER_HOUR)
    raise InputError(f"hours: {hours!r} is not a number of hours or a timedelta")


def day_count(days: int | float, name: str) -> int:
    if isinstance(days, bool) or not isinstance(days, int):
        if isinstance(days, float) and days.is_integer():
            days = int(days)
        else:
            raise InputError(f"{name}: {days!r} is not a whole number of days")
    if days < 0:
        raise InputError(f"{name}: {days} is negative; count days forward from the start")
    return days
