"""The weekly digest: its numbers, bars, links and change, and (through the real scheduler, deliverer
and the Web API stand-in) that it is posted exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.reports.digest import collect_digest
from bot.scheduling.digests import build_digest
from bot.time.clock import FixedClock
from storage.models import OutboxMessage
from tests.reports.fortnight import DIGEST_NOW, LINK6, A, B, C, block_texts, utc
from tests.scheduler.conftest import Office
from tests.slack.faults import FaultyWebApi

WEEK2 = date(2026, 11, 9)


def digest(sessions, config, team="support"):
    with sessions() as s:
        return build_digest(s, config, team, WEEK2, utc(DIGEST_NOW))


def test_digest_numbers_compare_with_the_week_before(sessions, config, fortnight):
    with sessions() as s:
        d = collect_digest(s, config, config.team("support"), WEEK2, utc(DIGEST_NOW))
    assert d.report.period.label == "week 46 (Nov 9 – Nov 15, 2026)"
    m, before = d.report.totals, d.previous
    assert (m.deadlines, m.on_time, m.received, before.deadlines, before.on_time, before.received) == (
        4,
        2,
        5,
        5,
        4,
        6,
    )
    assert {line.user: (line.metrics.on_time, line.metrics.deadlines) for line in d.report.people} == {
        A: (1, 1),
        B: (1, 2),
        C: (0, 1),
    }


def test_digest_text_and_blocks_carry_the_numbers_in_words_and_links(sessions, config, fortnight):
    text, blocks = digest(sessions, config)
    lines = text.splitlines()
    assert lines[0] == "Weekly digest for team support, week 46 (Nov 9 – Nov 15, 2026)"
    assert (
        lines[1] == "On-time first responses: 50%, 2 of 4 (down 30.0 points from 80%, 4 of 5 the week before)"
    )
    assert lines[2].startswith(
        "Received 5 (−1), responded 3, resolved 2, open 6, overdue now 2, escalations 1, feedback 3.5 of 5 on average (2 ratings, entered by staff)"
    )
    assert "no comparison" not in text and "vs the week before" not in text  # it reads as a sentence
    assert f"<@{A}>: 100% on time, 1 of 1" in lines and f"<@{B}>: 50% on time, 1 of 2" in lines
    assert f"<@{C}>: 0% on time, 0 of 1" in lines
    assert any(
        f"<{LINK6}|INQ-6> Tariff classification — first response was due Mon 9 Nov 2026, 5:00 PM EST" in line
        for line in lines
    )
    assert any(
        "*INQ-4* Question INQ-4 — promised resolution was due Thu 5 Nov 2026" in line for line in lines
    )

    rendered = "\n".join(block_texts(blocks))
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Weekly digest: team support"},
    }
    assert "(down 30.0 points from 80%, 4 of 5 the week before)" in rendered
    # Each count once: the intake compared in the summary, the rest in the fields below it.
    assert "Received 5 (−1 on the week before)" in rendered and "· responded 3" not in rendered
    assert rendered.count("*Open, overdue now*\n6 open, 2 overdue now") == 1
    assert "*On time, person by person*" in rendered and f"<@{B}>: 50% on time, 1 of 2" in rendered
    assert "*Overdue now*\n• *INQ-4*" in rendered and f"<{LINK6}|INQ-6>" in rendered
    assert (
        f"*Escalations*\n• <{LINK6}|INQ-6> Mon 9 Nov 2026, 4:00 PM EST by <@{C}>: waiting on legal"
        in rendered
    )
    assert "“Took a while”" in rendered
    assert len(blocks) <= 50


def test_a_quiet_team_gets_a_digest_of_zeros(sessions, config, fortnight):
    text, _ = digest(sessions, config, "exports")
    assert "On-time first responses: none due (no deadlines fell due the week before)" in text


@pytest.fixture
def stand_in():
    server = FaultyWebApi().start()
    yield server
    server.stop()


def test_scheduler_posts_the_digest_once_with_these_numbers(sessions, config, fortnight, stand_in):
    """The real jobs (cover, reminders, digests, deliver) over Monday morning and Tuesday: one
    post in the team channel, whatever the number of ticks."""
    clock = FixedClock(utc(DIGEST_NOW) - timedelta(minutes=2))
    office = Office(sessions, config, clock, stand_in)
    for minutes in (0, 2, 3, 4, 30, 60, 180, 24 * 60):
        clock.set(utc(DIGEST_NOW) + timedelta(minutes=minutes - 2))
        office.tick()
    digests = [s for s in office.sent if s.key.startswith("digest:support:")]
    assert len(digests) == 1
    post = digests[0]
    assert (post.channel, post.key, post.at) == ("CSUPPORT", "digest:support:2026-W47", utc(DIGEST_NOW))
    assert (
        "On-time first responses: 50%, 2 of 4 (down 30.0 points from 80%, 4 of 5 the week before)"
        in post.text
    )
    assert f"<{LINK6}|INQ-6>" in post.text and post.blocks and len(post.blocks) <= 50
    with sessions() as s:
        keys = s.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "digest")).all()
    assert sorted(keys) == ["digest:exports:2026-W47", "digest:support:2026-W47"]
