"""Socket Mode: the same app with no signing secret; the payload of a real Socket Mode envelope
reaches the same listeners (the transport itself is slack_sdk's SocketModeClient, not ours to test)."""

from __future__ import annotations

import json
from pathlib import Path

from slack_bolt.request import BoltRequest

from bot.config.settings import Settings
from inquirybot.bootstrap import build_app, build_services
from storage.models import Inquiry
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
