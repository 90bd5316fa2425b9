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


# The scope each Web API method and event the app uses needs (api.slack.com/methods, /events).
NEEDS = {
    "auth.test": set(),
    "chat.getPermalink": set(),
    "chat.postEphemeral": {"chat:write"},
    "chat.postMessage": {"chat:write"},
    "chat.update": {"chat:write"},
    # the exactly-once look-up, in public and private channels and DMs (docs/delivery.md)
    "conversations.history": {"channels:history", "groups:history", "im:history"},
    "conversations.open": {"im:write"},
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
    "users.info": {"users:read"},
    "views.open": set(),
    "views.publish": set(),
    "views.push": set(),
    "views.update": set(),
    "event:app_home_opened": set(),
    "event:app_mention": {"app_mentions:read"},
    "event:message.channels": {"channels:history"},
    "event:function_executed": set(),
    "slash command": {"commands"},
}
API = re.compile(r"\"((?:chat|conversations|users|files|views|auth|reactions|pins|team|usergroups)\.\w+)\"")
CLIENT = re.compile(r"\bclient\.((?:chat|conversations|users|files|views|auth|reactions|pins|team)_\w+)\(")


def used_methods() -> set[str]:
    """Every Web API method the app's own code names (not the stand-in that plays Slack in tests)."""
    root = Path(__file__).parents[2]
    found: set[str] = set()
    for package in ("handlers", "bot", "inquirybot", "storage"):
        for path in (root / package).rglob("*.py"):
            if "slack_standin" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            found |= set(API.findall(source))
            found |= {m.replace("_", ".", 1) for m in CLIENT.findall(source)}
    return found


def test_every_scope_is_needed_by_something_the_app_calls_or_hears_and_none_is_missing():
    methods = used_methods()
    assert methods <= set(NEEDS), f"say which scope {sorted(methods - set(NEEDS))} need"
    section = re.search(r"bot_events:\n((?:\s+- .+\n)+)", MANIFEST).group(1)
    events = {f"event:{e}" for e in re.findall(r"^\s+- ([a-z_.]+)", section, re.MULTILINE)}
    used = methods | events | {"slash command"}
    needed = set().union(*(NEEDS[u] for u in used))
    assert needed == set(SCOPES), (
        f"missing from the manifest: {sorted(needed - set(SCOPES))}; "
        f"declared but unused: {sorted(set(SCOPES) - needed)}"
    )
