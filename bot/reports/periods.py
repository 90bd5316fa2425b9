"""Report periods: a span of whole days in a team's zone, parsed from what people type.

Weeks run Monday to Sunday. The federal rating period (and fiscal year) runs Oct 1 – Sep 30 and is
named after the year it ends in (FY2027 = Oct 1, 2026 – Sep 30, 2027). Quarters are calendar
quarters; a bare `Q1` … `Q4` or `FY2027 Q1` numbers them the federal way (Q1 = Oct–Dec), while
`Q1 2027` / `2027-Q1` is the calendar quarter Jan–Mar 2027. Every report shows the resolved dates,
so the numbering never hides what was counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InputError
from bot.time.instants import period_span
from bot.time.years import in_range, out_of_range

EXAMPLE = "/inquiry report me last week   (or: this month, 2026-10, Q1, FY2027, 2026-10-01..2026-12-31)"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end`, both inclusive, in the zone the report is read in."""

    start: date
    end: date
    name: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(
                f"period ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()}); "
                "put the earlier date first",
                example="2026-10-01..2026-12-31",
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """`last week (Nov 16 – Nov 22, 2026)`: the name and the dates it stands for."""
        return f"{self.name} ({period_span(self.start, self.end)})"

    def bounds(self, tz: str | ZoneInfo) -> tuple[datetime, datetime]:
        """The half-open instant range [start 00:00, day after end 00:00) in `tz`, as aware UTC."""
        zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        first = datetime.combine(self.start, time(0), zone)
        after = datetime.combine(self.end + timedelta(days=1), time(0), zone)
        return first.astimezone(UTC), after.astimezone(UTC)

    def previous(self) -> Period:
        """The period of the same length just before this one (digests compare against it)."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, "previous period")


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6), "week")


def month_of(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise InputError(f"month {month} does not exist; months run 01 to 12", example="2026-10")
    after = date(year + month // 12, month % 12 + 1, 1)
    return Period(date(year, month, 1), after - timedelta(days=1), f"{MONTHS[month - 1].title()} {year}")


def calendar_quarter(year: int, quarter: int) -> Period:
    first = month_of(year, 3 * quarter - 2)
    last = month_of(year, 3 * quarter)
    return Period(first.start, last.end, f"{year} Q{quarter}")


def fiscal_year_of(day: date) -> int:
    """The federal fiscal year (= rating period) a day falls in: named after the year it ends."""
    return day.year + 1 if day.month >= 10 else day.year


def rating_period(fiscal_year: int) -> Period:
    return Period(date(fiscal_year - 1, 10, 1), date(fiscal_year, 9, 30), f"FY{fiscal_year} rating period")


def fiscal_quarter(fiscal_year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise InputError(f"quarter Q{quarter} does not exist; use Q1 to Q4", example="FY2027 Q1")
    start_month = (10 + 3 * (quarter - 1) - 1) % 12 + 1
    year = fiscal_year - 1 if start_month >= 10 else fiscal_year
    span = Period(month_of(year, start_month).start, month_of(year, start_month + 2).end, "")
    return Period(span.start, span.end, f"FY{fiscal_year} Q{quarter}")


def quarter_of(day: date) -> Period:
    return calendar_quarter(day.year, (day.month - 1) // 3 + 1)


# ---------------------------------------------------------------------------------------------
# Parsing what people type


def parse_period(text: str | None, *, today: date) -> Period:
    """Turn `last week`, `2026-10`, `Q1`, `FY2027`, `2026-10-01..2026-12-31` … into a Period.

    No text means the current federal rating period (docs/reports.md). Unknown text raises InputError
    with an example.
    """
    raw = " ".join((text or "").replace("\u2013", "-").replace("\u2014", "-").split())
    words = raw.lower()
    if words in (
        "",
        "rating period",
        "this rating period",
        "current rating period",
        "rating",
        "fy",
        "this fy",
        "fiscal year",
        "this fiscal year",
        "year to date",
    ):
        return _named(rating_period(fiscal_year_of(today)), "this rating period")
    for parse in (_relative, _fiscal, _quarter, _month_or_year, _explicit):
        try:
            period = parse(words, today)
        except InputError:
            raise
        except (ValueError, OverflowError):  # a month or quarter whose end runs past year 9999
            raise out_of_range("period", repr(raw), example=EXAMPLE) from None
        if period is not None:
            return _in_range(period, repr(raw))
    raise InputError(
        f"period {raw!r} is not one I know; say this week, last week, this month, last month, "
        "2026-10, October, Q1, FY2027, a date, or two dates like 2026-10-01..2026-12-31",
        example=EXAMPLE,
    )


def _named(period: Period, name: str) -> Period:
    return Period(period.start, period.end, name)


def _relative(words: str, today: date) -> Period | None:
    one_day = timedelta(days=1)
    table = {
        "today": lambda: Period(today, today, "today"),
        "yesterday": lambda: Period(today - one_day, today - one_day, "yesterday"),
        "this week": lambda: _named(week_of(today), "this week"),
        "week": lambda: _named(week_of(today), "this week"),
        "last week": lambda: _named(week_of(today - 7 * one_day), "last week"),
        "previous week": lambda: _named(week_of(today - 7 * one_day), "last week"),
        "this month": lambda: _named(month_of(today.year, today.month), "this month"),
        "month": lambda: _named(month_of(today.year, today.month), "this month"),
        "last month": lambda: _named(_month_before(today), "last month"),
        "previous month": lambda: _named(_month_before(today), "last month"),
        "this quarter": lambda: _named(quarter_of(today), "this quarter"),
        "quarter": lambda: _named(quarter_of(today), "this quarter"),
        "last quarter": lambda: _named(quarter_of(quarter_of(today).start - one_day), "last quarter"),
        "previous quarter": lambda: _named(quarter_of(quarter_of(today).start - one_day), "last quarter"),
        "last rating period": lambda: rating_period(fiscal_year_of(today) - 1),
        "previous rating period": lambda: rating_period(fiscal_year_of(today) - 1),
        "last fy": lambda: rating_period(fiscal_year_of(today) - 1),
        "last fiscal year": lambda: rating_period(fiscal_year_of(today) - 1),
    }
    make = table.get(words)
    return make() if make else None


def _month_before(today: date) -> Period:
    first = today.replace(day=1) - timedelta(days=1)
    return month_of(first.year, first.month)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


FY = r"fy\s*-?\s*(\d{4}|\d{2})"
_FISCAL = re.compile(rf"^{FY}$")
_FISCAL_Q = re.compile(rf"^(?:{FY}\s*-?\s*q([1-4])|q([1-4])\s*-?\s*{FY})$")
_BARE_Q = re.compile(r"^(?:this\s+)?q([1-9])$")
_CAL_Q = re.compile(r"^(?:(\d{4})\s*-?\s*q([1-9])|q([1-9])\s*-?\s*(\d{4}))$")


def _fiscal(words: str, today: date) -> Period | None:
    if m := _FISCAL.match(words):
        return rating_period(_year(m.group(1)))
    if m := _FISCAL_Q.match(words):
        year, quarter = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return fiscal_quarter(_year(year), int(quarter))
    if m := _BARE_Q.match(words):
        return fiscal_quarter(fiscal_year_of(today), int(m.group(1)))
    return None


def _quarter(words: str, today: date) -> Period | None:
    if m := _CAL_Q.match(words):
        year, quarter = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if not 1 <= int(quarter) <= 4:
            raise InputError(f"quarter Q{quarter} does not exist; use Q1 to Q4", example="2027-Q1")
        return calendar_quarter(int(year), int(quarter))
    return None


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_NAME = re.compile(r"^([a-z]{3,9})\.?(?:\s+(\d{4}))?$")


def _month_or_year(words: str, today: date) -> Period | None:
    if m := _YEAR_MONTH.match(words):
        return month_of(int(m.group(1)), int(m.group(2)))
    if m := _YEAR.match(words):
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), f"calendar year {year}")
    if (m := _MONTH_NAME.match(words)) and m.group(1)[:3] in MONTHS and _is_month_word(m.group(1)):
        month = MONTHS.index(m.group(1)[:3]) + 1
        if m.group(2):
            return month_of(int(m.group(2)), month)
        # A bare month name means its latest occurrence that has begun: in November, "December"
        # is last December (reports look back, not forward).
        year = today.year if month <= today.month else today.year - 1
        return month_of(year, month)
    return None


def _is_month_word(word: str) -> bool:
    full = (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    )
    return any(name.startswith(word) for name in full) or word == "sept"


_ONE_DAY = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})$")
_RANGE = re.compile(
    r"^(?:from\s+)?(\d{4}-\d{1,2}(?:-\d{1,2})?)\s*(?:\.\.|to|-|until|through)\s*(\d{4}-\d{1,2}(?:-\d{1,2})?)$"
)


def _explicit(words: str, today: date) -> Period | None:
    if m := _ONE_DAY.match(words):
        day = _date(m.group(1))
        return Period(day, day, day.isoformat())
    if m := _RANGE.match(words):
        start = _date_or_month(m.group(1)).start
        end = _date_or_month(m.group(2)).end
        if end < start:
            raise InputError(
                f"period {words!r} ends before it starts; put the earlier date first",
                example="2026-10-01..2026-12-31",
            )
        return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")
    return None


def _date(text: str) -> date:
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise InputError(f"{text!r} is not a calendar date; write YYYY-MM-DD", example="2026-10-01") from None


def _date_or_month(text: str) -> Period:
    if text.count("-") == 1:
        year, month = (int(part) for part in text.split("-"))
        return month_of(year, month)
    day = _date(text)
    return Period(day, day, day.isoformat())


def explicit_period(start: date | None, end: date | None, *, today: date) -> Period:
    """`--from D --to D` on the command line; a missing end means today, a missing start the
    start of the current rating period."""
    first = start or rating_period(fiscal_year_of(today)).start
    last = end or today
    period = Period(first, last, f"{first.isoformat()} to {last.isoformat()}")
    return _in_range(period, f"{first.isoformat()}..{last.isoformat()}")


def _in_range(period: Period, shown: str) -> Period:
    """The period, if it lies in the years the bot works in: its instants are computed from here on."""
    if not (in_range(period.start) and in_range(period.end)):
        raise out_of_range(
            "period", f"{shown} ({period.start.isoformat()} to {period.end.isoformat()})", example=EXAMPLE
        )
    return period
