"""Whether a date phrase names a time of day (docs/record.md, "What a date means").

dateparser (with RETURN_TIME_AS_PERIOD) calls its answer a "day" when the time it read equals the
base instant's own time: `today 4pm` typed at exactly 16:00 comes back as a "day", and a "day"
means "no time given", which we turn into the field's day time (00:00 for a receipt). The phrase,
not that coincidence, decides: a phrase with a time of day in it is a time.
"""

from __future__ import annotations

import re

_NAMES_TIME = re.compile(
    r"\b\d{1,2}(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)(?![a-z])|\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\b(?:noon|midnight)\b",
    re.IGNORECASE,
)


def names_time(phrase: str) -> bool:
    return _NAMES_TIME.search(phrase) is not None


def settled_period(phrase: str, period: str) -> str:
    """dateparser's period, except that a phrase naming a time of day is always a time."""
    return "time" if period == "day" and names_time(phrase) else period


# 9.30am / 9.30 -> 9:30am / 9:30 (not inside 12.25.2026 or 3/9.30)
_DOT_CLOCK = re.compile(r"(?<![\d./])(\d{1,2})\.(\d{2})(?![\d./])")
# every clock-like token: 25:00, 9:75, 4:15 pm (checked for range)
_COLON_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])(?:\s*([ap])\.?m\b\.?)?", re.IGNORECASE)
# an hour with nothing saying morning or afternoon: "at 4", "monday 9"
_DAY_WORD = r"today|tomorrow|yesterday|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_BARE_HOUR = re.compile(
    rf"(?:\bat\s+|\b(?:{_DAY_WORD})\s+)(\d{{1,2}})(?![\d:./]|\s*[ap]\.?m\b|\s*(?:st|nd|rd|th)\b)",
    re.IGNORECASE,
)


def typed_clock(phrase: str) -> tuple[str, tuple[int, int] | None]:
    """The phrase with a dotted time written with a colon, and the time of day it names, if one.

    dateparser drops a time it cannot read and answers with the day alone (`tomorrow 25:00` was
    tomorrow at the field's day time, `today at 4` midnight) or misreads one (`9.30am` was 10:00):
    a time it cannot read is a ValueError naming it, and the caller checks the answer against it.
    """
    phrase = _DOT_CLOCK.sub(r"\1:\2", phrase)
    bare = _BARE_HOUR.search(phrase)
    if bare is not None:
        hour = bare.group(1)
        shown = bare.group(0).strip() if bare.group(0).lower().startswith("at") else hour
        twelve = int(hour) % 12 or 12
        raise ValueError(
            f"“{shown}” could be {twelve}am or {twelve}pm; write {twelve}pm or {twelve % 12 + 12}:00"
        )
    named = None
    for match in _COLON_CLOCK.finditer(phrase):
        hour, minute, half = int(match.group(1)), int(match.group(2)), (match.group(3) or "").lower()
        valid = minute < 60 and (1 <= hour <= 12 if half else hour < 24)
        if not valid:
            raise ValueError(f"“{match.group(0).strip()}” is not a time of day; write e.g. 4:30pm or 16:30")
        if half:
            hour = hour % 12 + (12 if half == "p" else 0)
        named = (hour, minute)
    return phrase, named
