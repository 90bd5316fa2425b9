"""Slack variables Bolt reads from the environment by itself (handlers/bolt_env.py) change nothing:
our settings are the only ones the apps are built from. Installed through OAuth:
tests/slack/test_oauth_install.py."""

from __future__ import annotations

import logging

from tests.slack.harness import ServedApp, ServedSlack
from tests.slack.helpers import know_zone

# Set where inquirybot runs (a developer's shell, a second app's settings), read by no setting of ours
# for one workspace: SLACK_CLIENT_ID/SECRET without SLACK_STATE_SECRET are refused by settings_from_env,
# and the app is built from the Settings the runtime was given.
STRAY = {
    "SLACK_CLIENT_ID": "999.999",
    "SLACK_CLIENT_SECRET": "another-apps-secret",
    "SLACK_BOT_TOKEN": "xoxb-another-app",
}


def test_one_workspaces_app_keeps_its_token_whatever_slack_variables_are_set(
    runtime, web, clock, monkeypatch, caplog
):
    """With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, Bolt attached a default OAuth flow with a
    file-based installation store and dropped the bot token: building the app (`inquirybot shell`,
    `socket`) stopped with "Bolt's single-token authorization was not found"."""
    for name, value in STRAY.items():
        monkeypatch.setenv(name, value)
    with caplog.at_level(logging.INFO):
        served = ServedApp(runtime)
    try:
        slack = ServedSlack(served.port, web, clock)
        know_zone(slack, web, "U1")
        assert slack.command("log email Still ours").text.startswith(":white_check_mark: Logged *INQ-1*")
        served.settle()
        assert {c.token for c in web.calls if c.method in ("users.info", "auth.test")} == {"xoxb-test"}
    finally:
        served.stop()
    told = [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")]
    assert not [m for m in told if "file-based" in m or "will be unused" in m or "will be ignored" in m], told
