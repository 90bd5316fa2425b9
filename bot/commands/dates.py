"""Dates and durations as people type them, read in the user's own time zone.

dateparser gets RELATIVE_BASE = the clock's now in the user's zone, so "yesterday 3pm" means the
user's yesterday, and tests that freeze the clock get the same answers every day of the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.date import DateData, DateDataParser

from bot.commands.quick_dates import quick_parse
from bot.commands.time_of_day import settled_period, typed_clock
from bot.errors import InputError
from bot.time.years import in_range, out_of_range, written_out_of_range

Prefer = Literal["past", "future"]
# What a date without a time of day means, per field.
DayTime = Literal["start", "end", "close"]

# Everyday shorthand and misspellings of the relative days, read as the word meant ("tmrw 4pm").
SHORTHAND = {
    **dict.fromkeys(
        ("tmrw", "tmr", "tmw", "tomorow", "tommorow", "tommorrow", "2moro", "2morrow"), "tomorrow"
    ),
    **dict.fromkeys(("yday", "yest", "yesterdy", "yesteday"), "yesterday"),
    **dict.fromkeys(("tdy", "2day"), "today"),
}
_SHORTHAND = re.compile(rf"\b(?:{'|'.join(SHORTHAND)})\b", re.IGNORECASE)
_VAGUE = {"week", "month", "year"}
_ISO = re.compile(
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])([ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?"
)

# 2027, 12/7/27, 12-07-2027: the phrase names its year, and the year is kept.
_NAMES_YEAR = re.compile(r"\b\d{4}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b|'\d{2}\b")


@dataclass(frozen=True)
class When:
    """Where a date is read: the user's zone, now, and the business close for date-only deadlines."""

    now: datetime  # aware UTC, from the clock
    tz: str = "America/New_York"
    close: time = time(17, 0)

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.tz)

    def local_now(self) -> datetime:
        return self.now.astimezone(self.zone)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {name!r}", example="America/New_York") from None


def warm_up() -> None:
    """dateparser loads its language data on first use (~0.4 s); do it at start-up, not on a request."""
    for prefer in ("past", "future"):
        _parse_raw("yesterday 3pm", datetime(2026, 1, 7, 12), prefer)


def _parse_raw(text: str, base: datetime, prefer: Prefer) -> DateData:
    parser = DateDataParser(
        languages=["en"],
        settings={"PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": True, "RELATIVE_BASE": base},
    )
    return parser.get_date_data(text)


def parse_when(
    text: str, *, field: str, when: When, prefer: Prefer, day_time: DayTime, example: str
) -> datetime:
    """`text` as an aware UTC instant. A date without a time of day takes `day_time`:
    start (00:00), end (23:59) or close (the team's close of business)."""
    phrase = text.strip().rstrip(".")
    if not phrase:
        raise InputError(f"{field} needs a date or time, e.g. “Friday 5pm”", example=example)
    if len(phrase) > 80:
        raise InputError(f"{field} “{phrase[:40]}…” is too long to be a date", example=example)
    if written_out_of_range(phrase):
        raise out_of_range(field, f"“{phrase}”", example=example)
    phrase = _SHORTHAND.sub(lambda m: SHORTHAND[m.group(0).lower()], phrase)
    try:
        phrase, clock = typed_clock(phrase)
    except ValueError as problem:
        raise InputError(f"{field} “{phrase}”: {problem}", example=example) from None
    period: str | None  # dateparser's: time, day, week, month, year
    iso = _ISO.fullmatch(phrase)
    if iso:  # 2026-03-10 or 2026-03-10 14:00: exact already, and dateparser is slowest on it
        try:
            value, period = (
                datetime.fromisoformat(phrase.replace(" ", "T")),
                "time" if iso.group(1) else "day",
            )
        except ValueError:
            raise InputError(f"{field} “{phrase}” is not a calendar date", example=example) from None
    else:
        local_base = when.local_now().replace(tzinfo=None)
        quick = quick_parse(
            phrase, local_base, prefer
        )  # "yesterday 3pm", "Friday 5pm": dateparser's answer, fast
        if quick is not None:
            value, period = quick
        else:
            try:
                data = _parse_raw(phrase, local_base, prefer)
            except Exception:  # dateparser raises assorted errors on odd input; all mean "not a date"
                data = None
            if data is None or data.date_obj is None:
                raise InputError(f"{field} “{phrase}” is not a date or time I can read", example=example)
            value, period = data.date_obj, data.period
        if prefer == "future":
            value = _nearest_year(phrase, value, local_base)
        else:
            value = _not_last_year(phrase, value, local_base)
    if period is not None:
        period = settled_period(phrase, period)
    if clock is not None and (period != "time" or (value.hour, value.minute) != clock):
        raise InputError(f"{field} “{phrase}”: I could not read its time of day", example=example)
    if period in _VAGUE:
        raise InputError(
            f"{field} “{phrase}” is too vague; name a day (and a time if it matters)", example=example
        )
    if period == "day":
        value = _at_day_time(value, day_time, when.close)
    if not in_range(value):
        raise out_of_range(field, f"“{phrase}”", example=example)
    if value.tzinfo is None:
        value = value.replace(tzinfo=when.zone)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InputError(f"{field} “{phrase}” is out of range", example=example) from None


RECENT = timedelta(days=31)  # how far back a deadline typed without a year may be


def _nearest_year(phrase: str, value: datetime, base: datetime) -> datetime:
    """A month and day typed without a year: this year's when it is today or at most a month gone
    (an item logged late), else the coming one.

    dateparser's "future" moves any such date before now a year on, so `due 12/7` typed on
    7 December meant next December, and `due 11/25` for an item logged late next November. A date
    months gone (`due 1/2` typed in March) is still next year's: nobody logs a deadline that long
    past. Whether a past one is allowed is the field's rule. Relative phrases that cross New Year
    (`next fri` on 30 December) are kept as they are."""
    earlier = _this_years(phrase, value, base, moved=1)
    return earlier if earlier is not None and base - earlier <= RECENT else value


def _not_last_year(phrase: str, value: datetime, base: datetime) -> datetime:
    """A month and day typed without a year for a past field (`received`) that falls within the
    coming month is this year's: dateparser's "past" moved `received 12/8` typed on 7 December to
    last December — a receipt a year gone, every deadline of the item missed at once — where the
    typist almost surely slipped a day. This year's is then refused as in the future, by name."""
    later = _this_years(phrase, value, base, moved=-1)
    return later if later is not None and timedelta(0) < later - base <= RECENT else value


def _this_years(phrase: str, value: datetime, base: datetime, *, moved: int) -> datetime | None:
    """This year's date, when dateparser moved a date typed without a year `moved` years from it;
    else None (the phrase names its year, the date was not moved, or it is 29 February)."""
    if value.year != base.year + moved or _NAMES_YEAR.search(phrase):
        return None
    try:
        return value.replace(year=base.year)
    except ValueError:  # 29 February
        return None


def _at_day_time(value: datetime, day_time: DayTime, close: time) -> datetime:
    if day_time == "start":
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    if day_time == "end":
        return value.replace(hour=23, minute=59, second=0, microsecond=0)
    return value.replace(hour=close.hour, minute=close.minute, second=0, microsecond=0)


_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)\b", re.IGNORECASE
)
_UNIT = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
MAX_SNOOZE = timedelta(days=30)


def parse_snooze(text: str, *, example: str) -> timedelta:
    """ "1h", "90 minutes", "2 hours 30 min", "1 day", "an hour" -> timedelta (positive, ≤ 30 days)."""
    phrase = text.strip().lower()
    phrase = re.sub(r"^(for|by)\s+", "", phrase)
    phrase = re.sub(r"^(an?|one)\s+", "1 ", phrase)
    phrase = phrase.replace(" and ", " ").replace(",", " ")
    total = timedelta()
    position = 0
    for match in _DURATION_PART.finditer(phrase):
        if phrase[position : match.start()].strip():
            break
        unit = match.group(2)[0].lower()
        total += float(match.group(1)) * _UNIT[unit]
        position = match.end()
    if not phrase or position == 0 or phrase[position:].strip():
        raise InputError(
            f"snooze needs a duration like 1h, 30m or 2 days; “{text.strip()}” is not one", example=example
        )
    if total <= timedelta():
        raise InputError("snooze needs a duration longer than zero", example=example)
    if total > MAX_SNOOZE:
        raise InputError(
            "snooze can be at most 30 days; the deadline stays where it is either way", example=example
        )
    return total
