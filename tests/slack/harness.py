"""Plays Slack against the served app: builds bodies in the shapes Slack sends (see ../shared/slack),
signs them, and POSTs them over real HTTP to the app served by waitress on a free localhost port."""
from __future__ import annotations

import http.client
import itertools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.cli.serve import make_server, wsgi_app
from bot.clock import Clock
from bot.runtime import Runtime
from handlers.app import create_app
from tests.slack.signing import signed_headers
from tests.slack.standin import TEAM, WebApiStandIn

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # Slack's published test secret
FORM = "application/x-www-form-urlencoded"


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    @property
    def text(self) -> str:
        """The text of an acknowledgement that carries a reply (slash commands)."""
        data = self.json() if self.body.strip().startswith(b"{") else None
        return (data or {}).get("text") or ""


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, counting work in flight so a test can wait for what runs after the ack."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="test-listener")
        self._busy = 0
        self._cond = threading.Condition()

    def submit(self, fn, /, *args, **kwargs):
        with self._cond:
            self._busy += 1

        def run():
            try:
                return fn(*args, **kwargs)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()
        return super().submit(run)

    def settle(self, timeout: float = 10.0) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: self._busy == 0, timeout), "background work did not finish"


class ServedApp:
    """create_app(runtime) behind waitress, exactly as `inquirybot serve` runs it."""

    def __init__(self, runtime: Runtime, **kwargs: Any):
        self.executor = TrackingExecutor()
        kwargs.setdefault("process_before_response", True)  # as `inquirybot serve` runs it
        self.app = create_app(runtime, listener_executor=self.executor, **kwargs)
        self.server = make_server(wsgi_app(self.app, runtime), host="127.0.0.1", port=0, threads=8)
        self.port = self.server.effective_port
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="served-app", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        # waitress's run() has no stop from another thread; loop in short steps and close here.
        while not self._stopping.is_set():
            self.server.asyncore.loop(timeout=0.05, map=self.server._map, use_poll=True, count=1)
        self.server.close()

    def settle(self) -> None:
        """Wait until the work listeners do after acknowledging (users.info, redraws, DMs) is done."""
        self.executor.settle()

    def stop(self) -> None:
        self.executor.shutdown(wait=True)  # background work of the last test finishes here, not in the next
        self._stopping.set()
        self.thread.join(5)


class SlackSim:
    def __init__(self, port: int, web: WebApiStandIn, clock: Clock, secret: str = SECRET):
        self.port, self.web, self.clock, self.secret = port, web, clock, secret
        self._ts = 0
        self._gestures = itertools.count(1)

    def trigger(self) -> str:
        """Slack gives every gesture (a command, a click, a submission) its own trigger_id."""
        return f"111.{next(self._gestures)}.xxx"

    # ---- raw HTTP ----------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return Response(response.status, response.read())
        finally:
            conn.close()

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    def post(self, body: str, content_type: str, *, timestamp: int | None = None, sign: bool = True,
             extra: dict[str, str] | None = None) -> Response:
        headers = (signed_headers(self.secret, body, content_type, self.now() if timestamp is None else timestamp)
                   if sign else {"Content-Type": content_type})
        headers.update(extra or {})
        return self.request("POST", "/slack/events", body.encode("utf-8"), headers)

    # ---- what Slack sends ------------------------------------------------------------------------

    def command_body(self, text: str, *, user: str = "U1", channel: str = "C1") -> str:
        """The form body of a slash command, field order as Slack sends it."""
        return urlencode({
            "token": "xxx", "team_id": TEAM, "team_domain": "test-workspace", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": "/inquiry",
            "text": text, "api_app_id": "A111", "is_enterprise_install": "false",
            "response_url": self.web.response_url("cmd"), "trigger_id": self.trigger(),
        })

    def command(self, text: str, *, user: str = "U1", channel: str = "C1") -> Response:
        return self.post(self.command_body(text, user=user, channel=channel), FORM)

    def interact(self, payload: dict[str, Any]) -> Response:
        return self.post(urlencode({"payload": json.dumps(payload)}), FORM)

    def click(self, action_id: str, value: str | int, *, user: str = "U1", message: dict | None = None,
              channel: str = "C1", ephemeral: bool = False, home: bool = False) -> Response:
        """A button in a message (with channel and response_url) or in App Home (neither)."""
        payload: dict[str, Any] = {
            "type": "block_actions", "user": {"id": user, "username": user.lower(), "name": user.lower(),
                                              "team_id": TEAM},
            "api_app_id": "A111", "token": "xxx", "trigger_id": self.trigger(),
            "team": {"id": TEAM, "domain": "test"},
            "actions": [{"action_id": action_id, "block_id": "b", "value": str(value), "type": "button",
                         "text": {"type": "plain_text", "text": "x"}, "action_ts": "1700000000.1"}],
        }
        if home:
            payload["container"] = {"type": "view", "view_id": "VHOME"}
            payload["view"] = {"id": "VHOME", "type": "home", "blocks": [], "state": {"values": {}}}
        else:
            message = message or {"ts": "1700000000.000001", "text": "", "blocks": []}
            payload["container"] = {"type": "message", "message_ts": message["ts"], "channel_id": channel,
                                    "is_ephemeral": ephemeral}
            payload["channel"] = {"id": channel, "name": "general"}
            payload["message"] = message
            payload["state"] = {"values": {}}
            payload["response_url"] = self.web.response_url("action")
        return self.interact(payload)

    def submit_payload(self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user: str = "U1",
                       view_id: str | None = None) -> dict[str, Any]:
        """A view_submission of a modal we opened (its callback_id and private_metadata kept); each
        modal opened has its own view id unless one is given."""
        state = {name: {name: value} for name, value in values.items()}
        view_id = view_id or f"VMODAL{next(self._gestures)}"
        return {
            "type": "view_submission", "team": {"id": TEAM, "domain": "test"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
            "api_app_id": "A111", "token": "xxx", "trigger_id": self.trigger(),
            "view": {"id": view_id, "team_id": TEAM, "type": "modal", "blocks": view.get("blocks", []),
                     "private_metadata": view.get("private_metadata", ""), "callback_id": view["callback_id"],
                     "state": {"values": state}, "hash": "1.abc", "title": view.get("title"),
                     "previous_view_id": None, "root_view_id": view_id, "app_id": "A111",
                     "external_id": "", "app_installed_team_id": TEAM, "bot_id": "BBOT"},
            "response_urls": [],
        }

    def submit(self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user: str = "U1",
               view_id: str | None = None) -> Response:
        return self.interact(self.submit_payload(view, values, user=user, view_id=view_id))

    def message_shortcut(self, text: str, *, user: str = "U1", channel: str = "C1",
                         ts: str = "1772636400.000300") -> Response:
        return self.interact({
            "type": "message_action", "token": "xxx", "action_ts": "1772636500.207593",
            "team": {"id": TEAM, "domain": "test"}, "user": {"id": user, "name": user.lower()},
            "channel": {"id": channel, "name": "general"}, "callback_id": "log_as_inquiry",
            "trigger_id": self.trigger(), "message_ts": ts,
            "message": {"type": "message", "text": text, "user": "U9", "ts": ts, "team": TEAM},
            "response_url": self.web.response_url("shortcut"),
        })

    def event(self, event: dict[str, Any], *, event_id: str, retry: int | None = None) -> Response:
        body = json.dumps({
            "token": "xxx", "team_id": TEAM, "api_app_id": "A111", "event": event, "type": "event_callback",
            "event_id": event_id, "event_time": self.now(),
            "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": "UBOT", "is_bot": True,
                                "is_enterprise_install": False}],
        })
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.post(body, "application/json", extra=extra)


# view.state.values elements, as Slack sends each element type.

def text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def select(value: str | None) -> dict[str, Any]:
    option = None if value is None else {"text": {"type": "plain_text", "text": value}, "value": value}
    return {"type": "static_select", "selected_option": option}


def user(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def when(instant: Any | None) -> dict[str, Any]:
    return {"type": "datetimepicker", "selected_date_time": None if instant is None else int(instant.timestamp())}


def checks(*values: str) -> dict[str, Any]:
    return {"type": "checkboxes",
            "selected_options": [{"text": {"type": "plain_text", "text": v}, "value": v} for v in values]}
