"""`:time in 2 days` in the shell: a relative move keeps the time of day (docs/messages.md).

dateparser reads "in 2 days" as a date without a time, which the shell's start-of-day rule then
put at midnight; a tester moving two days ahead at 10:00 expects to land on 10:00. Days and weeks
are counted on the local wall clock (so a DST change does not shift the hour), minutes and hours
as elapsed time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_RELATIVE = re.compile(
    r"^in\s+(an?|one|\d+(?:\.\d+)?)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)$", re.IGNORECASE
)
_UNIT = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def relative_move(phrase: str, now: datetime, tz: str) -> datetime | None:
    """The instant "in N units" after `now` (aware UTC), or None if `phrase` is not of that form."""
    match = _RELATIVE.match(phrase.strip().rstrip("."))
    if match is None:
        return None
    amount = 1.0 if match.group(1).lower() in ("a", "an", "one") else float(match.group(1))
    step = amount * _UNIT[match.group(2)[0].lower()]
    if step.days or step >= timedelta(days=1):  # whole days: the same wall-clock time
        local = now.astimezone(ZoneInfo(tz)).replace(tzinfo=None) + step
        return local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
    return now + step
