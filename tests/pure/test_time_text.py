"""How time is written for people (bot/time/instants.py), form by form, as the texts have always
said it: one module, several forms, each pinned here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.time import instants

NY = ZoneInfo("America/New_York")


def test_an_instant_in_the_readers_zone():
    at = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)  # 6 pm EST
    assert instants.when(at, "America/New_York") == "Fri 6 Mar 2026, 6:00 PM EST"
    assert instants.when(at, NY, clock24=True) == "Fri 6 Mar 2026 18:00 EST"
    assert instants.day(at, "America/Los_Angeles") == "Fri 6 Mar 2026"
    assert instants.time_of_day(datetime(2026, 12, 10, 10, 10, tzinfo=UTC), NY) == "05:10"
    assert instants.when(None, NY) == instants.day(None, "UTC") == "—"


def test_dates_and_closure_ranges():
    assert instants.date_text(date(2026, 11, 26)) == "Thu 26 Nov 2026"
    assert instants.date_text(date(2026, 11, 26), year=False) == "Thu 26 Nov"
    assert instants.date_range(date(2026, 12, 10), date(2026, 12, 10)) == "Thu 10 Dec 2026"
    assert instants.date_range(date(2026, 10, 1), date(2026, 11, 12)) == "Thu 1 Oct – Thu 12 Nov 2026"
    assert instants.date_range(date(2026, 12, 31), date(2027, 1, 4)) == "Thu 31 Dec 2026 – Mon 4 Jan 2027"


def test_the_digest_notices_week_and_the_report_periods_keep_their_own_forms():
    assert instants.week_range(date(2026, 11, 2), date(2026, 11, 8)) == "Mon 02 Nov – Sun 08 Nov 2026"
    assert instants.period_span(date(2026, 11, 16), date(2026, 11, 16)) == "Mon Nov 16, 2026"
    assert instants.period_span(date(2026, 11, 16), date(2026, 11, 22)) == "Nov 16 – Nov 22, 2026"
    assert instants.period_span(date(2026, 12, 28), date(2027, 1, 3)) == "Dec 28, 2026 – Jan 3, 2027"
    assert instants.long_date(datetime(2026, 11, 5, 23, 30, tzinfo=UTC)) == "November 5, 2026"
