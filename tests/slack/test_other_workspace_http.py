"""With one bot token, only the workspace (or Enterprise org) the token belongs to reaches the record
(docs/federal.md "Whose record: one workspace or one org"). Slack signs every request with the app's
one signing secret, so a request from a second workspace that installed the same app — or from a
user of another organization in a Slack Connect channel — is correctly signed: the app itself must
refuse it. Over real HTTP, signed as Slack signs, the Web API stand-in answering auth.test."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.rendering import modals as f
from bot.rendering.actions import Action
from tests.slack.harness import user, when
from tests.slack.helpers import know_zone, stored

REFUSED = ":no_entry: inquirybot is installed for another workspace; ask your admin."


def test_a_command_from_another_workspace_is_refused_and_stores_nothing(slack, web, runtime):
    before = stored(runtime)
    answer = slack.from_workspace("T999").command("log email From outside; assign <@U1|alice>", user="UX")
    assert answer.status == 200
    assert answer.json()["response_type"] == "ephemeral"
    assert answer.text.startswith(REFUSED)
    assert stored(runtime) == before
    assert web.summary() == ["auth.test"]  # nothing asked about the stranger, nothing sent


def test_a_command_naming_one_of_our_users_from_another_workspace_is_refused(slack, runtime):
    """User ids are per workspace: U1 of T999 is not our U1."""
    before = stored(runtime)
    assert slack.from_workspace("T999").command("list", user="U1").text.startswith(REFUSED)
    assert stored(runtime) == before


def test_a_button_clicked_in_another_workspace_is_refused_and_changes_nothing(slack, web, served, runtime):
    know_zone(slack, web, "U1")
    assert slack.command("log email Ours").text.startswith(":white_check_mark: Logged *INQ-1*")
    served.settle()
    before, calls, answers = stored(runtime), len(web.calls), len(web.calls_to("response_url"))

    assert slack.from_workspace("T999").click(Action.SNOOZE_1H, 1, user="U1").status == 200
    served.settle()
    # Told through the click's own response URL: no token of ours is used for a stranger.
    told = web.wait_for("response_url", answers + 1)[-1]
    assert told["text"].startswith(REFUSED) and told["response_type"] == "ephemeral"
    assert stored(runtime) == before
    assert [c.method for c in web.calls[calls:]] == ["response_url"]


def test_an_app_home_click_from_another_workspace_changes_nothing(slack, web, served, runtime):
    know_zone(slack, web, "U1")
    slack.command("log email Ours")
    served.settle()
    before, calls = stored(runtime), len(web.calls)
    assert slack.from_workspace("T999").click(Action.SNOOZE_1H, 1, user="U1", home=True).status == 200
    served.settle()
    assert stored(runtime) == before and web.calls[calls:] == []


def test_a_form_submitted_from_another_workspace_is_answered_in_place_and_stores_nothing(
    slack, runtime, clock
):
    now = clock.now()
    form = f.away_modal(now)  # a complete, valid absence for "U1" of that other workspace
    good = {f.AWAY_START: when(now), f.AWAY_END: when(now + timedelta(days=2)), f.ALTERNATE: user("U2")}
    before = stored(runtime)
    answer = slack.from_workspace("T999").submit(form, good, user="U1")
    assert answer.status == 200
    assert answer.json()["response_action"] == "update"
    assert REFUSED in json.dumps(answer.json()["view"])
    assert stored(runtime) == before


def test_an_event_from_another_workspace_is_acknowledged_and_ignored(slack, web, served, runtime):
    before = stored(runtime)
    home = {"type": "app_home_opened", "user": "U1", "channel": "D0", "tab": "home", "event_ts": "1.1"}
    assert slack.from_workspace("T999").event(home, event_id="EvForeign").status == 200  # no retry
    served.settle()
    assert stored(runtime) == before  # not even the event id
    assert web.calls_to("views.publish") == []


def test_a_slack_connect_user_of_another_organization_is_ignored(slack, web, served, deliver, runtime):
    """The channel is shared with another org: the event is ours (team_id, authorizations), its
    author is not (user_team). Their mention of someone away gets no answer from our record."""
    know_zone(slack, web, "U1")
    slack.command("away today to Friday alternate <@U2|bob>")
    served.settle()  # the command's own work after its answer (a profile looked up) is done
    before = stored(runtime)
    mention = {
        "type": "app_mention",
        "channel": "C1",
        "channel_type": "channel",
        "user": "UX",
        "user_team": "T999",
        "team": "T999",
        "text": "<@UBOT> <@U1> are you there?",
        "ts": "1772636500.000100",
        "event_ts": "1772636500.000100",
    }
    assert slack.event(mention, event_id="EvShared", shared_channel=True).status == 200
    deliver()
    assert stored(runtime) == before
    assert not [p for p in web.calls_to("chat.postMessage") if p.get("thread_ts")]

    # One of our own people in the same shared channel still gets the answer.
    ours = {**mention, "user": "U3", "user_team": slack.team, "team": slack.team, "ts": "1772636600.000100"}
    assert slack.event(ours, event_id="EvSharedOurs", shared_channel=True).status == 200
    deliver()
    assert len([p for p in web.calls_to("chat.postMessage") if p.get("thread_ts")]) == 1


def test_our_own_workspace_is_served_and_auth_test_is_asked_once(slack, web, served):
    know_zone(slack, web, "U1")
    assert slack.command("log email Ours").text.startswith(":white_check_mark: Logged *INQ-1*")
    assert slack.command("list").text.startswith("Your open inquiries: 1")
    slack.from_workspace("T999").command("list", user="UX")
    served.settle()
    assert web.summary().count("auth.test") == 1  # Bolt's one answer, kept, is what we compare with


@pytest.mark.parametrize(
    ("bot", "workspace", "enterprise", "admitted"),
    [
        # Installed org-wide: any workspace of the org, no workspace of another org.
        ({"enterprise": "E1", "org_wide": True}, "T2", "E1", True),
        ({"enterprise": "E1", "org_wide": True}, "T3", "E1", True),
        ({"enterprise": "E1", "org_wide": True}, "T9", "E9", False),
        # Installed on one workspace of an org: that workspace only, not its sisters.
        ({"team": "T2", "enterprise": "E1"}, "T2", "E1", True),
        ({"team": "T2", "enterprise": "E1"}, "T3", "E1", False),
    ],
)
def test_an_org_wide_install_takes_every_workspace_of_its_org(
    slack, web, runtime, bot, workspace, enterprise, admitted
):
    web.add_bot("xoxb-test", **bot)  # who the bot token is, as auth.test answers
    before = stored(runtime)
    slack.from_workspace(workspace, enterprise=enterprise, org_wide=bool(bot.get("org_wide")))
    if admitted:
        know_zone(slack, web, "U1")
    answer = slack.command("log email From the org")
    if admitted:
        assert answer.text.startswith(":white_check_mark: Logged *INQ-1*")
    else:
        assert answer.text.startswith(REFUSED)
        assert stored(runtime) == before


def test_another_workspace_reads_and_changes_none_of_our_items(slack, web, served, runtime, clock):
    """Every way in names one of our items — reading it, changing it by command, button or form
    (with its private_metadata), disputing or deciding its outcome, logging from a message — and
    is refused from another workspace: nothing stored, nothing of the item shown, no token of ours used."""
    from bot.lifecycle.outcome_job import decide_fallen
    from bot.rendering.actions import View

    know_zone(slack, web, "U1")
    slack.command("log email Export license status; from Jane Doe <jane@example.com>")
    clock.set(clock.now() + timedelta(days=2))
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 1
    served.settle()
    before, calls = stored(runtime), len(web.calls)
    stranger = slack.from_workspace("T999")
    for text in (
        "show INQ-1",
        "explain INQ-1",
        "list team",
        "report team",
        "resolve INQ-1 done",
        "reassign INQ-1 <@U2|bob>",
        "dispute INQ-1 not fair",
        "void INQ-1 no",
        "link INQ-1",
    ):
        for user_id in ("U1", "S1"):
            answer = stranger.command(text, user=user_id)
            assert answer.text.startswith(REFUSED), (text, answer.text)
            assert "Jane" not in answer.text and "Export" not in answer.text
    for action, value in (
        (Action.RESOLVE, "1"),
        (Action.DISPUTE, "1:first_response"),
        (Action.VOID, "1:first_response"),
    ):
        assert stranger.click(action, value, user="S1", home=True).status == 200
    forms = [
        (View.RESOLVE, {"id": 1, "w": {"s": "home"}}, {f.NOTE: {"type": "plain_text_input", "value": "x"}}),
        (
            View.DISPUTE,
            {"i": 1, "k": "first_response"},
            {f.DISPUTE_REASON: {"type": "plain_text_input", "value": "x"}},
        ),
        (
            View.DECIDE,
            {"i": 1, "k": "first_response", "d": "void"},
            {f.DECISION_REASON: {"type": "plain_text_input", "value": "x"}},
        ),
    ]
    for callback, metadata, values in forms:
        form = {"type": "modal", "callback_id": str(callback), "private_metadata": json.dumps(metadata)}
        answer = stranger.submit(form, values, user="S1")
        assert answer.json()["response_action"] == "update" and REFUSED in json.dumps(answer.json()["view"])
    stranger.message_shortcut("Jane asks about her licence", user="U1")
    served.settle()
    assert stored(runtime) == before
    assert [c.method for c in web.calls[calls:]] == ["response_url"]  # the shortcut told, through its own URL


def test_one_of_our_ids_beside_another_workspaces_is_refused(slack, web, served, runtime):
    """A click naming our workspace as its team but a user of another (a Slack Connect user, or a
    crafted body mixing ids) is refused like a stranger's."""
    know_zone(slack, web, "U1")
    slack.command("log email Ours")
    served.settle()
    before = stored(runtime)
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "username": "u1", "name": "u1", "team_id": "T999"},
        "api_app_id": "A111",
        "token": "xxx",
        "trigger_id": slack.trigger(),
        "team": {"id": slack.team, "domain": "test"},
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home", "blocks": [], "state": {"values": {}}},
        "actions": [{"action_id": Action.SNOOZE_1H, "block_id": "b", "value": "1", "type": "button"}],
    }
    assert slack.interact(payload).status == 200
    served.settle()
    assert stored(runtime) == before
