"""The HTTP front door, as WSGI middleware in front of Bolt (docs/faults.md "HTTP").

Every POST to the Slack path is checked before anything reads its body as data:

1. The Slack signature (v0 HMAC over the raw bytes) and the 5-minute replay window. A request
   that fails — a missing or non-numeric timestamp, a bad signature, a body that is not UTF-8 —
   gets 401 `{"error": "invalid request"}`, as Bolt answers it, without its body being parsed.
2. The shape of a correctly signed body: a form (`application/x-www-form-urlencoded`) that
   decodes strictly as UTF-8, whose `payload`, if any, is a JSON object; or a JSON object
   (`application/json`). Anything else gets 400 and one log line; it never reaches a listener.

Bodies are capped (Slack's are a few kB; a modal's state well under 1 MB). GET /healthz answers
from a probe that runs on its own thread with a one-second budget, read-only, so a locked or
unreachable database gives 503 within a second instead of holding a request thread.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any
from urllib.parse import parse_qsl

from bot.time.clock import Clock

log = logging.getLogger("inquirybot.http")

MAX_BODY = 1024 * 1024  # bytes
REPLAY_WINDOW = 300  # seconds, as Slack documents
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
# Recognised by its bytes alone (nothing is parsed): `ssl_check=1` and Slack's token field.
SSL_CHECK = re.compile(rb"ssl_check=1(&token=[A-Za-z0-9]{0,64})?")


def _respond(start_response: Callable, status: str, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


class BadRequest(ValueError):
    pass


def signature_ok(secret: str, headers_ts: str | None, signature: str | None, body: bytes, now: float) -> bool:
    """Slack's v0 signature over the raw body, within the replay window (±300 s passes)."""
    if not secret or not headers_ts or not signature:
        return False
    ts = headers_ts.strip()
    if not ts.isascii() or not ts.isdigit() or len(ts) > 12:
        return False
    if abs(now - int(ts)) > REPLAY_WINDOW:
        return False
    try:
        base = b"v0:" + ts.encode("ascii") + b":" + body
    except UnicodeEncodeError:
        return False
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8", "replace"))


def check_shape(content_type: str, body: bytes) -> None:
    """Raise BadRequest unless the body is what Slack sends: a strict UTF-8 form whose payload is a
    JSON object, or a JSON object."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("body is not UTF-8") from None
    kind = content_type.split(";")[0].strip().lower()
    if kind == FORM:
        try:
            fields = parse_qsl(text, keep_blank_values=True, errors="strict")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"bad form encoding ({type(exc).__name__})") from None
        for name, value in fields:
            if name == "payload":
                _json_object(value, "payload")
        return
    if kind == JSON:
        _json_object(text, "JSON body")
        return
    raise BadRequest(f"unsupported content type {kind or '(none)'!r}")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise BadRequest(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise BadRequest(f"{what} is not a JSON object")
    return value


class SlackGuard:
    """Wraps the Bolt WSGI app: verifies and shapes POSTs to `path` before Bolt sees them."""

    def __init__(self, inner: WSGIApp, *, path: str, secret: str, clock: Clock, verify: bool = True):
        self.inner, self.path, self.secret, self.clock, self.verify = inner, path, secret, clock, verify

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") != "POST":
            return self.inner(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _respond(start_response, "400 Bad Request", {"error": "bad Content-Length"})
        if length < 0 or length > MAX_BODY:
            return _respond(start_response, "413 Payload Too Large", {"error": "body too large"})
        body = environ["wsgi.input"].read(length) if length else b""
        if SSL_CHECK.fullmatch(
            body
        ):  # Slack's certificate probe is not signed; Bolt answers it, storing nothing
            environ["wsgi.input"] = io.BytesIO(body)
            return self.inner(environ, start_response)
        if self.verify and not signature_ok(
            self.secret,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
            body,
            self.clock.now().timestamp(),
        ):
            return _respond(start_response, "401 Unauthorized", {"error": "invalid request"})
        try:
            check_shape(environ.get("CONTENT_TYPE") or "", body)
        except BadRequest as exc:
            log.warning("400 for a signed request to %s: %s", self.path, exc)
            return _respond(start_response, "400 Bad Request", {"error": str(exc)})
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.inner(environ, start_response)


class HealthProbe:
    """GET /healthz: 200 when the database answers a read within `budget` seconds, else 503.

    The probe runs on a thread of its own; while one probe is still stuck (a hung connection),
    later ones answer 503 at once instead of piling up."""

    def __init__(self, check: Callable[[], None], budget: float = 0.8):
        self.check, self.budget = check, budget
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
        self._pending: Any = None
        self._lock = threading.Lock()

    def status(self) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if self._pending is None or self._pending.done():
                self._pending = self._pool.submit(self.check)
            pending = self._pending
        try:
            pending.result(timeout=self.budget)
        except FutureTimeout:
            return 503, {"ok": False, "error": "database did not answer within a second"}
        except Exception as exc:  # the probe reports; it must not crash the server
            return 503, {"ok": False, "error": type(exc).__name__}
        return 200, {"ok": True}

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        code, body = self.status()
        status = "200 OK" if code == 200 else "503 Service Unavailable"
        return _respond(start_response, status, body)
