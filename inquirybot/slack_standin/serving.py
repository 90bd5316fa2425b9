"""The HTTP side of the Web API stand-in (webapi.py): read a request as Slack's clients send it
(form or JSON bodies, the token as a Bearer header or a field, JSON strings in form fields read
back as data, the bytes POSTed to an upload URL as they are), hand it to the stand-in as a method
name and its parameters, and write its answer back with its status and headers."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit


class Answers(Protocol):
    def answer(
        self, method: str, params: dict[str, Any], token: str | None, path: str
    ) -> tuple[int, dict, dict]: ...


def _decode(params: dict[str, Any]) -> dict[str, Any]:
    """slack_sdk sends blocks/view as JSON strings in form bodies; read them back as data."""
    for key in ("blocks", "view", "attachments", "metadata", "files", "outputs"):
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params


def handler_for(stand_in: Answers) -> type[BaseHTTPRequestHandler]:
    """The request handler class a ThreadingHTTPServer serves `stand_in` with."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            self._serve(b"")

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            self._serve(self.rfile.read(length) if length else b"")

        def _serve(self, raw: bytes) -> None:
            split = urlsplit(self.path)
            params: dict[str, Any] = dict(parse_qsl(split.query))
            if split.path.startswith("/upload/"):  # the bytes of a file, as they are
                params = {"file_id": split.path.removeprefix("/upload/"), "data": raw}
                raw = b""
            if raw:
                if "json" in (self.headers.get("Content-Type") or ""):
                    params.update(json.loads(raw.decode("utf-8")))
                else:
                    params.update(parse_qsl(raw.decode("utf-8")))
            auth = self.headers.get("Authorization") or ""
            token = auth.removeprefix("Bearer ") or params.get("token")
            if split.path.startswith("/response/"):
                method = "response_url"
            elif split.path.startswith("/upload/"):
                method = "upload"
            else:
                method = split.path.removeprefix("/api/")
            status, body, headers = stand_in.answer(method, _decode(params), token, split.path)
            payload = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the caller stopped waiting (a timeout)
                self.close_connection = True

    return Handler
