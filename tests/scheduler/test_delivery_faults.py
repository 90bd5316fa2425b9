"""Each answer Slack may give chat.postMessage (and conversations.open, for a DM), over real HTTP
from the Web API stand-in, handled as docs/delivery.md says: retried later (429 with Retry-After,
`ratelimited`, 500, 503, no answer, `account_inactive`) and then sent exactly once; or given up at
once (`channel_not_found`, `not_in_channel`, `is_archived`, `user_not_found`) with one ERROR line
and one admin notice, and never sent again."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.delivery.deliverer import Deliverer, DeliveryPolicy
from bot.time.clock import FixedClock
from handlers.sender import SlackSender
from tests.scheduler.conftest import BOB, TEAM_CHANNEL, et, key_of
from tests.scheduler.test_delivery import NOV_2023, posts, queue, row
from tests.slack.faults import LATE, Fault


def deliverer(sessions, config, clock, stand_in) -> Deliverer:
    return Deliverer(
        sessions,
        config,
        clock,
        SlackSender("xoxb-test", stand_in.url, timeout=1),
        policy=DeliveryPolicy(),
        sleep=lambda s: None,
    )


@pytest.fixture
def config():
    from tests.scheduler.conftest import team_config

    return team_config()


def slack_error(error: str, status: int = 200, **headers: str) -> Fault:
    return Fault(status, {"ok": False, "error": error}, headers)


LATER = {
    "429 Retry-After": (slack_error("ratelimited", 429, **{"Retry-After": "30"}), "rate limited"),
    "ratelimited in the body": (slack_error("ratelimited"), "rate limited"),
    "500": (slack_error("internal_error", 500), "HTTP 500"),
    "503": (slack_error("service_unavailable", 503), "HTTP 503"),
    "account_inactive": (slack_error("account_inactive"), "account_inactive"),
    "no answer": (Fault(LATE, delay=1.5), "timed out"),
}


@pytest.mark.parametrize("fault, said", LATER.values(), ids=LATER.keys())
@pytest.mark.parametrize("to", [TEAM_CHANNEL, BOB], ids=["channel", "dm"])
def test_a_passing_fault_is_retried_later_and_the_message_goes_once(
    sessions, config, stand_in, caplog, fault, said, to
):
    clock = FixedClock(NOV_2023)  # the stand-in's message ts, so a history look-up finds them
    queue(sessions, clock, "m", channel=to)
    stand_in.fail("chat.postMessage", fault)
    d = deliverer(sessions, config, clock, stand_in)
    with caplog.at_level(logging.INFO):
        first = d.run_once()
    waiting = row(sessions, "m")
    assert (first.retried, waiting.status, waiting.attempts) == (1, "pending", 1)
    assert said in waiting.last_error and waiting.next_attempt_at > clock.now()
    if fault.status == 429:
        assert waiting.next_attempt_at >= clock.now() + timedelta(seconds=30)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    [warning] = [r.getMessage() for r in caplog.records if r.name == "inquirybot.delivery"]
    assert "attempt 1 failed" in warning and said in warning and "retrying at" in warning
    clock.set(waiting.next_attempt_at)
    d.run_once()
    done = row(sessions, "m")
    assert done.status == "sent" and done.slack_ts
    assert posts(stand_in).count("m") == len(stand_in.calls_to("chat.postMessage"))
    in_slack = [m for m in stand_in.messages.values() if (m.get("metadata") or {}).get("event_payload")]
    assert len(in_slack) == 1  # once in Slack: the late answer's post was found, not repeated


GIVE_UP = ["channel_not_found", "not_in_channel", "is_archived", "user_not_found"]


@pytest.mark.parametrize("error", GIVE_UP)
@pytest.mark.parametrize("method", ["chat.postMessage", "conversations.open"])
def test_a_lasting_fault_gives_up_at_once_with_one_line_and_one_admin_notice(
    sessions, config, stand_in, caplog, error, method
):
    clock = FixedClock(et(2026, 3, 10, 10, 0))  # a Tuesday morning: the nudge may go
    queue(sessions, clock, "m", channel=BOB, kind="nudge", text="INQ-4 is due soon")
    stand_in.fail(method, slack_error(error))
    d = deliverer(sessions, config, clock, stand_in)
    with caplog.at_level(logging.INFO):
        stats = d.run_once()
    failed = row(sessions, "m")
    assert (stats.failed, failed.status, failed.attempts) == (1, "failed", 1)
    assert failed.last_error == f"Slack said {error}"
    [line] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not line.exc_info
    assert line.getMessage() == (
        f"outbox row {failed.id} (m, nudge to {BOB}) failed for good after 1 attempts: Slack said {error}"
    )
    notice = row(sessions, f"undeliverable:{failed.id}:UADMIN")
    assert error in notice.text and "INQ-4 is due soon" in notice.text
    clock.advance(timedelta(hours=1))
    d.run_once()  # the notice goes; the failed message is never tried again
    tried = ["m"] if method == "chat.postMessage" else []  # the refused attempt
    assert posts(stand_in) == [*tried, notice.dedupe_key]
    assert row(sessions, notice.dedupe_key).status == "sent"


def test_a_remembered_dm_channel_slack_no_longer_knows_is_opened_again_and_the_message_goes_once(
    sessions, config, stand_in, caplog
):
    """The sender remembers each person's DM channel; when Slack later answers channel_not_found for
    it, the channel is forgotten, opened again (conversations.open) and the message sent there,
    once — not failed with an admin notice, and not left failing for every later DM."""
    clock = FixedClock(NOV_2023)
    queue(sessions, clock, "first", channel=BOB)
    d = deliverer(sessions, config, clock, stand_in)
    assert d.run_once().sent == 1  # BOB's DM channel opened and remembered
    clock.advance(timedelta(seconds=2))  # past the pace of one message a second
    queue(sessions, clock, "second", channel=BOB)
    stand_in.fail("chat.postMessage", slack_error("channel_not_found"))
    stand_in.fail("conversations.open", Fault(200, {"ok": True, "channel": {"id": f"DNEW{BOB}"}}))
    with caplog.at_level(logging.INFO):
        stats = d.run_once()
    assert (stats.sent, stats.failed, row(sessions, "second").status) == (1, 0, "sent")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert len(stand_in.calls_to("conversations.open")) == 2
    assert [p["channel"] for p in stand_in.calls_to("chat.postMessage")] == [
        f"D{BOB}",
        f"D{BOB}",
        f"DNEW{BOB}",
    ]
    in_slack = [(ch, key_of(m)) for (ch, _ts), m in stand_in.messages.items()]
    assert in_slack == [(f"D{BOB}", "first"), (f"DNEW{BOB}", "second")]
    clock.advance(timedelta(seconds=2))
    queue(sessions, clock, "third", channel=BOB)
    d.run_once()  # the new channel is the one remembered now
    assert len(stand_in.calls_to("conversations.open")) == 2
    assert stand_in.calls_to("chat.postMessage")[-1]["channel"] == f"DNEW{BOB}"


def test_a_history_look_up_in_a_remembered_dm_channel_slack_no_longer_knows_opens_it_again(
    sessions, config, stand_in
):
    """The look-up before a resend (docs/delivery.md) reads the DM opened again, so a message
    already there is found rather than sent a second time."""
    clock = FixedClock(NOV_2023)
    queue(sessions, clock, "first", channel=BOB)
    sender = SlackSender("xoxb-test", stand_in.url, timeout=1)
    Deliverer(sessions, config, clock, sender, sleep=lambda s: None).run_once()
    ts = row(sessions, "first").slack_ts
    stand_in.fail("conversations.history", slack_error("channel_not_found"))
    window = (clock.now() - timedelta(minutes=1), clock.now() + timedelta(minutes=1))
    assert sender.find_sent(BOB, ["first"], *window) == {"first": ts}
    assert len(stand_in.calls_to("conversations.open")) == 2
