"""Two closures on one day that overlap without being the same (docs/closures.md, "Two closures on
one day"): the calendar closes the union of their closed time, re-planning follows it both when
declaring and when cancelling either one, and `explain` shows the day as it was — closed, or open
for the hours left — never closed and open at once."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from bot.time.clock import SystemClock
from bot.time.closures import ClosureRequest
from storage.models import Deadline
from tests.closures.helpers import CONFIG, et, make

THU = date(2026, 12, 10)
WHOLE = ClosureRequest(THU, reason="snow")
AFTERNOON = ClosureRequest(THU, closes="13:00", reason="ice")  # closed Thursday 13:00-17:00


@pytest.fixture
def bot(sessions):
    return make(sessions, SystemClock())


def dues(sessions, inquiry_id: int) -> list[datetime]:
    with sessions() as s:
        rows = s.scalars(
            select(Deadline)
            .where(Deadline.inquiry_id == inquiry_id, Deadline.name == "first_response")
            .order_by(Deadline.id)
        )
        return [d.due_at for d in rows]


def current(bot, inquiry_id: int) -> str:
    """The current version's lines of `explain` (the last deadline given)."""
    lines = bot.service.explain(inquiry_id=inquiry_id)
    start = max(i for i, line in enumerate(lines) if line.startswith("First response due"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    return "\n".join(lines[start:end])


@pytest.mark.parametrize("first, second", [(WHOLE, AFTERNOON), (AFTERNOON, WHOLE)])
def test_thursday_all_day_and_thursday_afternoon_close_all_of_thursday_whichever_comes_first(
    bot, sessions, first, second
):
    with freeze_time(et(2026, 12, 8, 10)):  # Tue: 2 business days -> Thu 17:00
        item = bot.log("UALICE", needs_research=True)
    with freeze_time(et(2026, 12, 9, 8)):
        ids = [bot.closures.declare(actor="UADMIN", request=r).closure.id for r in (first, second)]
    assert bot.service.get(actor="UADMIN", inquiry_id=item.id).first_response_due == et(2026, 12, 11, 17)
    shown = current(bot, item.id)
    assert "Closed days skipped:" in shown and "Thu 10 Dec: " in shown
    assert "open 09:00-13:00" not in shown  # the afternoon closure does not reopen the morning

    with freeze_time(et(2026, 12, 9, 9)):  # lifting the whole-day one leaves Thursday morning open
        lifted = bot.closures.cancel(actor="UADMIN", closure_id=ids[[first, second].index(WHOLE)])
    assert lifted.moved == 1
    assert dues(sessions, item.id)[-1] == et(2026, 12, 10, 13)
    shown = current(bot, item.id)
    assert "Thu 10 Dec: open 09:00-13:00; early dismissal (closes 13:00): ice" in shown
    assert "Extra closures: 2026-12-10 open 09:00-13:00 (early dismissal (closes 13:00): ice)" in shown

    with freeze_time(et(2026, 12, 9, 10)):  # lifting the other too: back to a whole Thursday
        bot.closures.cancel(actor="UADMIN", closure_id=ids[[first, second].index(AFTERNOON)])
    assert dues(sessions, item.id)[-1] == et(2026, 12, 10, 17)
    assert "Short days" not in current(bot, item.id)


def test_a_delayed_arrival_and_an_early_dismissal_keep_the_hours_between_or_close_the_day(bot, sessions):
    with freeze_time(et(2026, 12, 9, 9)):  # Wed; ita 16 business hours: Wed 8 + Thu 8 -> Thu 17:00
        item = bot.log("UDAN")
    with freeze_time(et(2026, 12, 9, 12)):
        for request in (
            ClosureRequest(THU, team="support", closes="15:00", reason="ice"),
            ClosureRequest(THU, team="support", opens="11:00", reason="roads"),
        ):
            bot.closures.declare(actor="UADMIN", request=request)
    # Thursday 11:00-15:00 holds 4 hours: the other 4 are Fri 09:00-13:00.
    assert dues(sessions, item.id) == [et(2026, 12, 10, 17), et(2026, 12, 11, 11), et(2026, 12, 11, 13)]
    assert (
        "Thu 10 Dec: open 11:00-15:00; early dismissal (closes 15:00): ice; delayed arrival (opens 11:00): roads"
        in (current(bot, item.id))
    )

    with freeze_time(et(2026, 12, 9, 13)):  # opens 16:00, but closes at 15:00: nothing is left
        bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(THU, team="support", opens="16:00", reason="more")
        )
    assert dues(sessions, item.id)[-1] == et(2026, 12, 11, 17)
    shown = current(bot, item.id)
    assert "Closed days skipped:" in shown and "Short days" not in shown
    assert "Extra closures: 2026-12-10 closed (" in shown


def test_a_configured_closed_day_stays_closed_under_a_partial_one_declared_for_it(sessions):
    config = copy.deepcopy(CONFIG)
    config["teams"]["licensing"]["closures"] = [{"date": "2026-12-10", "reason": "Executive Order"}]
    bot = make(sessions, SystemClock(), config)
    with freeze_time(et(2026, 12, 9, 8)):
        # Declared for every team: support works that Thursday, so it is taken (for licensing alone
        # it would change nothing and is refused: test_closures_on_closed_days.py).
        bot.closures.declare(actor="UADMIN", request=AFTERNOON)
        item = bot.log("UALICE")  # Wed: 1 business day, Thursday closed -> Fri 17:00
    assert item.first_response_due == et(2026, 12, 11, 17)
    shown = current(bot, item.id)
    assert "Thu 10 Dec: closure: Executive Order" in shown and "Short days" not in shown
    assert (
        "Extra closures: 2026-12-10 closed (closure: Executive Order; early dismissal (closes 13:00): ice)"
        in (shown)
    )
    assert "open 09:00-13:00" not in shown
