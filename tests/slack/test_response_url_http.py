"""A response_url is posted to only when it is Slack's (https://hooks.<SLACK_DOMAIN>/…) or the
configured Web API's own (the stand-in): a signed but crafted payload, or a form whose
private_metadata was retargeted, naming another host gets nothing sent there — the reply goes as an
ephemeral through the Web API instead (handlers/response_urls.py, docs/commands.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.rendering import modals as f
from bot.rendering.actions import Action
from handlers.response_urls import trusted
from inquirybot.slack_standin.webapi import WebApiStandIn
from tests.slack.harness import ServedSlack, text, when
from tests.slack.helpers import know_zone


@pytest.fixture
def elsewhere() -> Iterator[WebApiStandIn]:
    """Another host (another origin: the same address on another port), recording what reaches it."""
    server = WebApiStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def crafted(served, elsewhere, clock) -> ServedSlack:
    """Requests signed as Slack signs them, whose response_url points at `elsewhere`."""
    return ServedSlack(served.port, elsewhere, clock)


def test_a_command_whose_response_url_is_another_host_is_answered_through_the_web_api(
    crafted, web, served, elsewhere
):
    answer = crafted.command("help", user="U2")  # zone not known yet: the reply follows the ack
    assert answer.status == 200
    served.settle()
    [note] = web.wait_for("chat.postEphemeral")
    assert note["user"] == "U2" and note["channel"] == "C1" and "inquirybot commands" in note["text"]
    assert elsewhere.calls == []


def test_a_refused_click_whose_response_url_is_another_host_sends_nothing_there(
    slack, crafted, web, served, elsewhere
):
    know_zone(slack, web, "U1")
    slack.command("log email Export license status")
    served.settle()
    assert crafted.click(Action.SNOOZE_1H, 99, user="U1").status == 200
    served.settle()
    [note] = web.wait_for("chat.postEphemeral")
    assert "INQ-99" in note["text"] and note["user"] == "U1"
    assert elsewhere.calls == []


def test_a_click_from_another_workspace_is_not_answered_at_another_host(crafted, web, served, elsewhere):
    assert crafted.from_workspace("T999").click(Action.SNOOZE_1H, 1, user="U1").status == 200
    served.settle()
    assert elsewhere.calls == []
    assert web.summary() == ["auth.test"]  # and no token of ours used for the stranger


def test_a_form_whose_metadata_points_its_redraw_at_another_host_posts_nothing_there(
    slack, web, served, elsewhere
):
    """Its seal no longer matches (handlers/form_seal.py): refused, nothing posted anywhere."""
    know_zone(slack, web, "U1")
    slack.command("log email Export license status")
    slack.click(Action.ACKNOWLEDGE, 1, ephemeral=True)
    form = web.wait_for("views.open")[0]["view"]
    metadata = json.loads(form["private_metadata"])
    metadata["w"]["r"] = elsewhere.response_url("action")
    retargeted = dict(form, private_metadata=json.dumps(metadata))
    answer = slack.submit(retargeted, {f.EXPECT: when(None), f.NOTE: text("Sent the form")})
    assert "this form was changed after it opened" in str(answer.json()["errors"])
    served.settle()
    assert elsewhere.calls == []


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://hooks.slack.com/commands/T1/2/abc", True),
        ("https://hooks.slack.com:443/actions/T1/2/abc", True),
        ("http://hooks.slack.com/commands/T1/2/abc", False),
        ("https://hooks.slack.com.evil.example/commands", False),
        ("https://hooks.slack.com@evil.example/commands", False),
        ("https://evil.example/?hooks.slack.com", False),
        ("https://hooks.slack-gov.com/commands/T1/2/abc", False),
        ("https://hooks.slack.com:8443/commands", False),
        ("not a url", False),
        ("", False),
    ],
)
def test_which_response_urls_are_slacks(runtime, url, ok):
    assert trusted(url, runtime.settings) is ok


def test_on_govslack_only_its_own_hooks_host_is_trusted(runtime):
    gov = replace(runtime.settings, slack_domain="slack-gov.com", slack_api_url="https://slack-gov.com/api/")
    assert trusted("https://hooks.slack-gov.com/commands/T1/2/abc", gov)
    assert not trusted("https://hooks.slack.com/commands/T1/2/abc", gov)
    assert trusted(runtime.settings.slack_api_url.replace("/api/", "/response/cmd/1"), runtime.settings)
