"""How the scheduler runs: `inquirybot tick` (one pass, replay with --now, one-line errors) and the
background thread that serve/socket start."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from bot.config.runtime import Runtime
from bot.config.settings import Settings
from bot.time.clock import FixedClock
from handlers.sender import SlackSender
from inquirybot.bootstrap import build_scheduler
from inquirybot.cli import main
from tests.scheduler.conftest import ALICE, BOB, Office, et, key_of, team_config


@pytest.fixture
def env(monkeypatch, database_url, engine, sessions, stand_in):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_API_URL", stand_in.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.delenv("INQUIRYBOT_CONFIG", raising=False)
    return sessions


def log_item(sessions, stand_in, at) -> int:
    office = Office(sessions, team_config(), FixedClock(at), stand_in)
    return office.log(ALICE, "Replay me", assignee=BOB)


def test_tick_now_replays_an_instant(env, stand_in, capsys):
    # Logged Mon 10:00 under the default config (one team, everyone in it): 50% nudge Tue 09:30.
    inq = log_item(env, stand_in, et(2026, 3, 9, 10, 0))
    assert main(["tick", "--now", "2026-03-10T09:00:00-04:00", "--wait", "0"]) == 0
    first = capsys.readouterr().out
    assert "reminders: 1 due inquiries, 0 messages queued" in first  # planned: its next action stored
    assert "deliver: 1 sent" in first  # the "assigned" DM queued when it was logged
    assert main(["tick", "--now", "2026-03-10T09:31:00", "--wait", "0"]) == 0  # no offset: the team's zone
    second = capsys.readouterr().out
    assert "reminders: 1 due inquiries, 1 messages queued (1 nudge_half)" in second
    assert "deliver: 1 sent" in second
    nudges = [key_of(p) for p in stand_in.calls_to("chat.postMessage") if key_of(p).startswith(f"inq:{inq}:")]
    assert nudges == [f"inq:{inq}:nudge_half:2026-03-10T21:00:00+00:00:assignee"]


def test_tick_no_deliver_queues_only(env, stand_in, capsys):
    log_item(env, stand_in, et(2026, 3, 9, 10, 0))
    assert main(["tick", "--no-deliver", "--now", "2026-03-10T09:31:00-04:00"]) == 0
    assert "deliver: skipped (no sender)" in capsys.readouterr().out
    assert stand_in.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["tick", "--now", "next tuesday"], "--now 'next tuesday' is not an ISO-8601 instant"),
        # ran every job as if it were year 1; 9999 overflowed in the clock with a traceback
        (
            ["tick", "--now", "0001-01-01T00:00"],
            "--now 0001-01-01T00:00 is outside the years the bot works in",
        ),
        (["tick", "--now", "9999-12-31T23:00"], "give a date from 1970 to 2199"),
        (["tick", "--now", "10000-01-01T00:00"], "--now 10000-01-01T00:00 is outside the years"),
        (["tick"], "SLACK_BOT_TOKEN is not set"),
    ],
)
def test_tick_mistakes_are_one_line_and_exit_2(env, monkeypatch, capsys, args, message):
    if args == ["tick"]:
        monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_the_background_thread_nudges_and_delivers(database_url, engine, sessions, stand_in):
    clock = FixedClock(et(2026, 3, 10, 9, 31))
    config = team_config()
    inq = log_item(sessions, stand_in, et(2026, 3, 9, 10, 0))
    runtime = Runtime(
        Settings(database_url=database_url, slack_bot_token="xoxb-test", slack_api_url=stand_in.url),
        config,
        engine,
        sessions,
        clock,
    )
    scheduler = build_scheduler(
        runtime, SlackSender("xoxb-test", stand_in.url), every=0.05, deliver_every=0.05
    ).start()
    try:
        # Each phase has its own generous allowance: on a loaded CI machine one shared 20 s ran out
        # between the nudge and the second overdue notice.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(
                key_of(p).startswith(f"inq:{inq}:nudge_half") for p in stand_in.calls_to("chat.postMessage")
            ):
                break
            time.sleep(0.05)
            clock.advance(timedelta(seconds=1))  # the nudge waits a second behind the DM to the same person
        clock.advance(timedelta(days=1))  # Wed 09:31: the overdue notices
        scheduler.wake()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len([p for p in stand_in.calls_to("chat.postMessage") if ":overdue:" in key_of(p)]) == 2:
                break
            time.sleep(0.05)
            clock.advance(timedelta(seconds=1))  # a paced or retried send waits on the clock too
    finally:
        scheduler.stop()
    keys = [key_of(p) for p in stand_in.calls_to("chat.postMessage")]
    assert sum(k.startswith(f"inq:{inq}:nudge_half") for k in keys) == 1
    assert sum(f"inq:{inq}:overdue:" in k for k in keys) == 2  # the assignee and the supervisor, once each
