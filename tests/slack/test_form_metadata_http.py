"""Forms take the item they act on, and where to redraw its card, from their private_metadata, which
comes back as the submitter sends it. Retargeted — at another item, or at another message of the
bot's — a submission is refused on the form's field and nothing is stored or redrawn
(handlers/form_seal.py; docs/commands.md)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.lifecycle.outcome_job import decide_fallen
from bot.rendering import modals as f
from bot.rendering.actions import Action, View
from tests.slack.harness import select, text, user, when
from tests.slack.helpers import know_zone
from tests.slack.helpers import stored as rows

RETARGETED = "this form was changed after it opened"


def stored(runtime) -> dict[str, int]:
    """Rows in every table but the replay claims and the cached Slack profiles."""
    return {n: c for n, c in rows(runtime).items() if n not in ("request_receipts", "user_profiles")}


def retarget(form: dict, **changes) -> dict:
    metadata = json.loads(form["private_metadata"])
    for key, value in changes.items():
        if key.startswith("w_"):
            metadata["w"][key[2:]] = value
        else:
            metadata[key] = value
    return dict(form, private_metadata=json.dumps(metadata))


@pytest.fixture
def card(slack, web, served):
    """INQ-1's card posted in the team channel (as a DM or channel post would be), and the
    Acknowledge form opened from it; INQ-2 is a colleague's."""
    know_zone(slack, web, "U1")
    know_zone(slack, web, "U2")
    slack.command("log email Export license status")
    slack.command("log email Bob's own item", user="U2")
    served.settle()
    message = {"ts": "1700000000.000100", "text": "INQ-1", "blocks": []}
    slack.click(Action.ACKNOWLEDGE, 1, message=message, channel="CTEAM")
    return web.wait_for("views.open")[0]["view"]


def test_a_form_redraws_the_card_it_was_opened_from(card, slack, web, served):
    assert slack.submit(card, {f.EXPECT: when(None), f.NOTE: text("Called back")}).status == 200
    served.settle()
    [update] = web.wait_for("chat.update")
    assert (update["channel"], update["ts"]) == ("CTEAM", "1700000000.000100")


@pytest.mark.parametrize(
    "changes",
    [
        {"w_c": "CESC"},  # another channel's message of the bot
        {"w_t": "1700000000.000999"},  # another message in the same channel (the digest, say)
        {"w_e": True, "w_r": "https://hooks.slack.com/actions/T1/2/stolen"},
        {"s": "0" * 32},
        {"s": None},
    ],
)
def test_a_form_whose_card_is_retargeted_is_refused_and_redraws_nothing(
    card, slack, web, served, runtime, changes
):
    before, answered = stored(runtime), len(web.calls_to("response_url"))
    answer = slack.submit(retarget(card, **changes), {f.EXPECT: when(None), f.NOTE: text("Called back")})
    assert answer.status == 200
    errors = answer.json()["errors"]
    assert any(RETARGETED in why for why in errors.values()), errors
    served.settle()
    assert stored(runtime) == before
    assert web.calls_to("chat.update") == [] and len(web.calls_to("response_url")) == answered


def test_every_item_form_retargeted_at_an_item_the_submitter_may_not_touch_is_refused(
    slack, web, served, runtime
):
    """As the Reassign form (tests/slack/test_hand_over_http.py): Acknowledge, Post update, Resolve
    and Rate re-check the submitter against the item the metadata names."""
    know_zone(slack, web, "U1")
    know_zone(slack, web, "U2")
    slack.command("log email Mine")
    slack.command("log email Bob's", user="U2")
    slack.command("ack INQ-2", user="U2")
    slack.command("resolve INQ-2 done", user="U2")
    slack.command("ack INQ-1")
    slack.command("resolve INQ-1 done")
    slack.command("log email Open")
    served.settle()
    before = stored(runtime)
    forms = [
        (View.RATE, {f.SCORE: select("1"), f.COMMENT: text("x")}, "record feedback on INQ-2"),
        (View.RESOLVE, {f.NOTE: text("x")}, "resolve INQ-2"),
        (View.POST_UPDATE, {f.NOTE: text("x"), f.EXPECT: when(None)}, "update INQ-2"),
        (View.ACKNOWLEDGE, {f.NOTE: text("x"), f.EXPECT: when(None)}, "acknowledge INQ-2"),
        (View.REASSIGN, {f.REASSIGN_TO: user("U3")}, "reassign INQ-2"),
    ]
    slack.click(Action.RESOLVE, 3, home=True)  # a form of her own, its metadata then pointed at INQ-2
    form = web.wait_for("views.open")[-1]["view"]
    for callback, values, why in forms:
        other = retarget(dict(form, callback_id=str(callback)), id=2)
        errors = slack.submit(other, values).json()["errors"]
        assert any(why in e for e in errors.values()), (callback, errors)
    served.settle()
    assert stored(runtime) == before


def test_dispute_forms_retargeted_at_another_outcome_are_refused(slack, web, served, runtime, clock):
    """The Dispute form names its item in "i": pointed at a colleague's outcome it is refused as
    'not yours'; the Void form pointed at another item by a peer is refused as 'only a supervisor'."""
    for person in ("U1", "U2"):
        know_zone(slack, web, person)
    slack.command("log email Mine")
    slack.command("log email Bob's", user="U2")
    clock.set(clock.now() + timedelta(days=2))
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2
    slack.command("dispute INQ-2 not my fault", user="U2")
    slack.click(Action.DISPUTE, "1:first_response", home=True)
    dispute = web.wait_for("views.open")[-1]["view"]
    before = stored(runtime)
    errors = slack.submit(retarget(dispute, i=2), {f.DISPUTE_REASON: text("why")}).json()["errors"]
    assert "the outcome of INQ-2 is not yours" in errors[f.DISPUTE_REASON]
    decide = {
        "type": "modal",
        "callback_id": View.DECIDE,
        "private_metadata": json.dumps({"i": 2, "k": "first_response", "d": "void"}),
    }
    errors = slack.submit(decide, {f.DECISION_REASON: text("why")}).json()["errors"]
    assert "only a supervisor of team desk or an admin may void" in errors[f.DECISION_REASON]
    served.settle()
    assert stored(runtime) == before
