"""A simulated week (the real jobs on a FixedClock, delivering through the Slack sender to the Web
API stand-in): every nudge, overdue notice, escalation, hand-over DM and the Monday digest keeps the
accessibility rules (tests/a11y.py)."""

from __future__ import annotations

from datetime import timedelta

from tests.a11y import message_problems
from tests.scheduler.conftest import ALICE, BOB, CAROL, et, team_config


def test_a_week_of_notices_and_the_digest_keep_the_rules(make_office, stand_in):
    office = make_office(et(2026, 3, 5, 10, 0), team_config(digest={"enabled": True}))  # Thursday
    first = office.log(ALICE, "Export license status", assignee=BOB)
    office.log(ALICE, "Tariff classification", assignee=CAROL, complexity="complex")
    office.log(ALICE, "Records request", assignee=BOB, needs_research=True)
    office.clock.advance(timedelta(hours=1))
    office.service.acknowledge(actor=BOB, inquiry_id=first)
    office.service.away(actor=CAROL, start=et(2026, 3, 9, 0, 0), end=et(2026, 3, 10, 0, 0), alternate=BOB)
    office.walk(et(2026, 3, 12, 18, 0))

    kinds = {
        s.key.split(":")[0] if not s.key.startswith("inq:") else s.key.split(":")[2] for s in office.sent
    }
    assert {"digest", "nudge_half", "overdue", "escalate"} <= kinds, kinds
    problems = [
        p
        for params in stand_in.calls_to("chat.postMessage")
        for p in message_problems(params, params["channel"])
    ]
    assert problems == []
