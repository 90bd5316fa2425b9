"""One message per person per moment (docs/messages.md): a busy person's reminders, counted as
they reach the Web API stand-in."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from bot.rendering.bundles import SHOWN
from bot.scheduling.jobs import run_job
from storage.models import OutboxMessage
from tests.scheduler.conftest import ALICE, BOB, ESCALATIONS, SUE, et, team_config


def busy_afternoon(office, n: int = 30) -> list[int]:
    """n items for Bob, received Monday morning minutes apart: all due Tuesday afternoon."""
    return [
        office.log(
            BOB, f"Question {i}", assignee=BOB, received_at=et(2026, 3, 9, 9, 0) + timedelta(minutes=2 * i)
        )
        for i in range(n)
    ]


def messages_per_person(office):
    people = [m for m in office.sent if m.channel != ESCALATIONS]
    per_moment = Counter((m.user, m.at) for m in people)
    per_day = Counter((m.user, m.at.astimezone(et(2026, 3, 9).tzinfo).date()) for m in people)
    return per_moment, per_day


def test_without_gathering_still_one_message_per_person_per_moment(make_office):
    office = make_office(et(2026, 3, 9, 10, 0))
    items = busy_afternoon(office)
    office.walk(et(2026, 3, 13, 17, 0), step=timedelta(minutes=15))
    per_moment, _ = messages_per_person(office)
    assert max(per_moment.values()) == 1, per_moment
    # Sue's 30 overdue notices (each at its own deadline) never come two at one moment either.
    with office.sessions() as s:
        assert set(s.scalars(select(OutboxMessage.status).where(OutboxMessage.inquiry_id.in_(items)))) == {
            "sent"
        }


def test_a_busy_person_gets_one_message_per_moment(make_office):
    office = make_office(et(2026, 3, 9, 10, 0), team_config(reminders={"gather_minutes": 30}))
    items = busy_afternoon(office)
    office.walk(et(2026, 3, 13, 17, 0), step=timedelta(minutes=15))

    rows = {}
    with office.sessions() as s:
        for r in s.scalars(select(OutboxMessage).where(OutboxMessage.inquiry_id.in_(items))):
            rows[r.dedupe_key] = r.status
    assert rows and set(rows.values()) == {"sent"}  # every reminder still recorded once, as sent

    people = [m for m in office.sent if m.channel != ESCALATIONS]
    per_moment, per_day = messages_per_person(office)
    assert max(per_moment.values()) == 1, per_moment
    # Bob's ~90 reminders (half-way and one-hour nudges, overdue notices) arrive as at most three
    # lists a day; Sue's 30 overdue notices as at most two.
    assert max(n for (who, _), n in per_day.items() if who == BOB) <= 3, per_day
    assert max(n for (who, _), n in per_day.items() if who == SUE) <= 2, per_day
    office.assert_business_hours_only()

    bundled = [m for m in people if m.text.startswith(":bell:")]
    assert bundled, "no list was sent"
    biggest = max(bundled, key=lambda m: int(m.text.split()[1]))
    count = int(biggest.text.split()[1])
    assert count > SHOWN
    actions = [b for b in biggest.blocks if b["type"] == "actions"]
    assert len(actions) == SHOWN  # each shown item carries its own buttons
    more = biggest.blocks[-1]["elements"][0]["text"]
    assert f"and {count - SHOWN} more" in more and "Home" in more
    lines = [b["text"]["text"] for b in biggest.blocks if b.get("block_id", "").startswith("bundle_")]
    assert all("due " in line and ("left" in line or "overdue" in line) for line in lines), lines
    # Each reminder's record says the list it went out in, and keeps its own words as queued.
    with office.sessions() as s:
        listed = s.scalars(select(OutboxMessage).where(OutboxMessage.sent_text.startswith(":bell:"))).all()
    by_message: dict[str, set[str]] = {}
    for r in listed:
        by_message.setdefault(r.slack_ts, set()).add(r.sent_text)
        assert r.text and not r.text.startswith(":bell:")
    assert all(len(texts) == 1 for texts in by_message.values())
    assert {t for texts in by_message.values() for t in texts} == {m.text for m in bundled}


def test_a_nudge_answered_before_delivery_is_dropped_from_the_list(make_office):
    office = make_office(et(2026, 3, 9, 10, 0))
    items = busy_afternoon(office, n=3)
    office.clock.set(et(2026, 3, 10, 16, 55))  # every item's one-hour nudge is due
    assert run_job("reminders", office.ctx).ok
    answered = items[1]
    office.service.acknowledge(actor=BOB, inquiry_id=answered, expect=et(2026, 3, 13, 17, 0))
    office.tick()

    (message,) = [m for m in office.sent if m.user == BOB and m.text.startswith(":bell:")]
    refs = {b["block_id"] for b in message.blocks if b.get("block_id", "").startswith("bundle_")}
    assert refs == {f"bundle_{items[0]}", f"bundle_{items[2]}"}
    assert message.text.startswith(":bell: 2 inquiries")
    with office.sessions() as s:
        statuses = {
            r.inquiry_id: r.status
            for r in s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "nudge"))
        }
    assert statuses[answered] == "dropped"
    assert statuses[items[0]] == statuses[items[2]] == "sent"


def test_a_lone_overdue_notice_answered_before_the_opening_is_dropped(make_office):
    """Bob and his supervisor got "Overdue: INQ-1 had no first response" at Monday 09:00 although
    Bob had acknowledged it at 08:30: the notice queued on Friday evening was alone in its claim,
    and only lists of several were checked for answers given since."""
    office = make_office(et(2026, 11, 19, 10))  # Thu
    item = office.log(ALICE, "Export license status", assignee=BOB)  # due Fri 20 Nov 17:00
    office.walk(et(2026, 11, 20, 18))  # the overdue notices wait for Monday's opening
    office.clock.set(et(2026, 11, 23, 8, 30))
    office.service.acknowledge(actor=BOB, inquiry_id=item)
    office.walk(et(2026, 11, 23, 12))

    assert [step for step, _, at in office.steps(item) if at >= et(2026, 11, 21)] == []
    with office.sessions() as s:
        overdue = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "overdue")).all()
    assert sorted((r.channel, r.status) for r in overdue) == [(BOB, "dropped"), (SUE, "dropped")]


def test_delivered_exactly_once_when_ticked_again(make_office):
    office = make_office(et(2026, 3, 10, 16, 55))
    busy_afternoon(office, n=4)
    office.tick()
    office.tick()
    office.clock.set(et(2026, 3, 10, 16, 56))
    office.tick()
    lists = [m for m in office.sent if m.user == BOB]
    assert len(lists) == 1 and lists[0].text.startswith(":bell: 4 inquiries")


def test_status_update_reminders_for_a_busy_person_come_as_one_list_per_moment(make_office):
    """30 acknowledged items whose promised dates fall on one afternoon: their status-update
    reminders reach Bob as lists: never two at one moment, and with the gathering window a few a day."""
    office = make_office(et(2026, 3, 9, 10, 0), team_config(reminders={"gather_minutes": 30}))
    items = busy_afternoon(office)
    for i, item in enumerate(items):
        office.service.acknowledge(
            actor=BOB, inquiry_id=item, expect=et(2026, 3, 12, 14, 0) + timedelta(minutes=2 * i)
        )
    office.walk(et(2026, 3, 13, 17, 0), step=timedelta(minutes=15))

    with office.sessions() as s:
        kinds = Counter(
            s.scalars(
                select(OutboxMessage.kind).where(
                    OutboxMessage.inquiry_id.in_(items), OutboxMessage.channel == BOB
                )
            )
        )
    assert kinds["update"] >= 30, kinds  # each item's status-update reminder was queued and sent
    per_moment, per_day = messages_per_person(office)
    assert max(per_moment.values()) == 1, per_moment
    bob_days = {day: n for (who, day), n in per_day.items() if who == BOB}
    assert max(bob_days.values()) <= 3, bob_days  # instead of 30 a day
    lists = [m for m in office.sent if m.user == BOB and m.text.startswith(":bell:")]
    assert lists and all("and" in m.blocks[-1]["elements"][0]["text"] for m in lists if len(m.blocks) > 10)


def test_deadlines_minutes_apart_still_come_as_a_few_lists_a_day(make_office):
    """30 items with deadlines two minutes apart (established ones, Tuesday 14:00-14:58): nudges go
    at the start of their gathering slot, overdue notices at its end, so Bob and his supervisor
    get a few lists a day, not thirty messages."""
    office = make_office(et(2026, 3, 9, 10, 0), team_config(reminders={"gather_minutes": 30}))
    items = [
        office.log(
            BOB,
            f"Question {i}",
            assignee=BOB,
            received_at=et(2026, 3, 9, 9, 0),
            due=et(2026, 3, 10, 14, 0) + timedelta(minutes=2 * i),
            due_reason="Program deadline",
        )
        for i in range(30)
    ]
    office.walk(et(2026, 3, 13, 17, 0), step=timedelta(minutes=15))
    per_moment, per_day = messages_per_person(office)
    assert max(per_moment.values()) == 1, per_moment
    bob = {day: n for (who, day), n in per_day.items() if who == BOB}
    sue = {day: n for (who, day), n in per_day.items() if who == SUE}
    assert max(bob.values()) <= 6 and max(sue.values()) <= 3, (bob, sue)  # one list per slot
    with office.sessions() as s:
        overdue = list(
            s.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.inquiry_id.in_(items), OutboxMessage.kind == "overdue"
                )
            )
        )
    assert len(overdue) == 60 and {r.status for r in overdue} == {"sent"}  # Bob's and Sue's, each once
    # never before the deadline, and less than the gathering window after it
    due = {i: office.service.get(actor=BOB, inquiry_id=i).first_response_due for i in items}
    for row in overdue:
        assert timedelta(0) <= row.sent_at - due[row.inquiry_id] < timedelta(minutes=30)
    office.assert_business_hours_only()


def test_an_overdue_notice_does_not_wait_past_closing_time(make_office):
    office = make_office(et(2026, 3, 9, 10, 0), team_config(reminders={"gather_minutes": 30}))
    item = office.log(
        BOB, "Late in the day", assignee=BOB, due=et(2026, 3, 10, 16, 50), due_reason="Program deadline"
    )
    office.walk(et(2026, 3, 11, 12, 0), step=timedelta(minutes=15))
    overdue = [(who, at) for step, who, at in office.steps(item) if step == "overdue"]
    assert overdue == [(BOB, et(2026, 3, 10, 16, 50)), (SUE, et(2026, 3, 10, 16, 50))], overdue


def test_a_passed_promise_notice_never_goes_before_the_promise(make_office):
    """With gather_minutes = 30, 'Promised resolution passed' for a promise of Thursday 14:10 went at
    the slot's start, 14:00, ten minutes before it passed, and one for 14:20 went although the item
    was resolved on time at 14:15. Like an overdue notice, it now waits for the end of its slot."""
    office = make_office(et(2026, 3, 9, 10, 0), team_config(reminders={"gather_minutes": 30}))
    kept, resolved = (office.log(BOB, f"Question {i}", assignee=BOB) for i in range(2))
    office.service.acknowledge(actor=BOB, inquiry_id=kept, expect=et(2026, 3, 12, 14, 10))
    office.service.acknowledge(actor=BOB, inquiry_id=resolved, expect=et(2026, 3, 12, 14, 20))
    office.walk(et(2026, 3, 12, 14, 15), step=timedelta(minutes=5))
    office.service.resolve(actor=BOB, inquiry_id=resolved)
    office.walk(et(2026, 3, 13, 12, 0), step=timedelta(minutes=5))
    assert [(step, at) for step, _, at in office.steps(kept) if step == "update_past"] == [
        ("update_past", et(2026, 3, 12, 14, 30))
    ]
    assert [step for step, _, _ in office.steps(resolved) if step == "update_past"] == []
    office.assert_business_hours_only()


class _Dies(BaseException):
    """The process is killed (kill -9) after Slack accepted the message, before it was recorded."""


def test_a_list_sent_just_before_a_crash_is_not_sent_again(make_office, monkeypatch):
    """`kill -9` of `inquirybot tick` while it posted Bob's list of 4 nudges: the next pass found
    the list in Slack by its carrier's key and recorded that one row, then sent the 3 others again
    as a new list: Bob got the same nudges twice."""
    office = make_office(et(2026, 3, 10, 16, 30))
    # Slack's ts at the office clock (the look-up after a crash reads history around "now").
    ticks = iter(range(1, 10_000))
    monkeypatch.setattr(
        office.stand_in, "_next_ts", lambda: f"{office.clock.now().timestamp() + next(ticks) / 1000:.6f}"
    )
    busy_afternoon(office, n=4)
    assert run_job("reminders", office.ctx).ok
    deliverer = office.ctx.deliverer
    real = deliverer.sender

    class DiesAfterSending:
        def send(self, message):
            real.send(message)
            raise _Dies

    monkeypatch.setattr(deliverer, "sender", DiesAfterSending())
    try:
        deliverer.run_once()
    except _Dies:
        pass
    monkeypatch.setattr(deliverer, "sender", real)
    office.clock.set(et(2026, 3, 10, 16, 36))  # the dead process's lease (5 minutes) ran out
    office.tick()
    office.clock.set(et(2026, 3, 10, 16, 45))
    office.tick()

    texts = [p["text"] for p in office.stand_in.calls_to("chat.postMessage")]
    assert texts == [":bell: 4 inquiries need you: INQ-1, INQ-2, INQ-3, INQ-4."], texts
    with office.sessions() as s:
        assert set(s.scalars(select(OutboxMessage.status).where(OutboxMessage.kind == "nudge"))) == {"sent"}
