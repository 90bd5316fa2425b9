"""Input that is accepted but worth a second look: the reply carries one warning line for each,
and nothing is refused (docs/record.md, "What a date means")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.time.calendar import BusinessCalendar

OLD_RECEIPT = timedelta(days=365)


@dataclass(frozen=True)
class Caution:
    what: str  # "old_receipt" | "closed_day" | "already_missed"
    field: str  # received | due | expect | first_response_due
    at: datetime
    reason: str | None = None  # why the day is closed ("Saturday", "Christmas Day", "closure: …")


def old_receipt(received: datetime, now: datetime) -> tuple[Caution, ...]:
    return (Caution("old_receipt", "received", received),) if now - received > OLD_RECEIPT else ()


def on_closed_day(calendar: BusinessCalendar, field: str, at: datetime | None) -> tuple[Caution, ...]:
    """A deadline someone set (an established deadline, a promised date) on a day the office is shut."""
    if at is None:
        return ()
    closed = calendar.closed_days_between(at, at)
    return (Caution("closed_day", field, at, closed[0][1]),) if closed else ()


def already_missed(first_response_due: datetime, now: datetime) -> tuple[Caution, ...]:
    """An item logged after its first-response deadline fell: the miss is decided now, in the
    period of the logging, never in the finished one the deadline fell in (docs/outcomes.md)."""
    if first_response_due < now:
        return (Caution("already_missed", "first_response_due", first_response_due),)
    return ()
