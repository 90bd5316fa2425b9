"""A team of 60 through the real scheduler, deliverer and Web API stand-in: what its lead reads on
Monday (and hears, with a screen reader) — the digest's chart alt text and lists say every figure or
say how to get the rest; nothing is cut mid-figure or silently."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config.loading import config_from_dict
from bot.lifecycle import InquiryDraft, InquiryService
from bot.time.clock import FixedClock
from tests.scheduler.conftest import Office
from tests.slack.faults import FaultyWebApi

ET = ZoneInfo("America/New_York")
PEOPLE = [f"UPERSON{i:02d}" for i in range(60)]
SLOW = PEOPLE[::4]  # 15 people who never answered their one item: 0% on time
MONDAY = datetime(2026, 11, 30, 9, 30, tzinfo=ET)
DIGEST_AT = datetime(2026, 12, 7, 9, 0, tzinfo=ET)


@pytest.fixture
def stand_in():
    server = FaultyWebApi().start()
    yield server
    server.stop()


@pytest.fixture
def big_team(sessions):
    """Each of 60 people logs one email on Mon 30 Nov; three in four answer it within the hour."""
    config = config_from_dict(
        {
            "admins": ["UADMIN"],
            "teams": {"big": {"members": PEOPLE, "supervisors": ["ULEAD"], "channel": "CBIG"}},
            "names": {user: f"Person {user[-2:]}" for user in PEOPLE},
        }
    )
    clock = FixedClock(MONDAY)
    service = InquiryService(sessions, config, clock)
    ids = {}
    for i, user in enumerate(PEOPLE):
        clock.set(MONDAY + timedelta(minutes=i))
        ids[user] = service.log(actor=user, draft=InquiryDraft(kind="email", subject=f"Question {i}")).id
    for i, user in enumerate(PEOPLE):
        if user not in SLOW:
            clock.set(MONDAY + timedelta(minutes=60 + i))
            service.acknowledge(actor=user, inquiry_id=ids[user])
    return config


def _digest(sessions, config, stand_in):
    office = Office(sessions, config, FixedClock(DIGEST_AT), stand_in)
    for minutes in range(0, 180, 5):  # the deliverer paces the morning's notices; the digest follows
        office.clock.set(DIGEST_AT + timedelta(minutes=minutes))
        office.tick()
    [post] = [s for s in office.sent if s.key.startswith("digest:big:")]
    return {"channel": post.channel, "text": post.text, "blocks": post.blocks}


def test_a_big_teams_chart_alt_text_summarises_within_slacks_limit(sessions, big_team, stand_in):
    post = _digest(sessions, big_team, stand_in)
    [image] = [b for b in post["blocks"] if b["type"] == "image"]
    alt = image["alt_text"]
    file_alt = stand_in.files[image["slack_file"]["id"]]["alt_txt"]
    # The file's alt_txt (Slack keeps 1000 characters) and the image's say the same, whole.
    assert alt == file_alt and len(alt) <= 1000
    assert "…" not in alt and alt.endswith(".")
    # The team's rate each week, then who is below the meets threshold, each with their figures.
    assert "week 49 75% on time, 45 of 60" in alt
    assert "60 people" in alt and "15 below the meets threshold of 90%" in alt
    for user in SLOW:
        assert f"Person {user[-2:]} 0% on time, 0 of 1" in alt, alt
    assert "45 at or above it" in alt
    assert "Every person's figures are listed in the report" in alt


def test_when_even_the_people_below_do_not_fit_the_alt_text_says_how_many_more():
    from bot.rendering.chart import chart_alt
    from bot.reports.trend import Chart, Rate

    weeks = tuple(Rate(f"W{n}", 50, 60) for n in range(38, 50))
    people = tuple(Rate(f"U{i:03d}", i % 2, 1) for i in range(120))  # 60 at 0%, 60 at 100%
    names = {f"U{i:03d}": f"A rather long name number {i:03d}" for i in range(120)}
    alt = chart_alt(Chart("big", "week 49", weeks, people, meets=0.9), names)
    assert len(alt) <= 1000 and "…" not in alt
    assert "120 people; 60 below the meets threshold of 90%" in alt
    shown = alt.count("0% on time, 0 of 1")
    assert 0 < shown < 60 and f"and {60 - shown} more below it" in alt
    assert "60 at or above it" in alt and alt.endswith("Every person's figures are listed in the report.")


def test_a_list_cut_at_the_digests_length_says_where_the_rest_is(sessions, big_team, stand_in):
    """The digest lists 15 of each; "Overdue now" ended in a bare "…and more", and escalations,
    feedback and customers' words were cut with no word at all."""
    clock = FixedClock(MONDAY + timedelta(hours=3))
    service = InquiryService(sessions, big_team, clock)
    for user in PEOPLE[1:3]:  # two more never answered: 17 overdue, 15 listed
        service.log(actor=user, draft=InquiryDraft(kind="email", subject="Another question"))
    post = _digest(sessions, big_team, stand_in)
    text = "\n".join(b["text"]["text"] for b in post["blocks"] if b["type"] == "section" and "text" in b)
    listed = text[text.index("*Overdue now*") :]
    assert listed.count("first response was due") == 15
    assert "…and more: `/inquiry report big last week` lists them all" in listed
