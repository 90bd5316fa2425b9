"""The years the bot works in: 1970–2199, one check for every way a date comes in (docs/business-time.md).

A date outside them is a typo or a forged value, never a date anyone meant; left through, it overflows
Python's dates a few lines later (a report for 9999, a closure on 9999-12-31) or makes a deadline in
1850. Slash commands, forms, the CLI (report, closure, tick --now), closures and reports ask here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from bot.errors import InputError

FIRST_YEAR, LAST_YEAR = 1970, 2199
EARLIEST, LATEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC), datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)
_LEADING_YEAR = re.compile(r"^\s*[+-]?(\d+)-\d")  # 10000-01-01, 0001-01-01T00:00, 9999-12


def in_range(value: date) -> bool:
    """A date (or a datetime, read by its own wall-clock year) inside the years."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def out_of_range(what: str, shown: str, *, example: str | None = None) -> InputError:
    """'received “1850-01-01” is outside the years the bot works in; give a date from 1970 to 2199'."""
    return InputError(
        f"{what} {shown} is outside the years the bot works in; give a date from {FIRST_YEAR} to {LAST_YEAR}",
        example,
    )


def check_day(value: date, what: str) -> date:
    """`value` unchanged if its year is in range; InputError naming `what` and the date otherwise."""
    if not in_range(value):
        raise out_of_range(what, value.isoformat())
    return value


def check_instant(value: datetime, what: str) -> datetime:
    """As check_day, for an instant, by its year in the zone it carries (as it was typed)."""
    if not in_range(value):
        raise out_of_range(what, value.isoformat(timespec="minutes"))
    return value


def written_out_of_range(text: str) -> bool:
    """Text written as YEAR-MM… whose year is out of range, told before it is parsed: Python's dates
    end at 9999, so `10000-01-01` would otherwise read as 'not a date' rather than out of range."""
    return bool((m := _LEADING_YEAR.match(text)) and not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR)


def check_written_year(text: str, what: str) -> None:
    """InputError naming `what` and the text if it is written_out_of_range (CLI options)."""
    if written_out_of_range(text):
        raise out_of_range(what, text.strip())
