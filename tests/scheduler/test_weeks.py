"""Whole weeks walked on a FixedClock, ticking like the background thread (every 30 minutes here,
every minute where a minute matters), delivering through the real Slack sender to the Web API
stand-in. Every expectation is a delivery instant in the team's zone."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import select

from storage.models import Event, Inquiry
from tests.scheduler.conftest import ALICE, BOB, CAROL, ESCALATIONS, SPEC, SUE, TEAM_CHANNEL, et, team_config


def test_friday_afternoon_receipt_before_a_monday_holiday(make_office):
    # Fri 16 Jan 2026 15:00; Mon 19 Jan is Martin Luther King Jr. Day. 1 business day -> COB Tue 20 Jan.
    office = make_office(et(2026, 1, 16, 15, 0))
    inq = office.log(ALICE, "Export license status", assignee=BOB)
    office.walk(et(2026, 1, 23, 18, 0))
    assert office.steps(inq) == [
        # window Fri 15-17 + Tue 9-17 = 10 business hours; 50% = Tue 12:00
        ("nudge_half", BOB, et(2026, 1, 20, 12, 0)),
        ("nudge_before", BOB, et(2026, 1, 20, 16, 0)),
        # due Tue 17:00 is closing time: the overdue notices go at Wednesday's opening
        ("overdue", BOB, et(2026, 1, 21, 9, 0)),
        ("overdue", SUE, et(2026, 1, 21, 9, 0)),
        # one business day overdue: Wed 17:00, closing time again, so Thursday's opening
        ("escalate", ESCALATIONS, et(2026, 1, 22, 9, 0)),
    ]
    office.assert_business_hours_only()


def test_the_dst_weekend(make_office):
    # ita: 16 business hours from Fri 30 Oct 2026 14:00 EDT; clocks fall back Sun 1 Nov.
    office = make_office(et(2026, 10, 30, 14, 0), team_config(policy="ita"))
    inq = office.log(ALICE, "Tariff question", assignee=BOB)
    office.walk(et(2026, 11, 5, 18, 0))
    steps = office.steps(inq)
    assert steps == [
        ("nudge_half", BOB, et(2026, 11, 2, 14, 0)),  # Fri 3 h + Mon 5 h
        ("nudge_before", BOB, et(2026, 11, 3, 13, 0)),
        ("overdue", BOB, et(2026, 11, 3, 14, 0)),  # due Tue 14:00 EST, inside business hours
        ("overdue", SUE, et(2026, 11, 3, 14, 0)),
        ("escalate", ESCALATIONS, et(2026, 11, 4, 14, 0)),
    ]
    # 14:00 EST is 19:00 UTC (it would be 18:00 UTC had the clock not changed).
    assert steps[0][2].astimezone(UTC).hour == 19
    office.assert_business_hours_only()


def test_an_absence_that_spans_the_deadline(make_office):
    office = make_office(et(2026, 3, 9, 10, 0))  # Mon; due COB Tue 10 Mar
    inq = office.log(ALICE, "Records request", assignee=BOB)
    office.clock.advance(timedelta(hours=1))
    office.service.away(actor=BOB, start=et(2026, 3, 10, 0, 0), end=et(2026, 3, 12, 0, 0), alternate=CAROL)
    office.walk(et(2026, 3, 13, 18, 0))
    assert office.steps(inq) == [
        # window Mon 7 h + Tue 8 h = 15 h; 50% = Tue 09:30 — Bob is away, Carol has it
        ("nudge_half", CAROL, et(2026, 3, 10, 9, 30)),
        ("nudge_before", CAROL, et(2026, 3, 10, 16, 0)),
        ("overdue", CAROL, et(2026, 3, 11, 9, 0)),
        ("overdue", SUE, et(2026, 3, 11, 9, 0)),
        ("escalate", ESCALATIONS, et(2026, 3, 12, 9, 0)),
    ]
    # The cover itself happened at midnight; its DM waited for the opening.
    covered = [s for s in office.sent if s.key.startswith(f"covered:{inq}:")]
    assert [(s.user, s.at) for s in covered] == [(CAROL, et(2026, 3, 10, 9, 0))]
    with office.sessions() as s:
        assert s.get(Inquiry, inq).assignee == CAROL
    assert not [x for x in office.about(inq) if x.user == BOB]  # only the "assigned" DM at logging
    office.assert_business_hours_only()


def test_a_supervisor_away_from_monday_has_the_weekend_overdue_notice_go_to_their_alternate(make_office):
    """Sue, away from Monday with Carol covering, still got Friday's overdue notice at Monday 09:00:
    it was queued for her on Friday evening, and only the assignee's copy was readdressed."""
    office = make_office(et(2026, 11, 19, 10))  # Thu
    item = office.log(ALICE, "Export license status", assignee=BOB)  # due Fri 20 Nov 17:00
    office.service.away(actor=SUE, start=et(2026, 11, 23, 0), end=et(2026, 11, 28, 0), alternate=CAROL)
    office.walk(et(2026, 11, 23, 12))

    assert sorted((who, at) for step, who, at in office.steps(item) if step == "overdue") == [
        (BOB, et(2026, 11, 23, 9)),
        (CAROL, et(2026, 11, 23, 9)),
    ]
    assert SUE not in {m.user for m in office.sent}
    office.assert_business_hours_only()


def test_a_complex_item_climbs_the_whole_ladder(make_office):
    office = make_office(et(2026, 3, 9, 10, 0))
    inq = office.log(ALICE, "Congressional inquiry", complexity="complex")
    office.walk(et(2026, 3, 24, 18, 0))
    assert office.steps(inq) == [
        ("nudge_half", SPEC, et(2026, 3, 10, 9, 30)),
        ("nudge_before", SPEC, et(2026, 3, 10, 16, 0)),
        # complex: one step earlier — level 2 at the deadline, together with level 1
        ("overdue", SPEC, et(2026, 3, 11, 9, 0)),
        ("overdue", SUE, et(2026, 3, 11, 9, 0)),
        ("escalate", ESCALATIONS, et(2026, 3, 11, 9, 0)),
        # no update for 5 business days (40 business hours from logging), and again
        ("stale", SPEC, et(2026, 3, 16, 10, 0)),
        ("stale", SPEC, et(2026, 3, 23, 10, 0)),
    ]
    stale = [s.text for s in office.about(inq) if s.key.split(":")[2] == "stale"]
    assert stale[0] == (  # unanswered: what it asks for is the first response, not an update
        ":zzz: Nothing on *INQ-1* “Congressional inquiry” for 5 business days, and no first response "
        "yet (first response due Tue 10 Mar 2026 17:00 EDT). Acknowledge it: that records the first response."
    )
    announced = [s for s in office.sent if s.key == f"complex:{inq}"]
    assert [(s.channel, s.at) for s in announced] == [(ESCALATIONS, et(2026, 3, 9, 10, 0))]
    with office.sessions() as s:
        row = s.get(Inquiry, inq)
        assert (row.escalation_level, row.escalated) == (2, True)
        events = [
            (e.type, e.payload.get("level")) for e in s.scalars(select(Event).where(Event.inquiry_id == inq))
        ]
    assert ("overdue", 1) in events and ("escalated", 2) in events
    office.assert_business_hours_only()


def test_a_snoozed_item_postpones_nudges_but_not_the_deadline(make_office):
    office = make_office(et(2026, 3, 9, 10, 0))
    inq = office.log(ALICE, "Snoozy", assignee=BOB)
    office.walk(et(2026, 3, 10, 9, 0))
    office.service.snooze(actor=BOB, inquiry_id=inq, duration=timedelta(hours=2))  # until 11:00
    office.walk(et(2026, 3, 10, 16, 30))
    office.service.snooze(actor=BOB, inquiry_id=inq, duration=timedelta(hours=3))  # over the deadline
    office.walk(et(2026, 3, 11, 18, 0))
    assert office.steps(inq) == [
        ("nudge_half", BOB, et(2026, 3, 10, 11, 0)),  # due 09:30, held until the snooze ended
        ("nudge_before", BOB, et(2026, 3, 10, 16, 0)),
        ("overdue", BOB, et(2026, 3, 11, 9, 0)),  # the deadline did not move
        ("overdue", SUE, et(2026, 3, 11, 9, 0)),
    ]
    with office.sessions() as s:
        assert s.get(Inquiry, inq).first_response_due == et(2026, 3, 10, 17, 0)
    office.assert_business_hours_only()


def test_acknowledged_one_minute_before_its_nudge(make_office):
    office = make_office(et(2026, 3, 9, 10, 0))
    inq = office.log(ALICE, "Quick one", assignee=BOB)
    office.walk(et(2026, 3, 10, 9, 0))
    office.walk(et(2026, 3, 10, 9, 29), step=timedelta(minutes=1))
    office.service.acknowledge(actor=BOB, inquiry_id=inq, expect=et(2026, 3, 13, 17, 0))
    office.walk(et(2026, 3, 10, 9, 40), step=timedelta(minutes=1))
    office.walk(et(2026, 3, 17, 18, 0))
    assert office.steps(inq) == [
        # no first-response nudge: the 09:30 one found the item acknowledged
        ("update_soon", BOB, et(2026, 3, 13, 9, 0)),  # 1 business day before Fri 17:00
        ("update_past", BOB, et(2026, 3, 16, 9, 0)),  # promise passed Fri 17:00 -> Monday's opening
        ("stale", BOB, et(2026, 3, 17, 9, 29)),  # 40 business hours after the 09:29 acknowledgement
    ]
    office.assert_business_hours_only()


def test_overnight_items_go_once_at_the_next_opening(make_office):
    office = make_office(et(2026, 3, 9, 16, 0))
    inq = office.log(
        ALICE, "Due tonight", assignee=BOB, due=et(2026, 3, 9, 20, 0), due_reason="program office"
    )
    office.walk(et(2026, 3, 10, 12, 0), step=timedelta(minutes=10), closed_step=timedelta(minutes=10))
    assert office.steps(inq) == [
        ("nudge_half", BOB, et(2026, 3, 9, 16, 30)),  # 1 business hour window, 50%
        ("overdue", BOB, et(2026, 3, 10, 9, 0)),  # fell due at 20:00; nothing sent overnight
        ("overdue", SUE, et(2026, 3, 10, 9, 0)),
    ]
    office.assert_business_hours_only()


def test_weekly_digest_once_per_team_week_and_after_a_monday_holiday(make_office):
    config = team_config(digest={"enabled": True, "day": "monday", "time": "09:00"})
    office = make_office(et(2026, 1, 16, 12, 0), config)
    office.walk(et(2026, 1, 27, 12, 0))
    digests = [(s.channel, s.key, s.at) for s in office.sent if s.key.startswith("digest:")]
    assert digests == [
        (TEAM_CHANNEL, "digest:help:2026-W04", et(2026, 1, 20, 9, 0)),  # Mon 19 Jan is a holiday
        (TEAM_CHANNEL, "digest:help:2026-W05", et(2026, 1, 26, 9, 0)),
    ]
    office.assert_business_hours_only()


def test_a_closure_declared_by_another_process_holds_what_waits_for_its_day(make_office):
    """An overdue notice waiting for Thursday's opening went out at Thu 09:00 although an admin had
    declared Thursday closed from another process the evening before: the deliverer's pass read
    quiet hours on calendars it had not brought up to the stored closures."""
    from datetime import date

    from bot.lifecycle.replan import ClosureService
    from bot.scheduling.jobs import run_job
    from bot.time.closures import ClosureRequest

    office = make_office(et(2026, 12, 8, 10))  # Tue
    item = office.log(ALICE, "Export license status", assignee=BOB)  # due Wed 9 Dec 17:00
    office.walk(et(2026, 12, 9, 17, 30))  # the overdue notices wait for Thursday's opening
    elsewhere = team_config()  # `inquirybot closure add` from another process
    office.clock.set(et(2026, 12, 9, 20))
    ClosureService(office.sessions, elsewhere, office.clock).declare(
        actor="UADMIN", request=ClosureRequest(date(2026, 12, 10), reason="snow"), trusted=True
    )
    office.clock.set(et(2026, 12, 10, 9))
    assert run_job("deliver", office.ctx).ok  # the deliverer's own pass, every few seconds
    office.walk(et(2026, 12, 11, 10))

    overdue = [(who, at) for step, who, at in office.steps(item) if step == "overdue"]
    assert sorted(overdue) == [(BOB, et(2026, 12, 11, 9)), (SUE, et(2026, 12, 11, 9))]
