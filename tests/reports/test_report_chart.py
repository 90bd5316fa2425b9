"""The report chart: the 12-week trend and each person's rate, drawn as a PNG, uploaded through
Slack's external upload flow (files.getUploadURLExternal, the upload POST,
files.completeUploadExternal) as resumable steps of the digest's one outbox message, and shown in
it as an image whose alt text states the figures — once, across failures and a crash."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery.deliverer import Deliverer, DeliveryPolicy
from bot.reports.build import build_report
from bot.reports.periods import Period
from bot.reports.trend import Rate, week_rates
from bot.scheduling.digests import build_digest
from bot.slack_memory import remember_profile
from bot.time.clock import FixedClock
from handlers.sender import SlackSender
from storage.models import OutboxMessage
from tests.reports.fortnight import DIGEST_NOW, A, B, C, utc
from tests.reports.test_report_digest import WEEK2
from tests.scheduler.conftest import Office
from tests.slack.faults import Fault, FaultyWebApi

PNG = b"\x89PNG\r\n\x1a\n"
FIGURES = (
    "week 45 80% on time, 4 of 5",
    "week 46 50% on time, 2 of 4",
    f"{B} 50% on time, 1 of 2",
    f"{C} 0% on time, 0 of 1",
    f"{A} 100% on time, 1 of 1",
    "week 36 none due",
)  # the outcome rule (docs/outcomes.md)


@pytest.fixture
def stand_in():
    server = FaultyWebApi().start()
    yield server
    server.stop()


def test_the_chart_carries_twelve_weeks_and_each_person(sessions, config, fortnight):
    with sessions() as s:
        _, blocks = build_digest(s, config, "support", WEEK2, utc(DIGEST_NOW))
    [file] = [b for b in blocks if b["type"] == "inquirybot_file"]
    assert file["title"] == "Team support: on-time first responses"
    assert all(figure in file["alt"] for figure in FIGURES), file["alt"]
    assert file["alt"].count("; week ") == 11  # twelve weeks, oldest first
    assert len(blocks) <= 50


def test_each_weeks_rate_is_that_weeks_team_report(sessions, config, fortnight):
    """The trend reads each week's outcome counts alone; they are the team report's, week by week."""
    team = config.team("support")
    with sessions() as s:
        rates = week_rates(s, team, WEEK2, utc(DIGEST_NOW))
        mondays = [WEEK2 - timedelta(weeks=back) for back in range(11, -1, -1)]
        reports = [
            build_report(
                s,
                config,
                kind="team",
                subject="support",
                period=Period(day, day + timedelta(days=6), "week"),
                now=utc(DIGEST_NOW),
                detail=False,
            ).totals
            for day in mondays
        ]
    assert [(r.on_time, r.due) for r in rates] == [(t.on_time, t.deadlines) for t in reports]
    assert sum(r.due for r in rates) > 0  # the fortnight's weeks are among them


def test_the_chart_names_people_from_their_profile_else_the_config(sessions, config, fortnight):
    named = replace(config, names={A: "Ann (config)", B: "Bo (config)"})
    remember_profile(sessions, B, name="Bo Brown", tz="America/New_York", fetched_at=utc(DIGEST_NOW))
    with sessions() as s:
        _, blocks = build_digest(s, named, "support", WEEK2, utc(DIGEST_NOW))
    [file] = [b for b in blocks if b["type"] == "inquirybot_file"]
    alt = file["alt"]
    assert "Ann (config) 100% on time, 1 of 1" in alt and "Bo Brown 50% on time, 1 of 2" in alt
    assert f"{C} 0% on time" in alt and "Bo (config)" not in alt


def _digest_office(sessions, config, stand_in) -> Office:
    return Office(sessions, config, FixedClock(utc(DIGEST_NOW)), stand_in)


def _digest_posts(stand_in):
    return [p for p in stand_in.calls_to("chat.postMessage") if p["channel"] == "CSUPPORT"]


def test_the_digest_uploads_a_png_and_shows_it_with_its_figures(sessions, config, fortnight, stand_in):
    office = _digest_office(sessions, config, stand_in)
    office.tick()
    reserved = stand_in.calls_to("files.getUploadURLExternal")
    assert len(reserved) == 2  # one chart per team's digest (support, exports)
    [post] = _digest_posts(stand_in)
    [image] = [b for b in post["blocks"] if b["type"] == "image"]
    file_id = image["slack_file"]["id"]
    data = stand_in.uploads[file_id]
    assert data.startswith(PNG) and 10_000 < len(data) < 400_000
    assert stand_in.files[file_id]["completed"] and stand_in.files[file_id]["length"] == len(data)
    alt_txt = stand_in.files[file_id]["alt_txt"]
    assert all(figure in alt_txt for figure in FIGURES) and alt_txt == image["alt_text"]
    assert not any(b["type"] == "inquirybot_file" for b in post["blocks"])  # never reaches Slack


def test_failed_steps_are_retried_without_reserving_the_file_again(sessions, config, fortnight, stand_in):
    office = _digest_office(sessions, config, stand_in)
    stand_in.fail("upload", Fault(status=500))  # the first upload POST fails
    stand_in.fail("files.completeUploadExternal", Fault(status=503))
    for minutes in range(0, 30, 1):
        office.clock.set(utc(DIGEST_NOW) + timedelta(minutes=minutes))
        office.tick()
    assert (
        len(stand_in.calls_to("upload")) == 3 and len(stand_in.calls_to("files.completeUploadExternal")) == 3
    )
    assert len(stand_in.calls_to("files.getUploadURLExternal")) == 2  # support and exports, once each
    assert len(_digest_posts(stand_in)) == 1
    [image] = [b for b in _digest_posts(stand_in)[0]["blocks"] if b["type"] == "image"]
    assert stand_in.uploads[image["slack_file"]["id"]].startswith(PNG)


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in the deliverer catches it)."""


class DyingSender(SlackSender):
    """Slack's sender in a process that dies at one point: when it is about to take an upload step
    (the previous step's answer already written to the row), or just before posting the message."""

    def __init__(self, url: str, *, at_step: str | None = None):
        super().__init__("xoxb-test", url)
        self.at_step = at_step

    def file_step(self, block):
        if block["step"] == self.at_step:
            raise Crash()
        return super().file_step(block)

    def send(self, message):
        if self.at_step is None and message.kind == "digest":
            raise Crash()
        return super().send(message)


@pytest.mark.parametrize("at_step", [None, "reserved"], ids=["before_posting", "before_uploading"])
def test_a_digest_delivered_across_a_crash_is_uploaded_once(sessions, config, fortnight, stand_in, at_step):
    from bot.scheduling.jobs import run_job

    clock = FixedClock(utc(DIGEST_NOW))
    office = Office(sessions, config, clock, stand_in)
    assert run_job("digests", office.ctx).ok
    policy = DeliveryPolicy(pace=0.0, lease=timedelta(minutes=5))
    first = Deliverer(
        sessions,
        config,
        clock,
        DyingSender(stand_in.url, at_step=at_step),
        policy=policy,
        worker="first",
        sleep=lambda s: None,
    )
    with pytest.raises(Crash):
        first.run_once()
    assert len(stand_in.calls_to("files.getUploadURLExternal")) == 1
    assert len(stand_in.calls_to("files.completeUploadExternal")) == (1 if at_step is None else 0)
    assert _digest_posts(stand_in) == []

    clock.advance(timedelta(minutes=6))  # the lease runs out; another deliverer takes the rows over
    second = Deliverer(
        sessions,
        config,
        clock,
        SlackSender("xoxb-test", stand_in.url),
        policy=policy,
        worker="second",
        sleep=lambda s: None,
    )
    second.drain(wait=0)
    # the crashed row's file once, the other team's digest's once
    assert len(stand_in.calls_to("files.getUploadURLExternal")) == 2
    assert len(stand_in.calls_to("files.completeUploadExternal")) == 2
    assert len(_digest_posts(stand_in)) == 1
    [image] = [b for b in _digest_posts(stand_in)[0]["blocks"] if b["type"] == "image"]
    assert stand_in.files[image["slack_file"]["id"]]["completed"]
    with sessions() as s:
        statuses = s.scalars(select(OutboxMessage.status).where(OutboxMessage.kind == "digest")).all()
    assert statuses == ["sent", "sent"]


def test_rates_say_none_due_rather_than_zero():
    assert Rate("W1", 0, 0).fraction is None and Rate("W1", 0, 2).fraction == 0


def test_a_file_slack_refuses_for_good_is_dropped_and_the_digest_still_goes(
    sessions, config, fortnight, stand_in
):
    office = _digest_office(sessions, config, stand_in)
    stand_in.fail("files.getUploadURLExternal", Fault(body={"ok": False, "error": "not_allowed_token_type"}))
    office.tick()
    posts = _digest_posts(stand_in)
    assert len(posts) == 1 and posts[0]["text"].startswith("Weekly digest for team support")
    assert not any(b["type"] in ("image", "inquirybot_file") for b in posts[0]["blocks"])
    with sessions() as s:
        stored = s.scalars(
            select(OutboxMessage.blocks).where(OutboxMessage.dedupe_key.like("digest:support:%"))
        ).one()
    assert not any(b["type"] == "inquirybot_file" for b in stored)  # nothing left to retry
