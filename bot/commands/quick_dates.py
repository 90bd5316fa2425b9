"""The everyday date phrases ("yesterday 3pm", "Friday 5pm", "today", "mon at 9:30am") read
without dateparser, with exactly dateparser's answer.

dateparser takes about 1 ms a phrase (language tables, a chain of parsers, many regexes); these few
forms are most of what people type, and this reads them in microseconds. Anything else returns
None and goes to dateparser. tests/pure/test_quick_dates.py checks every form against dateparser
itself over bases on every weekday, times on either side of the phrase's, and the exact instant.

What dateparser does with these forms (PREFER_DATES_FROM, RETURN_TIME_AS_PERIOD, naive local
RELATIVE_BASE), which this copies:
- today / yesterday / tomorrow: the base moved by 0 / -1 / +1 day, keeping the base's time; with a
  time of day, that day at that time. The period is "time" unless the time equals the base's own
  to the microsecond (then nothing changed, and dateparser says "day").
- a weekday: its date strictly before today (prefer past) or strictly after (prefer future), so
  the same weekday as today means a week away; at 00:00 without a time, else at the time ("time").
- a time on its own is NOT read here: dateparser compares it with the base shifted by the
  machine's own UTC offset, a quirk not worth copying for a rare form.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_DAY = "|".join(sorted([*RELATIVE, *WEEKDAYS], key=len, reverse=True))
# 3pm, 3 pm, 3:30pm, 3:30 pm (1-12), noon; 15:00 / 09:00 / 9:00 (0-23) only after the day
# (dateparser refuses "15:00 mon")
_HALF_DAY = r"(?:1[0-2]|0?[1-9])(?::[0-5]\d)? ?[ap]m|noon"
_TIME = rf"{_HALF_DAY}|(?:[01]?\d|2[0-3]):[0-5]\d"
_PHRASE = re.compile(
    rf"(?P<day>{_DAY})(?: (?:at )?(?P<time>{_TIME}))?|(?P<time_first>{_HALF_DAY}) (?P<day_last>{_DAY})",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(\d{1,2})(?::(\d\d))? ?([ap]m)?", re.IGNORECASE)


def quick_parse(phrase: str, base: datetime, prefer: str) -> tuple[datetime, str] | None:
    """(naive local datetime, period) as dateparser would give it, or None: ask dateparser."""
    match = _PHRASE.fullmatch(phrase)
    if match is None:
        return None
    day = (match.group("day") or match.group("day_last")).lower()
    clock = match.group("time") or match.group("time_first")
    at = _clock(clock) if clock else None
    if day in RELATIVE:
        moved = base + timedelta(days=RELATIVE[day])
        if at is None:
            return moved, "day"
        timed = moved.replace(hour=at[0], minute=at[1], second=0, microsecond=0)
        return timed, "time" if timed != moved else "day"
    target = WEEKDAYS[day]
    if prefer == "future":
        steps = (target - base.weekday()) % 7 or 7
    else:
        steps = -((base.weekday() - target) % 7 or 7)
    date = base.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=steps)
    if at is None:
        return date, "day"
    return date.replace(hour=at[0], minute=at[1]), "time"


def _clock(text: str) -> tuple[int, int]:
    if text.lower() == "noon":
        return 12, 0
    match = _CLOCK.fullmatch(text)
    assert match is not None  # _PHRASE admitted it
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        hour = hour % 12 + (12 if half == "pm" else 0)
    return hour, minute
