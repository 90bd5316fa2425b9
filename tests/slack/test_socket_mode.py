"""Socket Mode: the same app with no signing secret; Slack's envelope payloads reach the same
listeners (the transport itself is slack_sdk's SocketModeClient, not ours to test)."""
from __future__ import annotations

from slack_bolt.request import BoltRequest

from bot.settings import Settings
from handlers.app import create_app
from storage.models import Inquiry
from tests.slack.helpers import count


def test_socket_mode_app_needs_no_signing_secret_and_handles_commands(runtime, web):
    runtime.settings = Settings(database_url=runtime.settings.database_url, slack_bot_token="xoxb-test",
                                slack_app_token="xapp-test", slack_api_url=web.url)
    app = create_app(runtime, socket_mode=True, process_before_response=True)
    body = {"token": "xxx", "team_id": "T111", "user_id": "U1", "command": "/inquiry", "channel_id": "C1",
            "text": "log email Over the socket", "response_url": web.response_url(), "trigger_id": "1.2.3"}
    first = app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert first.status == 200
    [reply] = web.wait_for("response_url")  # zone unknown on the first command: answered after the ack
    assert reply["text"].startswith(":white_check_mark: Logged *INQ-1*")
    assert count(runtime, Inquiry) == 1

