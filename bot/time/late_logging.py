"""How long after its stated receipt an item was logged, in business days (docs/record.md).

Whoever logs an item states when it was received, and the deadlines run from that instant; an item
logged days later is on the holder's record from the start. So it is visible: the holder's DM
names who logged it and the receipt time given, and the report's evidence marks items logged more
than one business day after receipt. This is also the fact a holder would cite to dispute the
outcome (the dispute flow reads `logged_business_days_after_receipt` from the `logged` event).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.time.calendar import BusinessCalendar

MARK_AFTER = 1  # business days: more than this is marked in the evidence


def business_days_after_receipt(calendar: BusinessCalendar, received: datetime, logged: datetime) -> int:
    """Business days after the receipt's local date up to and including the logging's local date."""
    first = received.astimezone(calendar.tz).date()
    last = logged.astimezone(calendar.tz).date()
    if last <= first:
        return 0
    if (last - first).days > 800:  # a receipt years back: count roughly, the mark is what matters
        return (last - first).days * 5 // 7
    days, day = 0, first
    while day < last:
        day += timedelta(days=1)
        days += calendar.is_business_day(day)
    return days


def logged_late(
    calendar: BusinessCalendar, received: datetime, logged: datetime, recorded: int | None = None
) -> int | None:
    """The delay in business days when it is worth marking, else None. `recorded`: the delay the
    `logged` event stored when the item was logged, which wins — a closure declared afterwards for
    a day in between must not rewrite a finished period's evidence (docs/record.md)."""
    days = recorded if recorded is not None else business_days_after_receipt(calendar, received, logged)
    return days if days > MARK_AFTER else None
