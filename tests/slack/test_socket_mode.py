"""Socket Mode: the same app with no signing secret; the payload of a real Socket Mode envelope
reaches the same listeners (the transport itself is slack_sdk's SocketModeClient, not ours to test)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from slack_bolt.request import BoltRequest

from bot.config.settings import Settings
from inquirybot.bootstrap import build_app, build_services
from storage.models import Inquiry
from tests.slack.faults import Fault
from tests.slack.helpers import count


def test_socket_mode_app_needs_no_signing_secret_and_handles_commands(runtime, web):
    runtime.settings = Settings(
        database_url=runtime.settings.database_url,
        slack_bot_token="xoxb-test",
        slack_app_token="xapp-test",
        slack_api_url=web.url,
    )
    app = build_app(runtime, build_services(runtime), socket_mode=True)
    envelope = json.loads(
        (Path(__file__).parent / "samples" / "socket_mode_envelope_slash_commands.json").read_text()
    )
    body = {
        **envelope["payload"],
        "user_id": "U1",
        "command": "/inquiry",
        "text": "log email Over the socket",
        "response_url": web.response_url(),
    }
    first = app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert first.status == 200
    [reply] = web.wait_for("response_url")  # zone unknown on the first command: answered after the ack
    assert reply["text"].startswith(":white_check_mark: Logged *INQ-1*")
    assert count(runtime, Inquiry) == 1


INQUIRYBOT = Path(sys.executable).with_name("inquirybot")


def socket_start(database_url: str, api_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-1-test",
        "SLACK_APP_TOKEN": "xapp-1-A1-test",
        "SLACK_API_URL": api_url,
    }
    env.pop("INQUIRYBOT_CONFIG", None)
    return subprocess.run(
        [str(INQUIRYBOT), "socket", "--no-scheduler"], env=env, capture_output=True, text=True, timeout=60
    )


def test_socket_with_its_token_refused_is_one_line_and_exit_2(engine, database_url, web):
    """Slack answering invalid_auth to apps.connections.open was a traceback, exit 1."""
    web.fail("apps.connections.open", Fault(body={"ok": False, "error": "invalid_auth"}))
    done = socket_start(database_url, web.url)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "inquirybot: Slack refused the Socket Mode connection (invalid_auth); check SLACK_APP_TOKEN: an "
        "app-level token (xapp-…) with connections:write from the Slack app's Basic Information page, of "
        "the same app as SLACK_BOT_TOKEN"
    )
    assert len(web.calls_to("apps.connections.open")) == 1


def test_socket_with_slack_out_of_reach_is_one_line_and_exit_2(engine, database_url):
    """A closed port (no Slack, a wrong SLACK_API_URL, a firewall) was a traceback, exit 1."""
    with socket.socket() as closed:  # bound, never listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"
        done = socket_start(database_url, url)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith(f"inquirybot: cannot reach Slack at {url} (") and "Connection refused" in last, (
        last
    )
    assert last.endswith("); check the network (or proxy) and SLACK_API_URL")
    # slack_sdk's own ERROR and retry lines about the same failure are not shown before ours
    sdk = [line for line in done.stderr.splitlines() if "slack_sdk" in line]
    assert sdk == [], done.stderr
