"""manifest.yml matches the code: the command, the shortcut's callback id, the events the
listeners handle, one request URL for everything, and Slack's length limits. (It was also checked
against slackapi/manifest-schema's schemas/manifest.schema.1.0.0.json, in HTTP and Socket Mode form.)"""

from __future__ import annotations

import re
from pathlib import Path

from bot.rendering.actions import Shortcut
from inquirybot.cli.serve import EVENTS_PATH
from inquirybot.tenants import SCOPES

MANIFEST = (Path(__file__).parents[2] / "manifest.yml").read_text(encoding="utf-8")


def values(key: str) -> list[str]:
    return [v.strip().strip('"') for v in re.findall(rf"^\s*-?\s*{key}:\s*(.+?)\s*$", MANIFEST, re.MULTILINE)]


def test_the_oauth_redirect_url_is_the_one_serve_answers():
    redirect = re.search(r"redirect_urls:.*\n\s+- (\S+)", MANIFEST).group(1)
    assert redirect == "https://inquirybot.example.gov/slack/oauth_redirect"


def test_command_shortcut_and_events_match_the_listeners():
    assert values("command") == ["/inquiry"]
    assert values("callback_id") == [Shortcut.LOG_MESSAGE]
    assert values("should_escape") == ["true"]  # mentions arrive as <@U…|name>, which the parser reads
    section = re.search(r"bot_events:\n((?:\s+- .+\n)+)", MANIFEST).group(1)
    events = re.findall(r"^\s+- ([a-z_.]+)", section, re.MULTILINE)
    assert events == ["app_home_opened", "app_mention", "message.channels", "function_executed"]


def test_one_request_url_for_commands_interactivity_and_events():
    urls = values("url") + values("request_url")
    assert len(urls) == 3 and all(u.endswith(EVENTS_PATH) for u in urls)


def test_only_the_scopes_we_use():
    section = MANIFEST.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    scopes = re.findall(r"^\s+- ([a-z_.:]+)", section, re.MULTILINE)
    assert tuple(scopes) == SCOPES  # what /slack/install asks for, too (inquirybot/tenants.py)


def test_slack_limits():
    assert len(values("name")[0]) <= 35
    assert all(len(name) <= 24 for name in values("name")[1:])  # shortcut names
    assert len(values("usage_hint")[0]) <= 1000


def test_the_workflow_step_is_declared_as_the_listener_reads_it():
    from bot.rendering.workflow import CALLBACK_ID

    functions = MANIFEST.split("\nfunctions:\n", 1)[1]
    assert functions.startswith(f"  {CALLBACK_ID}:\n")
    inputs = functions.split("input_parameters:", 1)[1].split("output_parameters:", 1)[0]
    names = re.findall(r"^        ([a-z_]+):$", inputs, re.MULTILINE)
    assert names == [
        "kind",
        "subject",
        "customer",
        "received",
        "complexity",
        "needs_research",
        "assignee",
        "logged_by",
    ]
    outputs = functions.split("output_parameters:", 1)[1]
    assert re.findall(r"^        ([a-z_]+):$", outputs, re.MULTILINE) == ["inquiry_id", "first_response_due"]
    assert (
        "org_deploy_enabled: true" in MANIFEST and "function_runtime: remote" in MANIFEST
    )  # custom steps need both
    assert re.search(r"^  major_version: 2", MANIFEST, re.MULTILINE)  # functions in the version 2 form
