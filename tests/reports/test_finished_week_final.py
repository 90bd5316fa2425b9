"""A finished week's report reads the same whatever is done afterwards (docs/outcomes.md): each
walk below plays a week with a missed first response, reads that week's report, then does what a
hostile or careless colleague might — escalate the old miss now, hand the item over, answer it late,
make and remake promises, snooze it — and reads the week again.

What may change by design is left out of the comparison: the live counts (open, overdue now) and a
late answer turning *missed* into *late* (same deadline, same person, same week)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config.loading import config_from_dict
from bot.lifecycle import InquiryDraft, InquiryService
from bot.lifecycle.outcome_job import decide_fallen
from bot.reports.build import build_report
from bot.reports.periods import Period
from bot.time.clock import FixedClock
from tests.reports.fortnight import at

A, B, SUP = "UALICE", "UBOB", "USUE"
CONFIG = {
    "admins": ["UADMIN"],
    "teams": {"support": {"members": [A, B], "supervisors": [SUP], "channel": "CSUPPORT"}},
}
WEEK = Period(at(2, 0).date(), at(8, 0).date(), "the week of Mon 2 Nov 2026")


def _final(r) -> tuple:
    """What a finished week must keep: every outcome count and band, per person, and which of its
    misses the evidence shows as escalated."""
    m = r.totals
    keep = (m.deadlines, m.on_time, m.missed, m.unescalated_missed, m.promises, m.promises_kept)
    people = tuple(
        (
            p.user,
            p.metrics.deadlines,
            p.metrics.on_time,
            p.metrics.unescalated_missed,
            p.band.level,
            p.band.reason,
        )
        for p in r.people
    )
    late = tuple((i.ref, i.person, i.escalated_by_hand) for i in r.evidence.late)
    return keep, (r.band.level, r.band.reason), people, late


def _reports(sessions, config, now) -> dict[str, tuple]:
    with sessions() as s:
        return {
            kind: _final(build_report(s, config, kind=kind, subject=subject, period=WEEK, now=now))
            for kind, subject in (("person", A), ("team", "support"), ("all", "all"))
        }


def _escalate_now(service, item):
    service.escalate(actor=A, inquiry_id=item, reason="should have raised it then")


def _reassign_now(service, item):
    service.reassign(actor=SUP, inquiry_id=item, to=B)


def _answer_late_with_promises(service, item):
    service.acknowledge(actor=A, inquiry_id=item, expect=service.clock.now() + timedelta(days=3))
    service.update(
        actor=A, inquiry_id=item, note="still on it", expect=service.clock.now() + timedelta(days=4)
    )
    service.resolve(actor=A, inquiry_id=item)


def _snooze_now(service, item):
    service.snooze(actor=A, inquiry_id=item, duration=timedelta(hours=1))


@pytest.mark.parametrize(
    "afterwards", [_escalate_now, _reassign_now, _answer_late_with_promises, _snooze_now]
)
def test_a_finished_week_reads_the_same_after_the_fact(sessions, afterwards):
    config = config_from_dict(CONFIG)
    clock = FixedClock(at(2, 10))
    service = InquiryService(sessions, config, clock)
    item = service.log(actor=A, draft=InquiryDraft(kind="email", subject="Permit")).id  # due Tue 3 17:00
    clock.set(at(9, 8))  # Mon 9 Nov, the week over; the scheduler decides the miss
    decide_fallen(sessions, config, clock)
    before = _reports(sessions, config, clock.now())
    assert before["person"][0][:4] == (1, 0, 1, 1)

    clock.set(at(10, 11))
    afterwards(service, item)
    decide_fallen(sessions, config, clock)

    assert _reports(sessions, config, clock.now()) == before


@pytest.mark.parametrize("escalated_on, band", [(at(6, 9), "exceeds"), (at(10, 11), "meets")])
def test_escalating_a_miss_counts_in_its_week_only_if_done_by_the_weeks_end(sessions, escalated_on, band):
    """Exceeds needs no miss left unescalated. Escalating the week's miss on Friday makes the week
    Exceeds; escalating it the Tuesday after (the week over) changes nothing in that week, in the
    band, the count or the evidence — it was Meets when it ended, and stays so."""
    config = config_from_dict(
        {
            **CONFIG,
            "teams": {
                "support": {**CONFIG["teams"]["support"], "thresholds": {"meets": 0.5, "exceeds": 0.5}}
            },
        }
    )
    clock = FixedClock(at(2, 10))
    service = InquiryService(sessions, config, clock)
    service.acknowledge(
        actor=A, inquiry_id=service.log(actor=A, draft=InquiryDraft(kind="email", subject="On time")).id
    )
    missed = service.log(actor=A, draft=InquiryDraft(kind="email", subject="Permit")).id  # due Tue 3 17:00
    clock.set(escalated_on)
    service.escalate(actor=A, inquiry_id=missed, reason="waiting on legal")
    clock.set(at(10, 12))
    decide_fallen(sessions, config, clock)
    with sessions() as s:
        r = build_report(s, config, kind="person", subject=A, period=WEEK, now=clock.now())
    assert (r.totals.deadlines, r.totals.on_time, r.band.level) == (2, 1, band)
    assert r.totals.unescalated_missed == (band == "meets")
    assert [i.escalated_by_hand for i in r.evidence.late] == [band == "exceeds"]


def test_an_item_logged_after_its_deadline_fell_is_missed_as_of_the_logging_not_in_the_finished_week(
    sessions,
):
    """The hostile colleague's other move: on Tuesday 10 Nov, alice logs for bob an email "received"
    Monday 2 Nov, whose first-response deadline fell on Tuesday 3 Nov. The week of 2 Nov had ended
    with bob on 1 of 1 on time; it must stay so. The miss is bob's (he holds the item), decided
    at the logging, so it counts in the week of 9 Nov, where he can see it and dispute it, and the
    reply tells alice so."""
    config = config_from_dict(CONFIG)
    clock = FixedClock(at(2, 10))
    service = InquiryService(sessions, config, clock)
    service.acknowledge(
        actor=B, inquiry_id=service.log(actor=B, draft=InquiryDraft(kind="email", subject="Mine")).id
    )
    clock.set(at(9, 8))
    decide_fallen(sessions, config, clock)
    before = _reports(sessions, config, clock.now())

    clock.set(at(10, 11))
    logged = service.log(
        actor=A, draft=InquiryDraft(kind="email", subject="Old email", received_at=at(2, 9), assignee=B)
    )
    decide_fallen(sessions, config, clock)

    assert _reports(sessions, config, clock.now()) == before
    with sessions() as s:
        old = build_report(s, config, kind="person", subject=B, period=WEEK, now=clock.now())
        now_week = Period(at(9, 0).date(), at(15, 0).date(), "the week of Mon 9 Nov 2026")
        new = build_report(s, config, kind="person", subject=B, period=now_week, now=clock.now())
    assert (old.totals.deadlines, old.totals.on_time) == (1, 1)
    assert (new.totals.deadlines, new.totals.on_time, new.totals.missed_open) == (1, 0, 1)
    [miss] = new.evidence.late
    assert (miss.ref, miss.person, miss.due) == (logged.ref, B, at(3, 17))
    assert miss.logged_by == A and miss.logged_days_after_receipt == 6
    assert [c.what for c in logged.cautions] == ["already_missed"]
