"""What the served app does when the Web API answers its own calls badly (views.publish for App
Home, chat.postEphemeral for a reply): the request is answered, one warning line names Slack's
answer, no traceback, and the next call works. These calls are not queued in the outbox: they
draw what a person is looking at right now (docs/delivery.md, "Outside the outbox")."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest

from bot.rendering import modals as f
from tests.slack.faults import LATE, Fault
from tests.slack.harness import checks, select, text, user, when
from tests.slack.helpers import know_zone
from tests.slack.test_events_http import home_opened


def slack_error(error: str, status: int = 200, **headers: str) -> Fault:
    return Fault(status, {"ok": False, "error": error}, headers)


FAULTS = {
    "429 Retry-After": [slack_error("ratelimited", 429, **{"Retry-After": "0"})] * 3,
    "ratelimited": [slack_error("ratelimited")],
    "500": [slack_error("internal_error", 500)],
    "503": [slack_error("service_unavailable", 503)],
    "channel_not_found": [slack_error("channel_not_found")],
    "not_in_channel": [slack_error("not_in_channel")],
    "is_archived": [slack_error("is_archived")],
    "user_not_found": [slack_error("user_not_found")],
    "account_inactive": [slack_error("account_inactive")],
}


def in_dm(web, user_id: str) -> list[dict]:
    """The messages Slack holds in the bot's DM with this person."""
    return [m for (channel, _ts), m in web.messages.items() if channel == f"D{user_id}"]


def troubles(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_app_home_refused_is_one_warning_and_the_next_opening_draws_it(slack, web, served, caplog, faults):
    web.fail("views.publish", *faults)
    with caplog.at_level(logging.INFO):
        assert slack.event(home_opened("U1"), event_id="EvHome1").status == 200
        served.settle()
    assert troubles(caplog) == []
    [line] = [r.getMessage() for r in caplog.records if r.name.startswith("inquirybot")]
    assert line.startswith("could not publish App Home for U1")
    slack.event(home_opened("U1"), event_id="EvHome2")
    served.settle()
    assert "U1" in web.homes


def test_app_home_without_an_answer_is_one_warning(slack, web, served, caplog):
    web.fail("views.publish", Fault(LATE, delay=11))  # the app's client waits 10 s
    with caplog.at_level(logging.INFO):
        assert slack.event(home_opened("U1"), event_id="EvHome1").status == 200
        served.executor.settle(timeout=20)
    assert troubles(caplog) == []
    [line] = [r.getMessage() for r in caplog.records if r.name.startswith("inquirybot")]
    assert line.startswith("could not publish App Home for U1") and "timed out" in line


def logged_from_the_form(slack, web, clock):
    know_zone(slack, web, "U1")
    slack.command("")
    form = web.wait_for("views.open")[0]["view"]
    values = {
        f.KIND: select("phone"),
        f.SUBJECT: text("Permit renewal"),
        f.CUSTOMER_NAME: text("Sam Lee"),
        f.CUSTOMER_CONTACT: text(None),
        f.RECEIVED: when(clock.now() - timedelta(hours=1)),
        f.COMPLEXITY: select("standard"),
        f.NEEDS_RESEARCH: checks(),
        f.ASSIGNEE: user("U1"),
        f.DUE: when(None),
        f.DUE_REASON: text(None),
    }
    return slack.submit(form, values)


@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_an_ephemeral_reply_refused_goes_as_a_dm_once(slack, web, served, clock, caplog, deliver, faults):
    web.fail("chat.postEphemeral", *faults)
    with caplog.at_level(logging.INFO):
        assert logged_from_the_form(slack, web, clock).status == 200
        deliver()  # the DM goes through the outbox, as `serve`'s scheduler sends it when woken
    assert troubles(caplog) == []
    [dm] = web.dms_to("U1")
    assert dm["text"].startswith(":white_check_mark: Logged *INQ-1*")
    said = [r.getMessage() for r in caplog.records if r.name.startswith("inquirybot")]
    assert any(line.startswith("ephemeral reply in C1 failed") for line in said), said


def test_a_reply_refused_as_ephemeral_and_as_dm_arrives_once_slack_is_back(
    slack, web, served, runtime, clock, caplog, deliver
):
    """Slack down for both calls of the moment: the 'Logged INQ-1' confirmation waits in the outbox
    and goes once Slack answers again, once."""
    web.fail("chat.postEphemeral", slack_error("internal_error", 500))
    web.fail("chat.postMessage", slack_error("service_unavailable", 503))
    with caplog.at_level(logging.INFO):
        assert logged_from_the_form(slack, web, clock).status == 200
        assert deliver().retried == 1  # the DM's first try met the 503
    assert troubles(caplog) == []
    assert in_dm(web, "U1") == []
    clock.advance(timedelta(minutes=1))  # past the backoff
    deliver()
    deliver()
    [dm] = in_dm(web, "U1")
    assert dm["text"].startswith(":white_check_mark: Logged *INQ-1*")


def test_a_long_retry_after_holds_no_listener_and_the_reply_still_arrives_once(
    slack, web, served, runtime, clock, caplog, deliver
):
    """Slack's 429 with Retry-After: 120 on the ephemeral reply: the listener does not sleep two
    minutes in Bolt's thread (slack_sdk's own retry would); it gives up within seconds and the
    reply goes as a DM through the outbox, which waits the 120 s (it is rate-limited too) and then
    sends it, once."""
    web.fail("chat.postEphemeral", slack_error("ratelimited", 429, **{"Retry-After": "120"}))
    web.fail("chat.postMessage", slack_error("ratelimited", 429, **{"Retry-After": "120"}))
    started = time.monotonic()
    with caplog.at_level(logging.INFO):
        assert logged_from_the_form(slack, web, clock).status == 200
        served.executor.settle(timeout=8)  # the listener's thread is free again
        assert time.monotonic() - started < 5
        assert deliver().retried == 1  # the DM waits out its own Retry-After
    assert troubles(caplog) == []
    assert len(web.calls_to("chat.postEphemeral")) == 1  # not retried after a long Retry-After
    clock.advance(timedelta(seconds=119))
    deliver()
    assert in_dm(web, "U1") == []
    clock.advance(timedelta(seconds=2))
    deliver()
    deliver()
    [dm] = in_dm(web, "U1")
    assert dm["text"].startswith(":white_check_mark: Logged *INQ-1*")


def test_a_short_retry_after_is_still_waited_out_in_the_listener(slack, web, served, clock, caplog, deliver):
    """A Retry-After of a second fits the listener's few seconds: the ephemeral is retried and shown."""
    web.fail("chat.postEphemeral", slack_error("ratelimited", 429, **{"Retry-After": "1"}))
    with caplog.at_level(logging.INFO):
        assert logged_from_the_form(slack, web, clock).status == 200
        deliver()
    assert troubles(caplog) == []
    assert len(web.calls_to("chat.postEphemeral")) == 2 and in_dm(web, "U1") == []
    assert web.calls_to("chat.postEphemeral")[-1]["text"].startswith(":white_check_mark: Logged *INQ-1*")
