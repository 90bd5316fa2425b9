"""How time is written for people: the one place that formats instants, dates and date ranges
(bot/rendering/format.py hands these to the renderers; deadline plans use them for the explanations
stored with a deadline, report periods for their labels).

Some texts keep a form of their own (a range without the weekday in report periods, zero-padded days
in the digest notice): each has its function here, so a change of style is made in this file.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "America/New_York"


@lru_cache(maxsize=256)
def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def when(instant: datetime | None, tz: str | tzinfo | None, *, clock24: bool = False) -> str:
    """The one formatter of instants shown to people, in the given zone (a name, or a zone itself).

    'Fri 6 Mar 2026, 5:00 PM CST' in replies and cards; clock24: 'Fri 6 Mar 2026 17:00 CST' in
    what reads as a record — deadline explanations (stored with the deadline), notices, reminders,
    errors. Both forms are pinned by tests and by explanations already stored, so both stay.
    """
    if instant is None:
        return "—"
    local = instant.astimezone(tz if isinstance(tz, tzinfo) else zone(tz))
    if clock24:
        return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local:%a} {local.day} {local:%b %Y}, {hour}:{local:%M} {local:%p} {local.tzname()}"


def day(instant: datetime | None, tz: str | None) -> str:
    """'Fri 6 Mar 2026' in the viewer's zone."""
    if instant is None:
        return "—"
    return date_text(instant.astimezone(zone(tz)).date())


def time_of_day(instant: datetime, tz: tzinfo) -> str:
    """'05:10': the time of day in the given zone."""
    return f"{instant.astimezone(tz):%H:%M}"


def date_text(value: date, *, year: bool = True) -> str:
    """'Thu 26 Nov 2026'; year=False: 'Thu 26 Nov'."""
    return f"{value:%a} {value.day} {value:%b %Y}" if year else f"{value:%a} {value.day} {value:%b}"


def date_range(first: date, last: date) -> str:
    """'Thu 10 Dec 2026' or 'Thu 1 Oct – Thu 12 Nov 2026' (the year once, unless the range crosses one)."""
    if first == last:
        return date_text(first)
    return f"{date_text(first, year=first.year != last.year)} – {date_text(last)}"


def long_date(value: date) -> str:
    """'November 5, 2026': the customer's feedback page, read outside the office (as given, no zone)."""
    return f"{value:%B} {value.day}, {value.year}"


def week_range(first: date, last: date) -> str:
    """'Mon 02 Nov – Sun 08 Nov 2026' (zero-padded days: the digest notice's own form)."""
    return f"{first:%a %d %b} – {last:%a %d %b %Y}"


def period_span(start: date, end: date) -> str:
    """A report period's dates: 'Mon Nov 16, 2026', 'Nov 16 – Nov 22, 2026' or
    'Dec 28, 2026 – Jan 3, 2027'."""
    if start == end:
        return f"{start:%a} {start:%b} {start.day}, {start.year}"
    if start.year == end.year:
        return f"{start:%b} {start.day} – {end:%b} {end.day}, {end.year}"
    return f"{start:%b} {start.day}, {start.year} – {end:%b} {end.day}, {end.year}"
