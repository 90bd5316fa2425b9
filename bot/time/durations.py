"""Durations written as text in policies: "16 business hours", "2 business days", "7 calendar days".

A unit is always said: "16 hours" is refused because business and calendar hours differ by days.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.time.calendar import BusinessCalendar

UNITS = ("business_hours", "business_days", "calendar_days")
_WORDS = {
    "business_hours": ("business hour", "business hours"),
    "business_days": ("business day", "business days"),
    "calendar_days": ("calendar day", "calendar days"),
}
_TEXT = re.compile(
    r"^\s*(?P<amount>\d+(?:\.\d+)?)\s+(?:(?P<kind>business|calendar)\s+(?P<unit>hours?|days?|weeks?)"
    r"|(?P<weeks>weeks?))\s*$",
    re.IGNORECASE,
)
_EXAMPLES = '"16 business hours", "2 business days", "7 calendar days" or "1 week"'


@dataclass(frozen=True)
class Duration:
    amount: int | float
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ConfigError(f"duration unit {self.unit!r} is not one of {', '.join(UNITS)}")
        amount = self.amount
        if (
            isinstance(amount, bool)
            or not isinstance(amount, (int, float))
            or not math.isfinite(amount)
            or amount < 0
        ):
            raise ConfigError(f"duration amount {amount!r} must be a number, 0 or more")
        if amount == int(amount):
            object.__setattr__(self, "amount", int(amount))
        elif self.unit != "business_hours":
            raise ConfigError(f"duration {amount!r} {self.unit}: days are counted whole; use hours for parts")

    def apply(self, calendar: BusinessCalendar, start: datetime) -> datetime:
        if self.unit == "business_hours":
            return calendar.add_business_hours(start, self.amount)
        if self.unit == "business_days":
            return calendar.add_business_days(start, self.amount)
        return calendar.add_calendar_days(start, self.amount)

    def __str__(self) -> str:
        singular, plural = _WORDS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"


def parse_duration(text: str | Duration, *, field: str | None = None, positive: bool = False) -> Duration:
    """'16 business hours' -> Duration(16, 'business_hours'). 'N week(s)' = 7N calendar days.
    positive: refuse zero (a policy's deadline or a reminder "0 days" away is a typo)."""
    if isinstance(text, Duration):
        return text
    where = f"{field}: " if field else ""
    match = _TEXT.match(text) if isinstance(text, str) else None
    if not match:
        raise ConfigError(f"{where}{text!r} is not a duration; write e.g. {_EXAMPLES}")
    amount = float(match["amount"])
    if positive and amount <= 0:
        raise ConfigError(f"{where}{text!r} is not more than zero; write e.g. {_EXAMPLES}")
    if match["weeks"]:
        return _checked(where, text, amount * 7, "calendar_days")
    kind, unit = match["kind"].lower(), match["unit"].lower().rstrip("s")
    if unit == "week" and kind == "calendar":
        return _checked(where, text, amount * 7, "calendar_days")
    if unit == "week" or (kind == "calendar" and unit == "hour"):
        raise ConfigError(f"{where}{text!r}: {kind} {unit}s are not a deadline unit; write e.g. {_EXAMPLES}")
    return _checked(where, text, amount, f"{kind}_{unit}s")


def _checked(where: str, text: str, amount: float, unit: str) -> Duration:
    try:
        return Duration(amount, unit)
    except ConfigError as error:
        raise ConfigError(f"{where}{text!r}: {error}") from None
