"""A local stand-in for the Slack Web API: a real HTTP server on 127.0.0.1 that answers the methods
inquirybot calls with Slack's shapes, records every call with its answer, and keeps what a user
would see (posted and updated messages, ephemeral replies, response_url answers, published Home
views, open modals). `inquirybot shell` prints from it; the tests extend it with faults and waiting
(tests/slack/faults.py). Files go through Slack's external upload flow: files.getUploadURLExternal
hands out an upload URL on this server, the bytes POSTed there are kept (`uploads`, method name
"upload", which is also what a fault is queued on), and files.completeUploadExternal finishes them
(`files`).

conversations.history answers from what was posted (oldest/latest/inclusive/limit/cursor, metadata
only with include_all_metadata) and can be rate-limited as Slack limits apps distributed outside
the Marketplace (1 call a minute, 15 messages a page): `limit_history(calls, per_seconds, page)`,
with the period shortened in tests. `wall_clock_ts()` makes message ts the real time of posting
(for processes that run on the system clock); `post_delay` slows chat.postMessage down.

Installs (oauth.v2.access, auth.test) are installs.py; reading requests and writing answers over
HTTP is serving.py.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from inquirybot.slack_standin.installs import BOT_USER, TEAM, Installs
from inquirybot.slack_standin.serving import handler_for


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    params: dict[str, Any]
    token: str | None = None
    path: str = ""
    answer: dict[str, Any] = field(default_factory=dict)  # what the stand-in answered (ts, channel, …)


class WebApiStandIn(Installs):
    """Start with `start()`; `url` is what SLACK_API_URL and WebClient(base_url=…) take."""

    def __init__(
        self, *, users: dict[str, dict[str, Any]] | None = None, on_call: Callable[[Call], None] | None = None
    ) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}  # user id -> {"name", "tz"}; others are user_not_found
        for user_id, profile in (users or {}).items():
            self.add_user(user_id, tz=profile.get("tz"), name=profile.get("name"))
        self.on_call = on_call  # e.g. the shell printing as calls arrive
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> message
        self.homes: dict[str, dict[str, Any]] = {}  # user -> last published view
        self.uploads: dict[str, bytes] = {}  # file id -> bytes POSTed to its upload URL
        self.files: dict[
            str, dict[str, Any]
        ] = {}  # file id -> reservation (filename, length, alt_txt, title)
        self.platform = "slack.com"  # the domain the stand-in plays (SLACK_DOMAIN)
        # OAuth installs (add_install): code -> oauth.v2.access answer (each code works once), and
        # bot token -> who it is (auth.test); the default token is workspace TEAM's.
        self.oauth_codes: dict[str, dict[str, Any]] = {}
        self.bots: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._wall_clock = False
        self._last_wall = 0.0
        self.post_delay = 0.0  # seconds each chat.postMessage takes
        self.history_limit: tuple[int, float, int] | None = None  # calls, per seconds, page size
        self._history_calls: list[float] = []
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="web-api-stand-in", daemon=True
        )

    # ---- lifecycle ------------------------------------------------------------------------------

    def start(self) -> WebApiStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.users.clear()
            self.messages.clear()
            self.homes.clear()
            self.uploads.clear()
            self.files.clear()
            self._history_calls.clear()
            self.oauth_codes.clear()
            self.bots.clear()
            self._ts = itertools.count(1)
        self.history_limit = None
        self.post_delay = 0.0
        self._wall_clock = False
        self.platform = "slack.com"  # a test that played GovSlack leaves commercial Slack behind

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """SLACK_API_URL: WebClient appends the method name."""
        return f"http://127.0.0.1:{self.port}/api/"

    base_url = url

    def response_url(self, name: str = "cmd") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}/{next(self._ids)}"

    # ---- test set-up ------------------------------------------------------------------------------

    def add_user(self, user_id: str, *, tz: str | None = "America/New_York", name: str | None = None) -> None:
        self.users[user_id] = {"tz": tz, "name": name or user_id.lower()}

    def limit_history(self, calls: int = 1, per_seconds: float = 60.0, page: int = 15) -> None:
        """Rate-limit conversations.history like Slack's Tier 1 (non-Marketplace apps)."""
        self.history_limit = (calls, per_seconds, page)

    def wall_clock_ts(self) -> None:
        self._wall_clock = True

    # ---- what happened ------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def summary(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def texts(self, method: str) -> list[str]:
        return [p.get("text") or "" for p in self.calls_to(method)]

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        return [p for p in self.calls_to("chat.postMessage") if p.get("channel") in (user_id, f"D{user_id}")]

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        return self.messages[(channel, ts)]

    # ---- answering ------------------------------------------------------------------------------

    def answer(
        self, method: str, params: dict[str, Any], token: str | None, path: str
    ) -> tuple[int, dict, dict]:
        call = Call(method, params, token, path)
        with self._lock:
            self.calls.append(call)
            fault = self.intercept(method)
        if fault is not None:
            status, body, headers = fault
        elif (
            method == "conversations.history"
            and self.history_limit is not None
            and (wait := self._history_wait())
        ):
            status, body, headers = 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
        else:
            if method == "chat.postMessage" and self.post_delay:
                time.sleep(self.post_delay)
            if method == "auth.test":
                params = {**params, "token": token}
            handler = getattr(self, "_" + method.replace(".", "_"), None)
            status, body, headers = (
                200,
                (handler(params) if handler else {"ok": False, "error": "unknown_method"}),
                {},
            )
        call.answer = body
        if self.on_call is not None:
            self.on_call(call)
        return status, body, headers

    def intercept(self, method: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        """An answer (status, body, headers) in place of the normal one; the tests' fault injection
        overrides this (called with the recording lock held)."""
        return None

    def _history_wait(self) -> int:
        """0 if this call is allowed, else whole seconds until it would be (Retry-After)."""
        assert self.history_limit is not None  # only asked when a limit is set
        calls, per, _page = self.history_limit
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._history_calls if now - t < per]
            self._history_calls[:] = recent
            if len(recent) < calls:
                self._history_calls.append(now)
                return 0
            return max(1, int(per - (now - recent[0]) + 0.999))

    def _next_ts(self) -> str:
        if self._wall_clock:
            with self._lock:
                stamp = max(time.time(), self._last_wall + 0.000001)
                self._last_wall = stamp
            return f"{stamp:.6f}"
        return f"{1700000000 + next(self._ts)}.000100"

    def _chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = p.get("channel", "")
        if channel[:1] in ("U", "W"):
            channel = "D" + channel
        ts = self._next_ts()
        message = {
            "type": "message",
            "text": p.get("text"),
            "blocks": p.get("blocks"),
            "ts": ts,
            "thread_ts": p.get("thread_ts"),
            "bot_id": "BBOT",
            "user": BOT_USER,
            "metadata": p.get("metadata"),
        }
        with self._lock:
            self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = p.get("channel", "")
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or 9e12)
        inclusive = str(p.get("inclusive", "")).lower() in ("1", "true")
        limit = int(p.get("limit") or 100)
        if self.history_limit is not None:
            limit = min(limit, self.history_limit[2])
        start = int(p.get("cursor") or 0)

        def inside(ts: float) -> bool:
            return oldest <= ts <= latest if inclusive else oldest < ts < latest

        with self._lock:
            found = [dict(m) for (c, ts), m in self.messages.items() if c == channel and inside(float(ts))]
        found.sort(key=lambda m: float(m["ts"]), reverse=True)  # newest first, as Slack answers
        page = found[start : start + limit]
        if str(p.get("include_all_metadata", "")).lower() not in ("1", "true"):
            for m in page:
                m.pop("metadata", None)
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        key = (p.get("channel", ""), p.get("ts", ""))
        with self._lock:
            if key not in self.messages:
                return {"ok": False, "error": "message_not_found"}
            self.messages[key].update(text=p.get("text"), blocks=p.get("blocks"))
        return {"ok": True, "channel": key[0], "ts": key[1], "text": p.get("text")}

    def _chat_getPermalink(self, p: dict[str, Any]) -> dict[str, Any]:
        ts = str(p.get("message_ts", "")).replace(".", "")
        return {
            "ok": True,
            "channel": p.get("channel"),
            "permalink": f"https://test.{self.platform}/archives/{p.get('channel')}/p{ts}",
        }

    def _conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = str(p.get("users", "")).split(",")
        return {"ok": True, "channel": {"id": "D" + users[0]}}

    def _users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user_id = p.get("user", "")
        known = self.users.get(user_id)
        if known is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "team_id": TEAM,
                "name": known["name"],
                "real_name": known["name"].title(),
                "tz": known["tz"],
                "tz_label": known["tz"],
                "deleted": False,
                "is_bot": False,
                "profile": {"display_name": known["name"], "real_name": known["name"].title()},
            },
        }

    def _views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": f"V{next(self._ids)}", **(p.get("view") or {})}}

    def _views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "view": {"id": p.get("view_id") or f"V{next(self._ids)}", **(p.get("view") or {})},
        }

    def _views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view") or {}
        with self._lock:
            self.homes[p.get("user_id", "")] = view
        return {"ok": True, "view": {"id": f"V{next(self._ids)}", **view}}

    def _response_url(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _functions_completeSuccess(
        self, p: dict[str, Any]
    ) -> dict[str, Any]:  # a Workflow Builder step's outputs
        return {"ok": True} if p.get("function_execution_id") else {"ok": False, "error": "invalid_arguments"}

    def _functions_completeError(self, p: dict[str, Any]) -> dict[str, Any]:
        return (
            {"ok": True}
            if p.get("function_execution_id") and p.get("error")
            else {"ok": False, "error": "invalid_arguments"}
        )

    def _apps_connections_open(
        self, p: dict[str, Any]
    ) -> dict[str, Any]:  # Socket Mode's first call: where to open the WebSocket
        return {"ok": True, "url": f"wss://wss-primary.{self.platform}/link/?ticket=test&app_id=A111"}

    def _files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("filename") or not str(p.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        with self._lock:
            self.files[file_id] = {
                "filename": p["filename"],
                "length": int(p["length"]),
                "alt_txt": p.get("alt_txt"),
                "completed": False,
            }
        return {
            "ok": True,
            "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
            "file_id": file_id,
        }

    def _upload(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id, data = p["file_id"], p["data"]
        with self._lock:
            known = self.files.get(file_id)
            if known is None:
                return {"ok": False, "error": "file_not_found"}
            self.uploads[file_id] = data
        return {"ok": True}

    def _files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        files = p.get("files") or []
        done = []
        with self._lock:
            for item in files:
                known = self.files.get(item.get("id"))
                if known is None or item.get("id") not in self.uploads:
                    return {"ok": False, "error": "file_not_found"}
                if len(self.uploads[item["id"]]) != known["length"]:
                    return {"ok": False, "error": "file_upload_size_mismatch"}
                known.update(completed=True, title=item.get("title"), channel_id=p.get("channel_id"))
                done.append({"id": item["id"], "title": item.get("title")})
        return {"ok": True, "files": done}
