"""A closure declared for days the office is closed anyway — a federal holiday, a weekend, a day
closed in the config — for every team it names changes nothing, so it is refused with the day and
why, and nothing is stored; a range with open days in it is declared, and `explain` shows its closed
days closed, never open for the closure's hours (docs/closures.md, "Refused, with nothing stored")."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from bot.errors import InputError
from bot.time.clock import SystemClock
from bot.time.closures import ClosureRequest
from storage.models import Closure, Event, OutboxMessage
from tests.closures.helpers import CONFIG, et, make
from tests.closures.test_overlapping_closures import current

THANKSGIVING = date(2026, 11, 26)  # Thu


def stored(sessions) -> tuple[int, int, int]:
    with sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (Closure, Event, OutboxMessage))


@pytest.mark.parametrize(
    "request_, says",
    [
        (
            ClosureRequest(THANKSGIVING, team="licensing", closes="13:00", reason="ice"),
            "Thu 26 Nov 2026 is already closed for team licensing (Thanksgiving Day); "
            "an early dismissal there changes nothing",
        ),
        (
            ClosureRequest(THANKSGIVING, opens="11:00", reason="ice"),
            "Thu 26 Nov 2026 is already closed for every team (Thanksgiving Day); "
            "a delayed arrival there changes nothing",
        ),
        (
            ClosureRequest(
                date(2026, 11, 28), date(2026, 11, 29), team="support", closes="13:00", reason="ice"
            ),
            "Sat 28 Nov 2026 to Sun 29 Nov 2026 are already closed for team support (Saturday; Sunday); "
            "an early dismissal there changes nothing",
        ),
        (
            ClosureRequest(date(2026, 12, 25), date(2026, 12, 27), reason="snow"),
            "Fri 25 Dec 2026 to Sun 27 Dec 2026 are already closed for every team "
            "(Christmas Day; Saturday; Sunday); a closure there changes nothing",
        ),
    ],
)
def test_a_closure_on_days_closed_anyway_is_refused_and_nothing_is_stored(sessions, request_, says):
    bot = make(sessions, SystemClock())
    with freeze_time(et(2026, 11, 20, 10)):
        bot.log("UALICE")
        before = stored(sessions)
        with pytest.raises(InputError) as refused:
            bot.closures.declare(actor="UADMIN", request=request_)
    assert str(refused.value) == says
    assert stored(sessions) == before and bot.closures.list() == []


def test_a_partial_closure_on_a_day_closed_in_the_config_is_refused_for_that_team(sessions):
    config = copy.deepcopy(CONFIG)
    config["teams"]["licensing"]["closures"] = [{"date": "2026-12-10", "reason": "Executive Order"}]
    bot = make(sessions, SystemClock(), config)
    with freeze_time(et(2026, 12, 9, 8)), pytest.raises(InputError) as refused:
        bot.closures.declare(
            actor="UADMIN",
            request=ClosureRequest(date(2026, 12, 10), team="licensing", closes="13:00", reason="x"),
        )
    assert str(refused.value) == (
        "Thu 10 Dec 2026 is already closed for team licensing (closure: Executive Order); "
        "an early dismissal there changes nothing"
    )
    assert bot.closures.list() == []


def test_a_day_closed_by_a_live_closure_still_takes_a_partial_one(sessions):
    """A live closure can be cancelled, and then the partial one declared beside it is what stands."""
    bot = make(sessions, SystemClock())
    with freeze_time(et(2026, 12, 9, 8)):
        bot.closures.declare(actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), reason="snow"))
        bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), closes="13:00", reason="ice")
        )
    assert len(bot.closures.list()) == 2


def test_a_range_over_a_holiday_and_a_weekend_is_declared_and_its_closed_days_show_closed(sessions):
    bot = make(sessions, SystemClock())
    with freeze_time(et(2026, 11, 20, 10)):
        declared = bot.closures.declare(
            actor="UADMIN",
            request=ClosureRequest(
                date(2026, 11, 25), date(2026, 11, 30), team="licensing", closes="13:00", reason="snow"
            ),
        )
    assert declared.closure.id == 1
    with freeze_time(et(2026, 11, 24, 10)):  # Tue; 2 business days: Wed, then Fri (Thu is Thanksgiving)
        item = bot.log("UALICE", needs_research=True)
    assert item.first_response_due == et(2026, 11, 27, 13)
    shown = current(bot, item.id)
    assert "Thu 26 Nov: Thanksgiving Day" in shown
    assert "Wed 25 Nov: open 09:00-13:00; early dismissal (closes 13:00): snow" in shown
    assert "Fri 27 Nov: open 09:00-13:00; early dismissal (closes 13:00): snow" in shown
    assert "Thu 26 Nov: open" not in shown
    assert (
        "Extra closures: 2026-11-25 open 09:00-13:00 (early dismissal (closes 13:00): snow), "
        "2026-11-26 closed (Thanksgiving Day; early dismissal (closes 13:00): snow), "
        "2026-11-27 open 09:00-13:00 (early dismissal (closes 13:00): snow), "
        "2026-11-28 closed (Saturday; early dismissal (closes 13:00): snow), "
        "2026-11-29 closed (Sunday; early dismissal (closes 13:00): snow), "
        "2026-11-30 open 09:00-13:00 (early dismissal (closes 13:00): snow)"
    ) in shown
