"""Events API through real HTTP: url_verification, App Home, retries never doubling anything, and
the out-of-office answer when someone away is @-mentioned."""

from __future__ import annotations

import json

from bot.rendering.actions import Action
from inquirybot.slack_standin.slack import FORM
from storage.models import OutboxMessage, SlackEventSeen
from tests.slack.faults import Fault
from tests.slack.helpers import buttons, count, know_zone, text_of


def test_url_verification_needs_a_signature(slack):
    body = json.dumps(
        {
            "token": "xxx",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    ok = slack.post(body, "application/json")
    assert ok.status == 200 and ok.json() == {
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    }
    assert slack.post(body, "application/json", sign=False).status == 401


def home_opened(user: str) -> dict:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0",
        "tab": "home",
        "event_ts": "1772636400.1",
    }


def test_app_home_lists_my_items_overdue_first_with_buttons(slack, web, served):
    know_zone(slack, web, "U1")
    slack.command("log email Due later")
    slack.command("log phone Already late; received Monday 9am")
    assert slack.event(home_opened("U1"), event_id="Ev1").status == 200
    served.settle()
    home = web.homes["U1"]
    titles = [b["text"]["text"] for b in home["blocks"] if b.get("block_id", "").endswith("_title")]
    assert titles[0].startswith("*INQ-2*: Already late") and "Overdue" in titles[0]
    assert titles[1].startswith("*INQ-1*: Due later")
    assert "2 open items, 1 overdue" in text_of(home["blocks"])
    assert Action.OPEN_NEW in buttons(home["blocks"]) and Action.ACKNOWLEDGE in buttons(home["blocks"])
    assert "Team desk" not in text_of(home["blocks"])  # Alice is not a supervisor


def test_supervisor_home_shows_the_team(slack, web, served):
    know_zone(slack, web, "U1")
    slack.command("log phone Late one; received Monday 9am")
    slack.event(home_opened("S1"), event_id="Ev2")
    served.settle()
    assert web.calls_to("users.info")[-1]["user"] == "S1"  # the zone is learned after the ack
    assert "Team desk: 1 open, 1 overdue" in text_of(web.homes["S1"]["blocks"])


def test_retried_event_is_dropped(slack, web, served, runtime):
    event = home_opened("U1")
    assert slack.event(event, event_id="EvRetry").status == 200
    assert slack.event(event, event_id="EvRetry", retry=1).status == 200
    assert slack.event(event, event_id="EvRetry", retry=2).status == 200
    served.settle()
    assert len(web.calls_to("views.publish")) == 1
    assert count(runtime, SlackEventSeen) == 1


def mention(text: str, *, ts: str, kind: str = "app_mention", author: str = "U9") -> dict:
    return {
        "type": kind,
        "channel": "C1",
        "channel_type": "channel",
        "user": author,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }


def test_mentioning_someone_away_gets_one_answer_in_thread(slack, web, served, deliver, runtime):
    know_zone(slack, web, "U1")
    slack.command("away today to Friday alternate <@U2|bob>")
    ts = "1772636500.000100"
    text = "<@UBOT> <@U1> can you check the export license?"
    # The same message arrives as app_mention and as message.channels, and Slack retries each once.
    for kind, event_id in (("app_mention", "EvA"), ("message", "EvB")):
        for retry in (None, 1):
            assert slack.event(mention(text, ts=ts, kind=kind), event_id=event_id, retry=retry).status == 200
    deliver()
    replies = [p for p in web.calls_to("chat.postMessage") if p.get("thread_ts") == ts]
    assert len(replies) == 1
    assert replies[0]["channel"] == "C1"
    assert replies[0]["text"] == (
        ":palm_tree: <@U1> is away until Fri 6 Mar 2026, 11:59 PM EST. "
        "For inquiries in the meantime, please contact <@U2>."
    )
    assert count(runtime, OutboxMessage) == 1


def test_no_answer_for_people_who_are_not_away_or_for_bots(slack, web, served, deliver):
    slack.event(mention("<@U1> hello", ts="1772636600.000100", kind="message"), event_id="EvC")
    bot_post = {
        **mention("<@U1> is away", ts="1772636700.000100", kind="message"),
        "bot_id": "B1",
        "subtype": "bot_message",
    }
    slack.event(bot_post, event_id="EvD")
    deliver()
    assert not [p for p in web.calls_to("chat.postMessage") if p.get("thread_ts")]


def test_ssl_check_is_answered_without_storing(slack, runtime):
    response = slack.post("ssl_check=1&token=xxx", FORM, sign=False)
    assert response.status == 200 and count(runtime, SlackEventSeen) == 0


def test_a_rate_limited_web_api_call_is_retried(slack, web, served):
    web.fail("views.publish", Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}))
    slack.event(home_opened("U1"), event_id="EvLimited")
    served.settle()
    assert len(web.calls_to("views.publish")) == 2 and "U1" in web.homes
