"""Walks through time under freezegun with the real jobs and the Web API stand-in (docs/outcomes.md):
an outcome is decided once, for whoever held the item then, and never moves afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from bot.lifecycle import InquiryDraft
from bot.reports.build import build_report
from bot.reports.periods import parse_period
from bot.time.clock import SystemClock
from storage.models import Outcome
from tests.scheduler.conftest import ALICE, BOB, Office, et, team_config

WEEK = "2026-11-23..2026-11-29"  # Thanksgiving (Thu 26) closed


class FrozenClock(SystemClock):
    """The bot's system clock, moved by freezegun (Office.walk calls set)."""

    def __init__(self, frozen):
        self.frozen = frozen

    def set(self, when: datetime) -> None:
        self.frozen.move_to(when)


def week_numbers(office: Office) -> dict[str, tuple[int, int, int, int]]:
    """(deadlines, on time, late, still missed) per person for the week of the absence story."""
    with office.sessions() as s:
        r = build_report(
            s,
            office.config,
            kind="team",
            subject="help",
            now=office.clock.now(),
            period=parse_period(WEEK, today=date(2026, 12, 1)),
            detail=False,
        )
    return {
        line.user: (line.metrics.deadlines, line.metrics.on_time, line.metrics.late, line.metrics.missed_open)
        for line in r.people
        if line.metrics.deadlines
    }


def test_absence_cover_never_moves_a_miss_and_the_overnight_nudge_goes_to_the_holder(sessions, stand_in):
    with freeze_time(et(2026, 11, 23, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        for day in (23, 24, 25):  # Alice answers three items on time
            office.clock.set(et(2026, 11, day, 9))
            item = office.log(ALICE, f"Alice's question {day}")
            office.clock.set(et(2026, 11, day, 9, 30))
            office.service.acknowledge(actor=ALICE, inquiry_id=item)
        office.clock.set(et(2026, 11, 25, 10))
        bobs = office.log(BOB, "Bob's question")  # due Fri 27 17:00 (Thanksgiving skipped)
        office.clock.set(et(2026, 11, 27, 11))
        office.service.away(actor=BOB, start=et(2026, 11, 30, 0), end=et(2026, 12, 5, 0), alternate=ALICE)

        office.walk(et(2026, 11, 28, 12))  # the deadline falls unanswered on Friday at 17:00
        before = week_numbers(office)
        assert before == {ALICE: (3, 3, 0, 0), BOB: (1, 0, 0, 1)}
        with office.sessions() as s:
            [miss] = s.scalars(select(Outcome).where(Outcome.inquiry_id == bobs)).all()
        assert (miss.holder, miss.outcome, miss.decided_at) == (BOB, "missed", et(2026, 11, 27, 17))

        office.walk(et(2026, 11, 30, 10))  # Monday: the absence began at midnight, cover moved the item
        nudges = [(step, who, at) for step, who, at in office.steps(bobs) if at >= et(2026, 11, 30, 0)]
        assert nudges and all(who != BOB for _, who, _ in nudges), nudges
        assert ("overdue", ALICE, et(2026, 11, 30, 9)) in nudges  # queued Friday evening, sent at opening
        assert week_numbers(office) == before  # the finished week reads the same

        office.service.acknowledge(actor=ALICE, inquiry_id=bobs)  # a late answer, by the alternate
        assert week_numbers(office) == {ALICE: (3, 3, 0, 0), BOB: (1, 0, 1, 0)}  # missed -> late, still Bob's


def test_an_on_time_acknowledgement_counts_at_once(sessions, stand_in):
    with freeze_time(et(2026, 11, 23, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = office.service.log(actor=ALICE, draft=InquiryDraft(kind="email", subject="Quick one")).id
        office.service.acknowledge(actor=ALICE, inquiry_id=item)
        with office.sessions() as s:
            r = build_report(
                s,
                office.config,
                kind="person",
                subject=ALICE,
                now=datetime.now(UTC),
                period=parse_period(None, today=date(2026, 11, 23)),
                detail=False,
            )
        assert (r.totals.on_time, r.totals.deadlines, r.totals.on_time_rate) == (1, 1, 1.0)
        frozen.tick(timedelta(days=30))  # and it never moves
        with office.sessions() as s:
            later = build_report(
                s,
                office.config,
                kind="person",
                subject=ALICE,
                now=datetime.now(UTC),
                period=parse_period(None, today=date(2026, 11, 23)),
                detail=False,
            )
        assert later.totals == r.totals


def test_a_team_move_after_the_week_never_rebands_it_in_the_team_report_or_digest(sessions, stand_in):
    """Bob was 'Below Meets' in team help's report of his last week there; after he moved to team
    west (meets at 50%) the same finished week of help read 'Meets' for him, digest included."""
    from bot.config.loading import config_from_dict
    from bot.scheduling.digests import build_digest
    from tests.scheduler.conftest import CAROL, SUE, TEAM_CHANNEL

    def config(bob_moved: bool):
        help_team = {
            "members": [ALICE, CAROL] + ([] if bob_moved else [BOB]),
            "supervisors": [SUE],
            "channel": TEAM_CHANNEL,
            "digest": {"enabled": False},
        }
        west = {
            "members": [BOB] if bob_moved else ["UWEST"],
            "supervisors": ["UWSUP"],
            "thresholds": {"meets": 0.5, "exceeds": 0.6},
        }
        return config_from_dict({"admins": ["UADMIN"], "teams": {"help": help_team, "west": west}})

    week = parse_period("2026-11-16..2026-11-22", today=date(2026, 11, 25))
    with freeze_time(et(2026, 11, 16, 10)) as frozen:
        office = Office(sessions, config(False), FrozenClock(frozen), stand_in)
        answered = office.log(ALICE, "Answered", assignee=BOB)
        office.log(ALICE, "Missed", assignee=BOB)
        office.service.acknowledge(actor=BOB, inquiry_id=answered)
        office.walk(et(2026, 11, 23, 10))

        def seen(cfg) -> tuple:
            with office.sessions() as s:
                r = build_report(
                    s, cfg, kind="team", subject="help", now=office.clock.now(), period=week, detail=False
                )
                text, _ = build_digest(s, cfg, "help", date(2026, 11, 16), office.clock.now())
            return [(line.user, line.band.label) for line in r.people if line.user == BOB], text

        before = seen(office.config)
        assert before[0] == [(BOB, "Below Meets")]
        assert seen(config(True)) == before
