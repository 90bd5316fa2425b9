"""The scheduler after the machine was off (docs/reminders.md): one tick a week later sends no
stale nudges, only what is still true — each item's overdue notices and escalation, once — decides
the missed first responses at their deadlines, not at the late tick; a digest whose Monday was
missed by less than a business day goes once at the first tick, and one missed by more is skipped.
All already so; pinned here."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import Outcome
from tests.scheduler.conftest import ALICE, BOB, ESCALATIONS, SUE, et, team_config


def test_a_tick_a_week_later_sends_what_is_still_true_once(make_office):
    office = make_office(et(2026, 3, 5, 10, 0), team_config(digest={"enabled": True}))
    plain = office.log(ALICE, "Export license status", assignee=BOB)
    office.walk(et(2026, 3, 5, 12))
    office.clock.set(et(2026, 3, 12, 10))  # off from Thursday noon to the next Thursday
    for _ in range(3):
        office.tick()
        office.clock.set(office.clock.now() + timedelta(seconds=2))
    late = [s for s in office.sent if s.at >= et(2026, 3, 12, 10)]
    assert sorted(office.steps(plain)) == sorted(
        [
            ("overdue", BOB, et(2026, 3, 12, 10)),
            ("overdue", SUE, et(2026, 3, 12, 10)),
            ("escalate", ESCALATIONS, et(2026, 3, 12, 10)),
        ]
    )
    assert not [s for s in late if s.key.split(":")[2:3] in (["nudge_half"], ["nudge_last"])]
    assert not [s for s in late if s.key.startswith("digest:")]  # Monday's, days late: skipped
    with office.sessions() as s:
        [missed] = s.scalars(select(Outcome).where(Outcome.inquiry_id == plain)).all()
    assert (missed.outcome, missed.deadline, missed.decided_at) == (
        "missed",
        et(2026, 3, 6, 17),
        et(2026, 3, 6, 17),
    )


def test_a_digest_missed_by_hours_goes_once_at_the_first_tick(make_office):
    office = make_office(et(2026, 3, 5, 10, 0), team_config(digest={"enabled": True}))
    office.log(ALICE, "Export license status", assignee=BOB)
    office.walk(et(2026, 3, 6, 12))
    office.clock.set(et(2026, 3, 9, 15))  # off from Friday noon to Monday 15:00
    office.tick()
    office.tick()
    office.walk(et(2026, 3, 17, 12))
    digests = [(s.at, s.key) for s in office.sent if s.key.startswith("digest:")]
    assert digests == [
        (et(2026, 3, 9, 15), "digest:help:2026-W11"),
        (et(2026, 3, 16, 9), "digest:help:2026-W12"),
    ]
