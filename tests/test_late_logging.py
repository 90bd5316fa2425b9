"""Late logging (docs/record.md): the evidence marks an item logged MORE than one business day after
its stated receipt, counted on the team's calendar (weekends and holidays do not count)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.time.calendar import BusinessCalendar
from bot.time.late_logging import business_days_after_receipt, logged_late

NY = ZoneInfo("America/New_York")
CAL = BusinessCalendar("America/New_York")


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


@pytest.mark.parametrize(
    "received, logged, days, marked",
    [
        (ny(2026, 2, 27, 9), ny(2026, 2, 27, 16), 0, None),  # the same day
        (ny(2026, 2, 26, 16), ny(2026, 2, 27, 9), 1, None),  # the next business day: not marked
        (ny(2026, 2, 27, 16), ny(2026, 3, 2, 9), 1, None),  # Fri -> Mon: the weekend does not count
        (ny(2026, 2, 26, 9), ny(2026, 3, 2, 9), 2, 2),  # Thu -> Mon: two business days, marked
        (ny(2026, 2, 27, 9), ny(2026, 3, 4, 10), 3, 3),  # the "3 business days after receipt"
        (ny(2026, 12, 24, 9), ny(2026, 12, 28, 9), 1, None),  # Fri 25 Dec is a holiday
        (ny(2026, 3, 4, 9), ny(2026, 3, 3, 9), 0, None),  # a receipt after the logging counts nothing
    ],
)
def test_only_more_than_one_business_day_is_marked(received, logged, days, marked):
    assert business_days_after_receipt(CAL, received, logged) == days
    assert logged_late(CAL, received, logged) == marked
