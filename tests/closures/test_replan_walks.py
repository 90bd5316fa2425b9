"""Closures declared while the bot runs, walked through with the clock frozen (freezegun): which
pending deadlines move, what is stored (a new version, the old kept), what people are told."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from bot.lifecycle.outcome_job import decide_fallen
from bot.scheduling.reminder_pass import run_reminders
from bot.time.clock import SystemClock
from bot.time.closures import ClosureRequest
from storage.models import Closure, Deadline, Event, Outcome
from tests.closures.helpers import ET, et, make, outbox_of


@pytest.fixture
def bot(sessions):
    return make(sessions, SystemClock())


def deadlines(sessions, inquiry_id: int, name: str = "first_response") -> list[datetime]:
    with sessions() as s:
        rows = s.scalars(
            select(Deadline)
            .where(Deadline.inquiry_id == inquiry_id, Deadline.name == name)
            .order_by(Deadline.id)
        )
        return [d.due_at for d in rows]


def outcomes(sessions) -> list[tuple]:
    with sessions() as s:
        rows = s.scalars(select(Outcome).order_by(Outcome.id))
        return [(o.inquiry_id, o.kind, o.fact, o.outcome, o.deadline) for o in rows]


def test_snow_day_declared_at_six_on_a_deadline_day_moves_it_and_tells_the_holder_once(bot, sessions):
    with freeze_time(et(2026, 12, 9, 10)):  # Wed
        item = bot.log("UALICE", assignee="UBOB")  # 1 business day: due Thu 10 Dec 17:00
        other = bot.log("UALICE")  # acknowledged before the snow day: its outcome is decided
        bot.service.acknowledge(actor="UALICE", inquiry_id=other.id)
    assert item.first_response_due == et(2026, 12, 10, 17)

    with freeze_time(et(2026, 12, 10, 6)):
        result = bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), reason="weather")
        )
        shown = bot.service.get(actor="UBOB", inquiry_id=item.id)

    assert result.moved == 1
    # The answered item's on-time outcome, decided when it was acknowledged, is not touched.
    assert outcomes(sessions) == [(other.id, "first_response", "decided", "on_time", et(2026, 12, 10, 17))]
    assert shown.first_response_due == et(2026, 12, 11, 17)
    assert deadlines(sessions, item.id) == [et(2026, 12, 10, 17), et(2026, 12, 11, 17)]
    assert deadlines(sessions, other.id) == [et(2026, 12, 10, 17)]
    assert shown.next_action_at == et(2026, 12, 10, 6)  # the scheduler re-derives the nudges now
    explain = "\n".join(bot.service.explain(inquiry_id=item.id))
    assert "First response due (version 1, superseded) Thu 10 Dec 2026 17:00 EST" in explain
    assert "First response due (version 2, current) Fri 11 Dec 2026 17:00 EST" in explain
    assert "Re-planned: office closed: weather, declared by <@UADMIN> at 06:00." in explain
    assert "Thu 10 Dec: closure: weather" in explain
    [dm] = outbox_of(sessions, "closure", channel="UBOB")
    assert "INQ-1: now due Fri 11 Dec 2026 17:00 EST (was Thu 10 Dec 2026 17:00 EST)" in dm.text
    [note] = outbox_of(sessions, "closure", channel="CTEAM")
    assert note.text == (
        "Office closed Thu 10 Dec 2026 (weather), declared by <@UADMIN>. 1 item moved; "
        "first responses now due Fri 11 Dec 2026 17:00 EST."
    )
    [other_team] = outbox_of(sessions, "closure", channel="CSUP")  # every team: each channel, once
    assert other_team.text.endswith("No pending deadline moved.")
    with sessions() as s:
        [moved] = s.scalars(select(Event).where(Event.type == "deadline_moved")).all()
        assert (moved.inquiry_id, moved.actor, moved.payload["to"]) == (
            item.id,
            "UADMIN",
            et(2026, 12, 11, 17).isoformat(),
        )
        stored = s.scalars(select(Closure)).one()
        assert (stored.declared_by, stored.reason, stored.first_day) == (
            "UADMIN",
            "weather",
            date(2026, 12, 10),
        )

    # The escalation follows the new deadline: nothing is overdue at Thu 17:00, it is at Fri 17:00.
    for hour_day in ((10, 17), (11, 16)):
        with freeze_time(et(2026, 12, hour_day[0], hour_day[1], 30)):
            run_reminders(sessions, bot.config, SystemClock())
    assert outbox_of(sessions, "overdue") == []
    with freeze_time(et(2026, 12, 11, 17, 1)):
        run_reminders(sessions, bot.config, SystemClock())
    assert [m.channel for m in outbox_of(sessions, "overdue")][:1] == ["UBOB"]
    # Every nudge and escalation step taken was about the new deadline, none about the old one.
    with sessions() as s:
        steps = [
            (e.payload["step"], e.payload["deadline"])
            for e in s.scalars(select(Event).where(Event.inquiry_id == item.id).order_by(Event.id))
            if "step" in e.payload
        ]
    assert len(steps) >= 2 and {d for _, d in steps} == {et(2026, 12, 11, 17).astimezone(UTC).isoformat()}, (
        steps
    )


def test_delayed_arrival_and_early_dismissal_against_sixteen_business_hours(bot, sessions):
    with freeze_time(et(2026, 12, 9, 9)):  # Wed 09:00; ita: 16 business hours -> Thu 17:00
        item = bot.log("UDAN")
    assert item.first_response_due == et(2026, 12, 10, 17)

    with freeze_time(et(2026, 12, 10, 6)):
        bot.closures.declare(
            actor="UADMIN",
            request=ClosureRequest(date(2026, 12, 10), team="support", opens="11:00", reason="weather"),
        )
    # Thu holds 6 hours (11:00-17:00): the last 2 are Fri 09:00-11:00.
    assert deadlines(sessions, item.id) == [et(2026, 12, 10, 17), et(2026, 12, 11, 11)]

    with freeze_time(et(2026, 12, 10, 12)):
        bot.closures.declare(
            actor="UADMIN",
            request=ClosureRequest(
                date(2026, 12, 10), team="support", closes="15:00", reason="weather worsening"
            ),
        )
    # Thu 11:00-15:00 is 4 hours: Fri 09:00-13:00 gives the other 4.
    assert deadlines(sessions, item.id) == [et(2026, 12, 10, 17), et(2026, 12, 11, 11), et(2026, 12, 11, 13)]
    explain = "\n".join(bot.service.explain(inquiry_id=item.id))
    assert (
        "Re-planned: early dismissal (closes 15:00): weather worsening, declared by <@UADMIN> at 12:00."
        in explain
    )
    assert "(version 3, current) Fri 11 Dec 2026 13:00 EST" in explain
    # The other team (department preset, no closure declared for it) is untouched.
    assert outbox_of(sessions, "closure", channel="CTEAM") == []
    assert [m.channel for m in outbox_of(sessions, "closure", channel="CSUP")] == ["CSUP", "CSUP"]


def test_a_43_day_shutdown_with_items_received_before_during_and_after(bot, sessions):
    with freeze_time(et(2026, 9, 28, 10)):  # Mon
        decided = bot.log("UALICE")  # due Tue 29 Sep 17:00: passes before the shutdown is declared
    with freeze_time(et(2026, 9, 29, 10)):
        before = bot.log("UALICE", needs_research=True)  # 2 business days: Thu 1 Oct 17:00
        far = bot.log("UALICE", kind="written")  # 7 calendar days: Tue 6 Oct 17:00
    with freeze_time(et(2026, 9, 30, 18)):
        result = bot.closures.declare(
            actor="UADMIN",
            request=ClosureRequest(date(2026, 10, 1), date(2026, 11, 12), reason="lapse in appropriations"),
        )
    assert result.moved == 2
    assert deadlines(sessions, decided.id) == [et(2026, 9, 29, 17)]
    # Wed 30 Sep was the 1st business day; the 2nd is the first day back, Fri 13 Nov.
    assert deadlines(sessions, before.id)[-1] == et(2026, 11, 13, 17)
    assert deadlines(sessions, far.id)[-1] == et(2026, 11, 13, 17)  # rolled forward past the closure
    with freeze_time(et(2026, 10, 20, 11)):
        during = bot.log("UALICE")  # the clock starts at the first opening, Fri 13 Nov: 1 day -> Mon
    with freeze_time(et(2026, 11, 16, 10)):
        after = bot.log("UALICE")
    assert during.first_response_due == et(2026, 11, 16, 17)
    assert after.first_response_due == et(2026, 11, 17, 17)
    [dm] = outbox_of(sessions, "closure", channel="UALICE")  # the holder is told once, of both items
    assert f"{before.ref}: now due Fri 13 Nov 2026 17:00 EST" in dm.text
    assert f"{far.ref}: now due Fri 13 Nov 2026 17:00 EST" in dm.text
    [note] = outbox_of(sessions, "closure", channel="CTEAM")
    assert "Office closed Thu 1 Oct – Thu 12 Nov 2026 (lapse in appropriations)" in note.text
    assert "2 items moved; first responses now due Fri 13 Nov 2026 17:00 EST." in note.text


def test_cancelling_restores_the_earlier_deadlines(bot, sessions):
    with freeze_time(et(2026, 12, 9, 10)):
        item = bot.log("UALICE", assignee="UBOB")
    with freeze_time(et(2026, 12, 10, 6)):
        declared = bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), reason="weather")
        )
    with freeze_time(et(2026, 12, 10, 7, 15)):
        result = bot.closures.cancel(actor="UADMIN", closure_id=declared.closure.id)
        fresh = bot.log("UALICE")
    assert result.moved == 1
    assert deadlines(sessions, item.id) == [et(2026, 12, 10, 17), et(2026, 12, 11, 17), et(2026, 12, 10, 17)]
    assert fresh.first_response_due == et(2026, 12, 11, 17)  # logged Thu 07:15: Thu is open again
    explain = "\n".join(bot.service.explain(inquiry_id=item.id))
    assert "closure #1 (office closed: weather, Thu 10 Dec 2026) cancelled by <@UADMIN> at 07:15" in explain
    dms = outbox_of(sessions, "closure", channel="UBOB")
    assert (
        len(dms) == 2 and "now due Thu 10 Dec 2026 17:00 EST (was Fri 11 Dec 2026 17:00 EST)" in dms[1].text
    )
    with sessions() as s:
        stored = s.scalars(select(Closure)).one()
    assert (stored.cancelled_by, stored.cancelled_at) == ("UADMIN", et(2026, 12, 10, 7, 15))
    assert [c.cancelled_by for c in bot.closures.list()] == ["UADMIN"]


def test_a_closure_declared_after_a_deadline_passed_moves_nothing(bot, sessions):
    with freeze_time(et(2026, 12, 8, 10)):  # Tue
        item = bot.log("UALICE", assignee="UBOB")  # due Wed 9 Dec 17:00
    with freeze_time(et(2026, 12, 10, 8)):
        assert decide_fallen(sessions, bot.config, SystemClock()) == 1  # the miss is decided
        decided = outcomes(sessions)
        with pytest.raises(Exception, match="in the past"):
            bot.closures.declare(actor="UADMIN", request=ClosureRequest(date(2026, 12, 9), reason="weather"))
        result = bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(date(2026, 12, 9), reason="weather", past=True)
        )
        assert decide_fallen(sessions, bot.config, SystemClock()) == 0
    assert result.moved == 0
    assert (
        outcomes(sessions)
        == decided
        == [(item.id, "first_response", "decided", "missed", et(2026, 12, 9, 17))]
    )
    assert deadlines(sessions, item.id) == [et(2026, 12, 9, 17)]
    assert outbox_of(sessions, "closure", channel="UBOB") == []
    [note] = outbox_of(sessions, "closure", channel="CTEAM")
    assert note.text.endswith("No pending deadline moved.")


def test_time_zone_of_helpers_is_new_york():
    assert str(ET) == "America/New_York"


def first_response_report(bot, sessions, week: str, today: date) -> tuple[int, int, int]:
    """(deadlines, on time, missed) of the licensing team's report for `week`, as a supervisor reads it."""
    from bot.reports.build import build_report
    from bot.reports.periods import parse_period

    with sessions() as s:
        r = build_report(
            s,
            bot.config,
            kind="team",
            subject="licensing",
            now=datetime.now(UTC),
            period=parse_period(week, today=today),
            detail=False,
        )
    return r.totals.deadlines, r.totals.on_time, r.totals.missed


def test_a_closure_declared_wednesday_noon_for_thursday_moves_the_outcome_too(bot, sessions):
    """A user saw the deadline move to Friday, yet the scheduler recorded a miss on the closed Thursday
    at 17:00, and Friday's on-time answer turned that miss into 'late'."""
    week = "2026-12-07..2026-12-13"
    with freeze_time(et(2026, 12, 9, 10)):  # Wed
        item = bot.log("UALICE", assignee="UBOB")  # due Thu 10 Dec 17:00
    with freeze_time(et(2026, 12, 9, 12)):
        bot.closures.declare(actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), reason="snow"))
    with freeze_time(et(2026, 12, 10, 17, 30)):  # the old deadline passes on the closed day
        assert decide_fallen(sessions, bot.config, SystemClock()) == 0
        assert outcomes(sessions) == []
    with freeze_time(et(2026, 12, 11, 10)):  # Fri: answered well before the new deadline
        bot.service.acknowledge(actor="UBOB", inquiry_id=item.id)
    assert outcomes(sessions) == [(item.id, "first_response", "decided", "on_time", et(2026, 12, 11, 17))]
    with freeze_time(et(2026, 12, 14, 9)):
        assert first_response_report(bot, sessions, week, date(2026, 12, 14)) == (1, 1, 0)


def test_a_closure_lifted_again_brings_the_outcome_back_to_the_first_deadline(bot, sessions):
    with freeze_time(et(2026, 12, 9, 10)):
        item = bot.log("UALICE", assignee="UBOB")  # due Thu 10 Dec 17:00
    with freeze_time(et(2026, 12, 9, 12)):
        declared = bot.closures.declare(
            actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), reason="snow")
        )
    with freeze_time(et(2026, 12, 9, 15)):  # the forecast changed: Thursday is open after all
        bot.closures.cancel(actor="UADMIN", closure_id=declared.closure.id)
    with freeze_time(et(2026, 12, 11, 17, 30)):
        assert decide_fallen(sessions, bot.config, SystemClock()) == 1
    # One outcome, at the deadline that stood: Thursday's, never a second one on Friday.
    assert outcomes(sessions) == [(item.id, "first_response", "decided", "missed", et(2026, 12, 10, 17))]
