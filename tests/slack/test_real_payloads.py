"""Real request bodies Slack sent (tests/slack/samples), with only the app-specific ids swapped in,
go through the served app and do what a user expects. The bot token is made to belong where the
sample was sent (auth.test's answer), since a request from any other workspace or org is refused
(docs/federal.md "Whose record: one workspace or one org")."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from bot.rendering.actions import Action, Shortcut, View
from inquirybot.slack_standin.slack import FORM
from tests.slack.helpers import count, know_zone

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def test_org_wide_slash_command(slack, web, runtime):
    web.add_bot("xoxb-test", enterprise="E111", org_wide=True)  # the sample's org-wide install
    fields = dict(parse_qsl((SAMPLES / "slash_command.txt").read_text().strip(), keep_blank_values=True))
    assert fields["is_enterprise_install"] == "true" and fields["user_id"] == "W111"
    fields.update(
        command="/inquiry", text="log phone Org-wide install check", response_url=web.response_url()
    )
    assert slack.post(urlencode(fields), FORM).status == 200
    # W111 is unknown to users.info: the team's zone is used, and the reply still comes
    [reply] = web.wait_for("response_url")
    assert reply["text"].startswith(
        ":white_check_mark: Logged *INQ-1* for you — first response due Thu 5 Mar 2026, 5:00 PM EST"
    )


def test_message_button_and_app_home_button(slack, web, served):
    web.add_user("U111")
    know_zone(slack, web, "U111")
    slack.command("log email From a real click", user="U111")
    message_click = sample("block_actions_message_button.json")
    message_click["actions"][0].update(action_id=Action.SNOOZE_1H, value="1")
    message_click["response_url"] = web.response_url("action")
    assert slack.interact(message_click).status == 200  # the sample's user is U111, its container ephemeral
    served.settle()
    assert web.calls_to("response_url")[-1]["text"].startswith(":zzz: Reminders for *INQ-1* snoozed")
    home_click = sample("block_actions_app_home_button.json")
    home_click["user"]["id"] = "U111"
    home_click["team"]["id"] = home_click["user"]["team_id"] = "T111"  # sent from T123: made ours
    home_click["actions"][0].update(action_id=Action.RESOLVE, value="1")
    slack.interact(home_click)
    served.settle()
    assert web.calls_to("views.open")[-1]["view"]["callback_id"] == View.RESOLVE


def test_message_shortcut(slack, web, served):
    web.add_bot("xoxb-test", team="T111", enterprise="E111")  # a workspace of an Enterprise org
    body = sample("message_shortcut.json")
    body["callback_id"] = Shortcut.LOG_MESSAGE
    assert slack.interact(body).status == 200
    served.settle()
    form = web.calls_to("views.open")[-1]["view"]
    subject = next(b for b in form["blocks"] if b.get("block_id") == "subject")
    assert subject["element"]["initial_value"] == "<@W222> test"


def test_home_opened_and_mention_events(slack, web, served, runtime):
    web.add_bot("xoxb-test", team="T111", enterprise="E111")  # a workspace of an Enterprise org
    home = sample("event_app_home_opened_home_tab.json")
    home["team_id"] = "T111"  # sent from T12345678: made ours
    assert slack.post(json.dumps(home), "application/json").status == 200
    mention = sample("event_app_mention.json")
    assert slack.post(json.dumps(mention), "application/json").status == 200
    served.settle()
    assert "U12345678" in web.homes
    assert count(runtime) == 0
