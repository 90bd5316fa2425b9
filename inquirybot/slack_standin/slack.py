"""Plays Slack against the app: builds request bodies in the shapes Slack sends (the samples in
tests/slack/samples), signs them as Slack does (signing.py) and hands them to a transport: real HTTP to the
served app (the tests, tests/slack/harness.py) or Bolt's dispatch in-process (`inquirybot shell`)."""

from __future__ import annotations

import http.client
import itertools
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bot.time.clock import Clock
from inquirybot.slack_standin.installs import TEAM
from inquirybot.slack_standin.signing import signed_headers
from inquirybot.slack_standin.webapi import WebApiStandIn

FORM = "application/x-www-form-urlencoded"
EVENTS_PATH = "/slack/events"


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # over HTTP: the answer's headers

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    @property
    def text(self) -> str:
        """The text of an acknowledgement that carries a reply (slash commands)."""
        data = self.json() if self.body.strip().startswith(b"{") else None
        return (data or {}).get("text") or ""


# A transport takes a signed request (raw body, headers) and returns the app's answer.
Transport = Callable[[bytes, dict[str, str]], Response]


def http_request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Response(response.status, response.read(), dict(response.getheaders()))
    finally:
        conn.close()


def over_http(port: int, path: str = EVENTS_PATH) -> Transport:
    """POST to the served app on localhost, as Slack's servers do."""
    return lambda body, headers: http_request(port, "POST", path, body, headers)


def in_process(app: Any) -> Transport:
    """Bolt's own dispatch, in the caller's thread: what the shell uses (no server, no port)."""
    from slack_bolt import BoltRequest

    def send(body: bytes, headers: dict[str, str]) -> Response:
        answer = app.dispatch(
            BoltRequest(body=body.decode("utf-8"), headers={k.lower(): [v] for k, v in headers.items()})
        )
        return Response(answer.status, (answer.body or "").encode("utf-8"))

    return send


class SlackSim:
    def __init__(self, send: Transport, web: WebApiStandIn, clock: Clock, secret: str):
        self.send, self.web, self.clock, self.secret = send, web, clock, secret
        self._ids = itertools.count(1)
        self._gestures = itertools.count(1)
        # Slack's trigger and event ids are unique for ever; counting from 1 in every run made a
        # shell reopening a kept database (`--database-url`) look like Slack delivering the last
        # run's requests twice, so each run's ids carry a part of their own.
        self._run = secrets.token_hex(4)
        # Where requests come from: a workspace (team), of an Enterprise org (enterprise), and
        # whether the app is installed org-wide there (org_wide).
        self.team: str = TEAM
        self.enterprise: str | None = None
        self.org_wide = False

    def from_workspace(self, team: str, *, enterprise: str | None = None, org_wide: bool = False) -> SlackSim:
        """Play requests from another workspace (or a workspace of an org); returns self."""
        self.team, self.enterprise, self.org_wide = team, enterprise, org_wide
        return self

    def _org(self) -> dict[str, Any]:
        """The fields a payload carries when it comes from an Enterprise org."""
        return {"enterprise": {"id": self.enterprise, "name": "org"}} if self.enterprise else {}

    def trigger(self) -> str:
        """Slack gives every gesture (a command, a click, a submission) its own trigger_id; the app
        claims a replayed one only once (docs/record.md)."""
        return f"111.{next(self._gestures)}.{self._run}"

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        sign: bool = True,
        extra: dict[str, str] | None = None,
    ) -> Response:
        headers = (
            signed_headers(self.secret, body, content_type, self.now() if timestamp is None else timestamp)
            if sign
            else {"Content-Type": content_type}
        )
        headers.update(extra or {})
        return self.send(body.encode("utf-8"), headers)

    # ---- what Slack sends ------------------------------------------------------------------------

    def command_body(
        self, text: str, *, user: str = "U1", channel: str = "C1", user_name: str | None = None
    ) -> str:
        """The form body of a slash command, field order as Slack sends it."""
        return urlencode(
            {
                "token": "xxx",
                "team_id": self.team,
                "team_domain": "test-workspace",
                **({"enterprise_id": self.enterprise, "enterprise_name": "org"} if self.enterprise else {}),
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user_name or user.lower(),
                "command": "/inquiry",
                "text": text,
                "api_app_id": "A111",
                "is_enterprise_install": "true" if self.org_wide else "false",
                "response_url": self.web.response_url("cmd"),
                "trigger_id": self.trigger(),
            }
        )

    def command(
        self, text: str, *, user: str = "U1", channel: str = "C1", user_name: str | None = None
    ) -> Response:
        return self.post(self.command_body(text, user=user, channel=channel, user_name=user_name), FORM)

    def interact(self, payload: dict[str, Any]) -> Response:
        return self.post(urlencode({"payload": json.dumps(payload)}), FORM)

    def click(
        self,
        action_id: str,
        value: str | int,
        *,
        user: str = "U1",
        message: dict | None = None,
        channel: str = "C1",
        ephemeral: bool = False,
        home: bool = False,
        user_name: str | None = None,
        block_id: str = "b",
        label: str = "x",
        view_id: str = "VHOME",
        home_blocks: list[dict[str, Any]] | None = None,
    ) -> Response:
        """A button in a message (with channel and response_url) or in App Home (neither)."""
        name = user_name or user.lower()
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": name, "name": name, "team_id": self.team},
            "api_app_id": "A111",
            "token": "xxx",
            "trigger_id": self.trigger(),
            "team": {"id": self.team, "domain": "test"},
            "is_enterprise_install": self.org_wide,
            **self._org(),
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": str(value),
                    "type": "button",
                    "text": {"type": "plain_text", "text": label},
                    "action_ts": f"{self.now()}.1",
                }
            ],
        }
        if home:
            payload["container"] = {"type": "view", "view_id": view_id}
            payload["view"] = {
                "id": view_id,
                "type": "home",
                "blocks": home_blocks or [],
                "state": {"values": {}},
            }
        else:
            message = message or {"ts": "1700000000.000001", "text": "", "blocks": []}
            payload["container"] = {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["channel"] = {"id": channel, "name": "general"}
            payload["message"] = message
            payload["state"] = {"values": {}}
            payload["response_url"] = self.web.response_url("action")
        return self.interact(payload)

    def submit_payload(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        *,
        user: str = "U1",
        view_id: str | None = None,
    ) -> dict[str, Any]:
        """A view_submission of a modal we opened (its callback_id and private_metadata kept); each
        modal opened has its own view id unless one is given."""
        state = {name: {name: value} for name, value in values.items()}
        view_id = view_id or f"VMODAL{next(self._gestures)}"
        return {
            "type": "view_submission",
            "team": {"id": self.team, "domain": "test"},
            "is_enterprise_install": self.org_wide,
            **self._org(),
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team},
            "api_app_id": "A111",
            "token": "xxx",
            "trigger_id": self.trigger(),
            "view": {
                "id": view_id,
                "team_id": self.team,
                "type": "modal",
                "blocks": view.get("blocks", []),
                "private_metadata": view.get("private_metadata", ""),
                "callback_id": view["callback_id"],
                "state": {"values": state},
                "hash": "1.abc",
                "title": view.get("title"),
                "previous_view_id": None,
                "root_view_id": view_id,
                "app_id": "A111",
                "external_id": "",
                "app_installed_team_id": self.team,
                "bot_id": "BBOT",
            },
            "response_urls": [],
        }

    def submit(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        *,
        user: str = "U1",
        view_id: str | None = None,
    ) -> Response:
        return self.interact(self.submit_payload(view, values, user=user, view_id=view_id))

    def message_shortcut(
        self,
        text: str,
        *,
        user: str = "U1",
        channel: str = "C1",
        ts: str = "1772636400.000300",
        author: str = "U9",
    ) -> Response:
        return self.interact(
            {
                "type": "message_action",
                "token": "xxx",
                "action_ts": "1772636500.207593",
                "team": {"id": self.team, "domain": "test"},
                "user": {"id": user, "name": user.lower()},
                "channel": {"id": channel, "name": "general"},
                "callback_id": "log_as_inquiry",
                "trigger_id": self.trigger(),
                "message_ts": ts,
                "message": {"type": "message", "text": text, "user": author, "ts": ts, "team": self.team},
                "response_url": self.web.response_url("shortcut"),
            }
        )

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        shared_channel: bool = False,
    ) -> Response:
        """An Events API request; `shared_channel`: from a channel shared with another organization
        (Slack Connect), where the event's user_team may name the author's own workspace."""
        body = json.dumps(
            {
                "token": "xxx",
                "team_id": self.team,
                **({"enterprise_id": self.enterprise} if self.enterprise else {}),
                "api_app_id": "A111",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{self._run}{next(self._ids):08d}",
                "event_time": self.now(),
                "authorizations": [
                    {
                        "enterprise_id": self.enterprise,
                        "team_id": None if self.org_wide else self.team,
                        "user_id": "UBOT",
                        "is_bot": True,
                        "is_enterprise_install": self.org_wide,
                    }
                ],
                "is_ext_shared_channel": shared_channel,
            }
        )
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post(body, "application/json", extra=extra)

    def home_opened(self, user: str) -> Response:
        return self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": f"D{user}",
                "tab": "home",
                "event_ts": f"{self.now()}.000100",
            }
        )
