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
