"""`explain` on days a closure shortened: a deadline counted across a delayed arrival or an early
dismissal names that day with the hours it was actually open, so the reader sees why the deadline
is where it is (docs/closures.md, `explain`)."""

from __future__ import annotations

from datetime import date

import pytest
from freezegun import freeze_time

from bot.time.clock import SystemClock
from bot.time.closures import ClosureRequest
from tests.closures.helpers import et, make


@pytest.fixture
def bot(sessions):
    return make(sessions, SystemClock())


def explain(bot, inquiry_id: int) -> str:
    return "\n".join(bot.service.explain(inquiry_id=inquiry_id))


def test_an_early_dismissal_declared_mid_week_shows_the_short_day_in_explain(bot):
    with freeze_time(et(2026, 12, 8, 10)):  # Tue
        days = bot.log("UALICE", needs_research=True)  # 2 business days: Thu 10 Dec 17:00
    with freeze_time(et(2026, 12, 9, 10)):  # Wed
        hours = bot.log("UDAN")  # ita, 16 business hours: Wed 7 + Thu 8 + Fri 1 -> Fri 10:00
    assert (days.first_response_due, hours.first_response_due) == (et(2026, 12, 10, 17), et(2026, 12, 11, 10))

    with freeze_time(et(2026, 12, 9, 14)):  # Wed 14:00: Thursday closes at 15:00
        bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), closes="15:00", reason="weather")
        )
    with freeze_time(et(2026, 12, 9, 15)):
        after = bot.log("UALICE")  # logged after the declaration: 1 business day, Thu's close is 15:00

    shown = {item.id: bot.service.get(actor="UADMIN", inquiry_id=item.id) for item in (days, hours, after)}
    assert shown[days.id].first_response_due == et(2026, 12, 10, 15)
    assert shown[hours.id].first_response_due == et(2026, 12, 11, 12)  # Thu holds 6 hours, not 8
    assert shown[after.id].first_response_due == et(2026, 12, 10, 15)

    # The re-planned versions (rendered from stored facts) and a plan made on the short calendar
    # (its lines stored) both say Thursday was short, and its real hours.
    short = "Thu 10 Dec: open 09:00-15:00; early dismissal (closes 15:00): weather"
    for item in (days, hours, after):
        text = explain(bot, item.id)
        assert short in text, text
        assert "2026-12-10 open 09:00-15:00 (early dismissal (closes 15:00): weather)" in text
        assert "00:00-15:00" not in text  # the closure's own window is not the day's hours
    # The superseded versions were counted on a full Thursday: nothing short is claimed for them.
    version_1 = explain(bot, days.id).split("(version 2, current)")[0]
    assert "open 09:00-15:00" not in version_1


def test_a_short_day_outside_the_window_is_not_listed(bot):
    with freeze_time(et(2026, 12, 7, 10)):  # Mon
        bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), opens="11:00", reason="weather")
        )
        item = bot.log("UALICE")  # 1 business day: Tue 8 Dec 17:00, before Thursday
    text = explain(bot, item.id)
    assert "Short days" not in text
    assert "2026-12-10 open 11:00-17:00 (delayed arrival (opens 11:00): weather)" in text  # the calendar used
