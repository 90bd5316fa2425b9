"""A local stand-in for Slack's Web API: a real HTTP server on 127.0.0.1 that answers the methods
inquirybot calls and records each call, so the shell can show what the bot would post.

It also answers `response_url` posts (path /respond/...), the way Slack's response URLs work.
"""
from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", or "respond" for a response_url post
    params: dict[str, Any]


@dataclass
class WebApiStandIn:
    """Start with `start()`; `base_url` is what WebClient(base_url=...) and SLACK_API_URL take."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id -> {"name", "tz"}
    calls: list[Call] = field(default_factory=list)
    on_call: Any = None  # optional callback(Call) — the shell prints as calls arrive

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> WebApiStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                status, body = stand_in._handle(self.path, raw, self.headers.get("Content-Type", ""))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str = "r") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    # -- answers ----------------------------------------------------------------------------
    def _handle(self, path: str, raw: str, content_type: str) -> tuple[int, dict[str, Any]]:
        params = _parse(raw, content_type)
        if path.startswith("/respond/"):
            call = Call("respond", params)
        elif path.startswith("/api/"):
            call = Call(path[len("/api/"):], params)
        else:
            return 404, {"ok": False, "error": "unknown_method"}
        with self._lock:
            self.calls.append(call)
            ts = f"{1700000000 + next(self._ts)}.000100"
        if self.on_call:
            self.on_call(call)
        return 200, self._answer(call, ts)

    def _answer(self, call: Call, ts: str) -> dict[str, Any]:
        p = call.params
        match call.method:
            case "respond":
                return {"ok": True}
            case "auth.test":
                return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0SHELL", "user": "inquirybot"}
            case "conversations.open":
                users = str(p.get("users", "")).split(",")[0]
                return {"ok": True, "channel": {"id": "D" + users.lstrip("U")}}
            case "chat.postMessage" | "chat.update":
                return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts") or ts,
                        "message": {"text": p.get("text"), "ts": p.get("ts") or ts}}
            case "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            case "chat.getPermalink":
                return {"ok": True, "permalink": f"https://example.slack.com/archives/{p.get('channel')}/p{str(p.get('message_ts', '')).replace('.', '')}"}
            case "users.info":
                user = str(p.get("user", ""))
                known = self.users.get(user, {})
                return {"ok": True, "user": {"id": user, "name": known.get("name", user.lower()),
                                             "real_name": known.get("name", user),
                                             "tz": known.get("tz", "America/New_York")}}
            case "views.open" | "views.update" | "views.push" | "views.publish":
                view = p.get("view")
                if isinstance(view, str):
                    view = json.loads(view)
                return {"ok": True, "view": {"id": "V" + ts.replace(".", ""), **(view or {})}}
            case _:
                return {"ok": True}


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        try:
            return json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {"_raw": raw}
    parsed = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    for key in ("blocks", "view", "attachments"):
        if isinstance(parsed.get(key), str):
            try:
                parsed[key] = json.loads(parsed[key])
            except json.JSONDecodeError:
                pass
    return parsed
