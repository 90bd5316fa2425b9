"""Buttons, modals and the message shortcut through real HTTP: the form opens, the submission is
checked inline, and the card is redrawn where it was clicked (channel/DM, ephemeral, App Home)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.rendering import modals as f
from bot.rendering.actions import Action, View
from tests.slack.harness import checks, select, text, user, when
from tests.slack.helpers import buttons, know_zone, snapshot, text_of


@pytest.fixture
def alice(slack, web):
    know_zone(slack, web, "U1")
    return slack


def dm_to_bob(alice, web, deliver) -> dict:
    """Alice logs an item for Bob; the deliverer DMs Bob the card; returns that message."""
    alice.command("log email Export license status; assign <@U2|bob>")
    deliver()
    [dm] = web.dms_to("U2")
    return {"ts": _ts_of(web, "DU2"), "text": dm["text"], "blocks": dm["blocks"]}


def _ts_of(web, channel: str) -> str:
    return max(ts for (c, ts) in web.messages if c == channel)


def test_acknowledge_from_the_dm_updates_that_message(alice, slack, web, deliver, served, runtime, clock):
    message = dm_to_bob(alice, web, deliver)
    assert slack.click(Action.ACKNOWLEDGE, 1, user="U2", message=message, channel="DU2").status == 200
    [opened] = web.wait_for("views.open")
    form = opened["view"]
    assert form["callback_id"] == View.ACKNOWLEDGE and form["title"]["text"] == "Acknowledge INQ-1"
    before = snapshot(runtime)
    clock.set(clock.now() + timedelta(hours=2))  # 12:00 EST; an hour ago is after the receipt, and past
    past = slack.submit(
        form, {f.EXPECT: when(clock.now() - timedelta(hours=1)), f.NOTE: text(None)}, user="U2"
    )
    assert past.json()["response_action"] == "errors"
    assert past.json()["errors"][f.EXPECT].startswith(
        "expect Wed 4 Mar 2026, 8:00 AM PST is already past (it is Wed 4 Mar 2026, 9:00 AM PST)"
    )
    assert snapshot(runtime) == before
    promised = datetime(2026, 3, 6, 22, 0, tzinfo=UTC)
    response = slack.submit(form, {f.EXPECT: when(promised), f.NOTE: text("Told her Friday")}, user="U2")
    assert response.status == 200 and response.body == b""  # the modal closes
    served.settle()
    updated = web.message("DU2", message["ts"])
    assert updated["text"].startswith(":white_check_mark: Acknowledged *INQ-1*")
    assert "Resolution promised for Fri 6 Mar 2026, 2:00 PM PST" in updated["text"]  # Bob's zone
    assert buttons(updated["blocks"])[0] == Action.POST_UPDATE  # no stale Acknowledge button


def test_buttons_on_an_ephemeral_reply_answer_through_response_url(alice, slack, web, served):
    reply = alice.command("log email Quick question")
    message = {"ts": "1700000000.000009", "text": reply.text, "blocks": reply.json()["blocks"]}
    slack.click(Action.SNOOZE_1H, 1, message=message, ephemeral=True)
    served.settle()
    [redrawn] = web.calls_to("response_url")[-1:]
    assert redrawn["replace_original"] is True
    assert redrawn["text"].startswith(
        ":zzz: Reminders for *INQ-1* snoozed until Wed 4 Mar 2026, 11:00 AM EST"
    )


def test_resolve_and_rate_from_app_home_republishes_home(alice, slack, web, served):
    alice.command("log email From home")
    slack.click(Action.RESOLVE, 1, home=True)
    [opened] = web.wait_for("views.open")
    slack.submit(opened["view"], {f.NOTE: text("Answered by phone")})
    served.settle()
    home = web.homes["U1"]
    assert "Nothing open" in text_of(home["blocks"])
    slack.click(Action.RATE, 1, home=True)  # her own answer: a notice why, not the form
    refused = web.wait_for("views.open", 2)[-1]["view"]
    assert "you may not rate INQ-1: a rating counts for you" in text_of(refused["blocks"])
    slack.click(Action.RATE, 1, user="S1", home=True)  # her supervisor, relaying the customer's words
    rate_form = web.wait_for("views.open", 3)[-1]["view"]
    assert rate_form["callback_id"] == View.RATE
    slack.submit(rate_form, {f.SCORE: select("4"), f.COMMENT: text("helpful")}, user="S1")
    served.settle()
    assert len(web.calls_to("views.publish")) == 2 and "S1" in web.homes


def test_a_click_on_an_old_card_shows_the_current_state(alice, slack, web, served):
    reply = alice.command("log email Old card")
    alice.command("ack 1")
    message = {"ts": "1700000000.000010", "text": reply.text, "blocks": reply.json()["blocks"]}
    slack.click(Action.ACKNOWLEDGE, 1, message=message, ephemeral=True)
    served.settle()
    assert not web.calls_to("views.open")
    redrawn = web.calls_to("response_url")[-1]
    assert redrawn["text"].startswith("*INQ-1* changed meanwhile — here it is now: acknowledged.")
    assert buttons(redrawn["blocks"])[0] == Action.POST_UPDATE


def test_reassign_form(alice, slack, web, served, deliver):
    alice.command("log email Needs bob")
    slack.click(Action.REASSIGN, 1, home=True)
    form = web.wait_for("views.open")[0]["view"]
    same = slack.submit(form, {f.REASSIGN_TO: user("U1")})
    assert same.json() == {
        "response_action": "errors",
        "errors": {f.REASSIGN_TO: "INQ-1 is already assigned to <@U1>; nothing changed"},
    }
    assert slack.submit(form, {f.REASSIGN_TO: user("U2")}).status == 200
    deliver()
    assert web.dms_to("U2")


def test_someone_else_cannot_open_my_item(alice, slack, web, served, runtime):
    alice.command("log email Private")
    before = snapshot(runtime)
    slack.click(Action.RESOLVE, 1, user="U2", home=True)
    [opened] = web.wait_for("views.open")
    assert opened["view"]["title"]["text"] == "inquirybot"  # a notice, not the form
    assert "only they, their supervisors and admins may see it" in text_of(opened["view"]["blocks"])
    assert snapshot(runtime) == before


def test_new_inquiry_modal_validates_inline_and_stores_nothing(alice, web, runtime, clock):
    alice.command("")
    form = web.wait_for("views.open")[0]["view"]
    good = {
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
    before = snapshot(runtime)
    future = alice.submit(form, {**good, f.RECEIVED: when(clock.now() + timedelta(days=1))})
    body = future.json()
    assert body["response_action"] == "errors" and "in the future" in body["errors"][f.RECEIVED]
    early_due = alice.submit(form, {**good, f.DUE: when(clock.now() - timedelta(days=3))})
    assert "before the inquiry was received" in early_due.json()["errors"][f.DUE]
    assert snapshot(runtime) == before
    assert alice.submit(form, {**good, f.NEEDS_RESEARCH: checks("yes")}).status == 200
    [note] = web.wait_for("chat.postEphemeral")
    assert note["channel"] == "C1" and note["user"] == "U1"
    assert note["text"].startswith(
        ":white_check_mark: Logged *INQ-1* for you — first response due Fri 6 Mar 2026"
    )


def test_message_shortcut_prefills_the_form_and_keeps_the_permalink(slack, web, served, runtime):
    ts = "1772632800.000300"  # Wed 4 Mar 2026 09:00 New York
    slack.message_shortcut("Can someone check &lt;my&gt; export license? <@U9|dana>", ts=ts)
    [link] = web.wait_for("chat.getPermalink")
    assert (link["channel"], link["message_ts"]) == ("C1", ts)
    form = web.wait_for("views.open")[0]["view"]
    blocks = {b.get("block_id"): b for b in form["blocks"]}
    assert blocks[f.SUBJECT]["element"]["initial_value"] == "Can someone check <my> export license? <@U9>"
    assert blocks[f.KIND]["element"]["initial_option"]["value"] == "slack"
    assert blocks[f.RECEIVED]["element"]["initial_date_time"] == 1772632800
    values = {
        f.KIND: select("slack"),
        f.SUBJECT: text("Export license check"),
        f.RECEIVED: when(datetime.fromtimestamp(1772632800, UTC)),
        f.COMPLEXITY: select("simple"),
    }
    assert slack.submit(form, values).status == 200
    served.settle()
    know_zone(slack, web, "U1")
    shown = slack.command("show 1")
    assert "<https://test.slack.com/archives/C1/p1772632800000300|source message>" in text_of(
        shown.json()["blocks"]
    )


def test_acting_on_the_card_in_a_channel_updates_that_post(alice, slack, web, deliver, served):
    alice.command("log phone Tariff dispute; complex")  # goes to the specialist U3, announced in CESC
    deliver()
    ts = _ts_of(web, "CESC")
    post = web.message("CESC", ts)
    assert buttons(post["blocks"])[0] == Action.ACKNOWLEDGE
    slack.click(Action.ACKNOWLEDGE, 1, user="U3", channel="CESC", message={"ts": ts, **post})
    form = web.wait_for("views.open")[0]["view"]
    assert slack.submit(form, {f.EXPECT: when(None), f.NOTE: text(None)}, user="U3").status == 200
    served.settle()
    updated = web.message("CESC", ts)
    assert updated["text"].startswith(
        ":white_check_mark: Acknowledged *INQ-1* — first response recorded Wed 4 Mar 2026, 10:00 AM EST"
    )  # a channel reads the team's zone
    assert buttons(updated["blocks"])[0] == Action.POST_UPDATE


def test_a_button_on_an_item_you_may_not_act_on_says_so_instead_of_opening_a_form(
    alice, slack, web, served, runtime
):
    """Alice logged the item for Bob: her reply carries its card. Pressing Acknowledge, Resolve or
    Reassign there must say at once that the item is Bob's — not open a form she fills in only to
    be refused when she submits it."""
    reply = alice.command("log email Export license status; assign <@U2|bob>")
    message = {"ts": "1700000000.000011", "text": reply.text, "blocks": reply.json()["blocks"]}
    before = snapshot(runtime)
    for action, doing in (
        (Action.ACKNOWLEDGE, "acknowledge"),
        (Action.RESOLVE, "resolve"),
        (Action.REASSIGN, "reassign"),
    ):
        assert slack.click(action, 1, message=message, ephemeral=True).status == 200
        served.settle()
        [said] = web.calls_to("response_url")[-1:]
        assert said["text"].startswith(
            f":warning: you may not {doing} INQ-1 (logging an item does not make it yours)"
        ), said["text"]
        assert said["replace_original"] is False  # the card stays; the refusal is beside it
    assert web.calls_to("views.open") == []
    assert snapshot(runtime) == before
