"""Business time on a team's calendar: working hours in an IANA zone, minus federal holidays and closures.

Conventions (docs/business-time.md):
- business time is the half-open interval [open, close) of each business day;
- add_business_hours returns the earliest instant at which the hours are used up, so a count that
  ends exactly at close returns close that day; adding 0 returns the start unchanged;
- business_hours_between(a, b) is negative when b < a;
- N business days = close of business on the Nth business day after the day the clock starts;
- all inputs are aware datetimes; all results are in the calendar's zone.

How: each year is turned once (lazily) into its business intervals as integer microseconds since
the epoch, with the cumulative business time before each interval. Every question is then one or
two binary searches, whatever the span, and DST is handled by building each interval from local
wall-clock times (the intervals and the conversions to and from microseconds: intervals.py).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InputError
from bot.time.calendar_settings import (
    WEEKDAY_NAMES,
    DayHours,
    format_hours,
    format_week,
    parse_closures,
    parse_week,
    parse_zone,
)
from bot.time.holidays_us import SOURCE, federal_closed_days, inauguration_day, package_version
from bot.time.intervals import (
    EPOCH,
    MAX_YEAR,
    MIN_YEAR,
    NO_FAST_PATH,
    US_PER_HOUR,
    Span,
    build_year,
    day_count,
    from_us,
    hours_to_us,
    local_us,
    to_us,
)

_fromtimestamp = datetime.fromtimestamp  # bound once for add_business_hours' fast path


class BusinessCalendar:
    def __init__(
        self,
        tz: str | ZoneInfo = "America/New_York",
        open: str | time = "09:00",  # noqa: A002 - the public API names it `open`
        close: str | time = "17:00",
        closures: Iterable = (),
        *,
        hours_by_weekday: Mapping | None = None,
        inauguration_day: bool = False,
    ):
        self.tz = parse_zone(tz)
        self.week = parse_week(open, close, hours_by_weekday)
        self.closures = parse_closures(closures)
        self.inauguration_day = bool(inauguration_day)
        # Closures declared while the bot runs (bot/time/closures.py): local date -> (hours, reason),
        # hours None for a whole day closed, else the (open, close) minutes left that day.
        self._live: dict[date, tuple[DayHours, str]] = {}
        self._facts: dict | None = None
        self._years: dict[int, tuple[list, list, list, list]] = {}
        self._span: Span | None = None
        self._fast = NO_FAST_PATH  # the current span's `fast` tuple
        self._lock = threading.Lock()

    @property
    def tz_name(self) -> str:
        """The IANA name of the calendar's zone, e.g. 'America/New_York'."""
        return self.tz.key

    def __repr__(self) -> str:
        return f"BusinessCalendar(tz={self.tz.key!r}, week={format_week(self.week)!r})"

    # ---- questions -------------------------------------------------------------------------

    def add_business_hours(self, start: datetime, hours: float | int | timedelta) -> datetime:
        """Earliest instant at which `hours` of business time after `start` are used up.

        Negative hours go back: the latest instant from which `-hours` lead to `start`.
        """
        # The common case (forward, within the years already built) is written out inline, with no
        # helper calls: it is most of the cost of every nudge and report, and calls cost here.
        try:
            d = start - EPOCH
        except TypeError:
            to_us(start, "start")  # raises the error that names the value
        s = d.days * 86_400_000_000 + d.seconds * 1_000_000 + d.microseconds
        amount = hours * 3_600_000_000 if type(hours) is int else hours_to_us(hours)
        lo, hi, opens, closes, cum, cum_end, total = self._fast
        if lo <= s < hi and amount > 0:
            i = bisect_right(opens, s) - 1
            if i >= 0:
                close = closes[i]
                target = cum[i] + (close if s > close else s) - opens[i] + amount
                if target <= total:
                    i = bisect_left(cum_end, target)
                    return _fromtimestamp((opens[i] + target - cum[i]) / 1e6, self.tz)
        if amount == 0:
            return start.astimezone(self.tz)
        return self._add_business_hours(s, amount)

    def _add_business_hours(self, s: int, amount: int) -> datetime:
        """add_business_hours for any span: grows the built years as needed; negative amounts too."""
        while True:
            span = self._span_covering(s, s)
            target = span.position(s) + amount
            if amount > 0:
                if target <= span.total:
                    i = bisect_left(span.cum_end, target)
                    return from_us(span.opens[i] + target - span.cum[i], self.tz)
                self._extend_for(span, forward=target - span.total)
            else:
                if target >= 0:
                    i = bisect_right(span.cum, target) - 1
                    return from_us(span.opens[i] + target - span.cum[i], self.tz)
                self._extend_for(span, backward=-target)

    def business_hours_between(self, a: datetime, b: datetime) -> float:
        """Business hours from a to b; negative when b is before a."""
        try:  # inline for speed, as in add_business_hours
            da, db = a - EPOCH, b - EPOCH
        except TypeError:
            to_us(a, "a"), to_us(b, "b")  # raises the error that names the value
        ua = da.days * 86_400_000_000 + da.seconds * 1_000_000 + da.microseconds
        ub = db.days * 86_400_000_000 + db.seconds * 1_000_000 + db.microseconds
        lo, hi, opens, closes, cum, _, _ = self._fast
        if lo <= ua < hi and lo <= ub < hi:
            i = bisect_right(opens, ua) - 1
            j = bisect_right(opens, ub) - 1
            if i >= 0 and j >= 0:
                ca, cb = closes[i], closes[j]
                pa = cum[i] + (ca if ua > ca else ua) - opens[i]
                pb = cum[j] + (cb if ub > cb else ub) - opens[j]
                return (pb - pa) / US_PER_HOUR
        span = self._span_covering(min(ua, ub), max(ua, ub))
        return (span.position(ub) - span.position(ua)) / US_PER_HOUR

    def add_business_days(self, start: datetime, days: int | float) -> datetime:  # whole: 2.0 is 2
        """Close of business on the `days`th business day after the day the clock starts.

        The clock starts at `start` when open, else at the next opening; 0 days is close of business
        on the day the clock starts.
        """
        s = to_us(start, "start")
        n = day_count(days, "days")
        while True:
            span = self._span_covering(s, s)
            j = bisect_right(span.closes, s) + n
            if j < len(span.closes):
                return from_us(span.closes[j], self.tz)
            self._extend_for(span, days=j - len(span.closes) + 1)

    def add_calendar_days(self, start: datetime, days: int | float) -> datetime:  # whole: 2.0 is 2
        """Close of business `days` calendar days after the local date of `start`, rolled forward to
        the next business day when that day is closed (never earlier than `start`)."""
        s = to_us(start, "start")
        n = day_count(days, "days")
        target = start.astimezone(self.tz).date() + timedelta(days=n)
        while True:
            span = self._span_covering(s, s)
            if target.year <= span.last:
                j = bisect_left(span.day_ords, target.toordinal())
                # days=0 after close: today's close is already past, so the next one.
                while j < len(span.closes) and span.closes[j] <= s:
                    j += 1
                if j < len(span.closes):
                    return from_us(span.closes[j], self.tz)
            self._extend_to(span.first, max(span.last, target.year) + 1)

    def next_opening(self, t: datetime) -> datetime:
        """`t` itself when the calendar is open at `t`, else the next opening."""
        s = to_us(t, "t")
        while True:
            span = self._span_covering(s, s)
            j = bisect_right(span.closes, s)
            if j < len(span.closes):
                return t.astimezone(self.tz) if span.opens[j] <= s else from_us(span.opens[j], self.tz)
            self._extend_for(span, days=1)

    def is_open(self, t: datetime) -> bool:
        s = to_us(t, "t")
        span = self._span_covering(s, s)
        j = bisect_right(span.closes, s)
        return j < len(span.closes) and span.opens[j] <= s

    def is_business_day(self, day: date) -> bool:
        """Whether the local date `day` has working hours (not a weekend, holiday or closure)."""
        return self._closed_reason(day) is None

    def closed_days_between(self, a: datetime | date, b: datetime | date) -> list[tuple[date, str]]:
        """Closed local dates from a's date to b's date, both included, with the reason for each
        ('Saturday', 'Thanksgiving Day', 'closure: weather')."""
        first, last = sorted((self._local_date(a, "a"), self._local_date(b, "b")))
        span = self._span_for_years(first.year, last.year)
        lo = bisect_left(span.closed_ords, first.toordinal())
        hi = bisect_right(span.closed_ords, last.toordinal())
        return [(date.fromordinal(span.closed_ords[i]), span.closed_reasons[i]) for i in range(lo, hi)]

    def standing_closed_days(self, first: date, last: date) -> dict[date, str]:
        """The local dates from first to last (both included) that are closed whatever is declared
        while the bot runs — a weekend or a weekday without working hours, a federal holiday, a
        closure in the config — each with its reason ('Thanksgiving Day', 'Saturday')."""
        holidays = federal_closed_days(first.year, last.year)
        found: dict[date, str] = {}
        day = first
        while day <= last:
            reason = self._day_closed_reason(day, self.week[day.weekday()], holidays)
            if reason is not None:
                found[day] = reason
            day += timedelta(days=1)
        return found

    def facts(self) -> dict:
        """The calendar settings, JSON-serialisable, for storing next to a deadline (built once per
        set of closures and shared: a re-plan stores it with thousands of deadlines)."""
        facts = self._facts
        if facts is None:
            facts = self._facts = self._build_facts()
        return facts

    def _build_facts(self) -> dict:
        # A delayed arrival or early dismissal on a day closed anyway (a holiday, a weekend: part of
        # a range) notes why, so explain shows the day closed, never open for the closure's hours.
        # Config closures are listed in their own right and left out of the note.
        partial = [day for day, (hours, _) in self._live.items() if hours is not None]
        holidays = federal_closed_days(min(partial).year, max(partial).year) if partial else {}
        standing = {
            day: reason
            for day in partial
            if (reason := self._day_closed_reason(day, self.week[day.weekday()], holidays, configured=False))
        }
        return {
            "tz": self.tz.key,
            "hours": format_week(self.week),
            "holidays": f"US federal holidays as observed: {SOURCE}, holidays {package_version()}",
            "inauguration_day": self.inauguration_day,
            "closures": [
                {"date": day.isoformat(), "reason": reason} for day, reason in sorted(self.closures.items())
            ]
            + [
                {"date": day.isoformat(), "reason": reason}
                | ({"hours": format_hours(hours)} if hours is not None else {})
                | ({"closed": standing[day]} if day in standing else {})
                for day, (hours, reason) in sorted(self._live.items())
            ],
        }

    def set_live_days(self, days: Mapping[date, tuple[DayHours, str]]) -> None:
        """Replace the days changed at short notice (closures declared while the bot runs):
        date -> (None, reason) closes the whole day, ((open, close), reason) keeps only those
        minutes of it. The built years are dropped and rebuilt lazily, so questions stay as fast."""
        days = dict(days)
        with self._lock:
            if days == self._live:
                return
            self._live = days
            self._facts = None
            self._years = {}
            self._span, self._fast = None, NO_FAST_PATH

    def live_days(self) -> dict[date, tuple[DayHours, str]]:
        return dict(self._live)

    def day_hours(self, day: date) -> DayHours:
        """The local date's working hours as (open, close) minutes after midnight, None if closed."""
        hours = self.week[day.weekday()]
        if hours is None or self._closed_reason(day) is not None:
            return None
        live = self._live.get(day)
        if live is not None and live[0] is not None:
            return max(hours[0], live[0][0]), min(hours[1], live[0][1])
        return hours

    # ---- building the intervals ------------------------------------------------------------

    def _closed_reason(self, day: date) -> str | None:
        span = self._span_for_years(day.year, day.year)
        i = bisect_left(span.closed_ords, day.toordinal())
        if i < len(span.closed_ords) and span.closed_ords[i] == day.toordinal():
            return span.closed_reasons[i]
        return None

    def _local_date(self, value: datetime | date, name: str) -> date:
        if isinstance(value, datetime):
            to_us(value, name)
            return value.astimezone(self.tz).date()
        if isinstance(value, date):
            return value
        raise InputError(f"{name}: expected an aware datetime or a date, got {value!r}")

    def _span_covering(self, a_us: int, b_us: int) -> Span:
        span = self._span
        if span is not None and span.lo <= a_us and b_us < span.hi:
            return span
        return self._span_for_years(self._year_of(a_us) - 1, self._year_of(b_us) + 1)

    def _span_for_years(self, first: int, last: int) -> Span:
        span = self._span
        if span is not None and span.first <= first and last <= span.last:
            return span
        if span is not None:
            first, last = min(first, span.first), max(last, span.last)
        return self._extend_to(first, last)

    def _extend_for(self, span: Span, *, forward: int = 0, backward: int = 0, days: int = 0) -> None:
        """Grow the span by enough whole years for `forward`/`backward` business microseconds or
        `days` business days (estimated from the span's own density, plus one year)."""
        years = span.last - span.first + 1
        per_year_us = max(span.total, 1) / years
        per_year_days = max(len(span.closes), 1) / years
        grow = 1 + int(max(forward, backward) / per_year_us + days / per_year_days)
        if backward:
            self._extend_to(span.first - grow, span.last)
        else:
            self._extend_to(span.first, span.last + grow)

    def _extend_to(self, first: int, last: int) -> Span:
        if first < MIN_YEAR or last > MAX_YEAR:
            raise InputError(
                f"business time is computed for years {MIN_YEAR}–{MAX_YEAR}; "
                f"this needs {first if first < MIN_YEAR else last}"
            )
        with self._lock:
            if self._span is not None:  # another thread may have grown it meanwhile
                first, last = min(first, self._span.first), max(last, self._span.last)
            missing = [y for y in range(first, last + 1) if y not in self._years]
            if missing:
                holidays = federal_closed_days(min(missing), max(missing))
                for year in missing:
                    self._years[year] = build_year(
                        year, self.week, self._live, holidays, self.tz, self._day_closed_reason
                    )
            parts = [self._years[y] for y in range(first, last + 1)]
            lo = local_us(date(first, 1, 1), 0, self.tz)
            hi = local_us(date(last + 1, 1, 1), 0, self.tz)
            span = Span(
                first,
                last,
                lo,
                hi,
                [x for p in parts for x in p[0]],
                [x for p in parts for x in p[1]],
                [x for p in parts for x in p[2]],
                [x for p in parts for x in p[3]],
            )
            self._span, self._fast = span, span.fast
            return span

    def _day_closed_reason(
        self, day: date, hours: DayHours, holidays: dict[date, str], *, configured: bool = True
    ) -> str | None:
        """Why the day is closed before any closure declared while running (None: it is open);
        configured=False leaves out the config's closures."""
        if hours is None:
            name = WEEKDAY_NAMES[day.weekday()]
            return name if day.weekday() >= 5 else f"{name} (no working hours)"
        reasons = [r for r in (holidays.get(day), self.closures.get(day) if configured else None) if r]
        if self.inauguration_day and inauguration_day(day.year) == day:
            reasons.append("Inauguration Day")
        return "; ".join(reasons) if reasons else None

    def _year_of(self, us: int) -> int:
        try:
            return (EPOCH + timedelta(microseconds=us)).astimezone(self.tz).year
        except OverflowError:
            raise InputError("that instant is outside the years business time is computed for") from None
