"""Builds requests in the shapes Slack sends (../shared/slack samples), signs them as Slack does, and
dispatches them through the real Bolt app in-process — the shell's stand-in for Slack's servers."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse

TEAM_ID = "T0SHELL"
FORM = "application/x-www-form-urlencoded"


def sign(secret: str, timestamp: int, body: str) -> str:
    """Slack's v0 signature: HMAC-SHA256 over 'v0:<timestamp>:<raw body>'."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackSim:
    app: App
    secret: str
    now: Callable[[], float]  # epoch seconds on the shell's clock (Bolt checks the 5-minute window)
    response_url: Callable[[str], str]

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)

    def _dispatch(self, body: str, content_type: str) -> BoltResponse:
        ts = int(self.now())
        headers = {
            "content-type": [content_type],
            "x-slack-request-timestamp": [str(ts)],
            "x-slack-signature": [sign(self.secret, ts, body)],
        }
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def _trigger(self) -> str:
        return f"{next(self._ids)}.{TEAM_ID}.shell"

    def command(self, user_id: str, user_name: str, text: str, channel_id: str = "D0SHELL") -> BoltResponse:
        body = urlencode({
            "token": "shell", "team_id": TEAM_ID, "team_domain": "shell", "channel_id": channel_id,
            "channel_name": "directmessage", "user_id": user_id, "user_name": user_name,
            "command": "/inquiry", "text": text, "api_app_id": "A0SHELL", "is_enterprise_install": "false",
            "response_url": self.response_url(f"cmd{next(self._ids)}"), "trigger_id": self._trigger(),
        })
        return self._dispatch(body, FORM)

    def click(self, user_id: str, user_name: str, button: dict[str, Any], block_id: str,
              where: dict[str, Any]) -> BoltResponse:
        """A button press; `where` says where the message was: {"type": "message", "channel", "ts",
        "blocks", "ephemeral"} or {"type": "home", "view_id", "blocks"}."""
        action = {"action_id": button.get("action_id"), "block_id": block_id, "text": button.get("text"),
                  "value": button.get("value", ""), "type": "button", "action_ts": f"{self.now():.6f}"}
        payload: dict[str, Any] = {
            "type": "block_actions", "user": {"id": user_id, "username": user_name, "name": user_name,
                                             "team_id": TEAM_ID},
            "api_app_id": "A0SHELL", "token": "shell", "trigger_id": self._trigger(),
            "team": {"id": TEAM_ID, "domain": "shell"}, "enterprise": None, "is_enterprise_install": False,
            "actions": [action],
        }
        if where["type"] == "home":
            payload["container"] = {"type": "view", "view_id": where["view_id"]}
            payload["view"] = {"id": where["view_id"], "type": "home", "blocks": where["blocks"],
                               "state": {"values": {}}, "hash": "shell", "private_metadata": ""}
        else:
            payload["container"] = {"type": "message", "message_ts": where["ts"], "channel_id": where["channel"],
                                    "is_ephemeral": where["ephemeral"]}
            payload["channel"] = {"id": where["channel"], "name": where["channel"]}
            payload["message"] = {"type": "message", "ts": where["ts"], "blocks": where["blocks"], "text": ""}
            payload["state"] = {"values": {}}
            payload["response_url"] = self.response_url(f"act{next(self._ids)}")
        return self._dispatch(urlencode({"payload": json.dumps(payload)}), FORM)

    def home_opened(self, user_id: str) -> BoltResponse:
        now = self.now()
        body = json.dumps({
            "token": "shell", "team_id": TEAM_ID, "api_app_id": "A0SHELL", "type": "event_callback",
            "event_id": f"Ev{next(self._ids):08d}", "event_time": int(now),
            "event": {"type": "app_home_opened", "user": user_id, "channel": "D0SHELL", "tab": "home",
                      "event_ts": f"{now:.6f}"},
            "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True}],
        })
        return self._dispatch(body, "application/json")
