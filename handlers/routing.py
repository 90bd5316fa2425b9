"""POST /slack/events to the app of the request's installation (docs/federal.md "Org-wide and
multi-workspace install"): installed through OAuth, each installation has its own Bolt app on its
own database (inquirybot/tenants.py); everything else (GET /slack/install, /slack/oauth_redirect,
url_verification, a workspace that has not installed us, and an installation's `app_uninstalled`
and `tokens_revoked` events, which remove it) goes to the install app.

Runs behind handlers.http_guard.SlackGuard, which has verified the signature and the shape and
left the body readable again; each app verifies it once more, as Bolt always does.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.errors import is_database_busy
from bot.rendering import replies

log = logging.getLogger("inquirybot.routing")

# (enterprise_id, team_id, is_enterprise_install) of a request -> its installation's app, or None
Pick = Callable[[str | None, str | None, bool], App | None]
# Events about the installation itself: the install app, which keeps the installations, takes them.
INSTALLATION_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})


class InstallationRouter:
    def __init__(self, front: App, pick: Pick, *, path: str):
        self.path, self.pick = path, pick
        self.front = SlackRequestHandler(front, path=path)
        self._handlers: dict[int, SlackRequestHandler] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") != "POST":
            return self.front(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            app = self._app_of(body, environ.get("CONTENT_TYPE") or "")
        except Exception as exc:  # the installations cannot be read, or a tenant not opened
            reply = replies.busy() if is_database_busy(exc) else replies.internal_error()
            log.exception("no app for a request to %s", self.path)
            payload = json.dumps({"response_type": "ephemeral", "text": reply.text}).encode("utf-8")
            start_response("200 OK", [("Content-Type", "application/json;charset=utf-8")])
            return [payload]
        return (self.front if app is None else self._handler(app))(environ, start_response)

    def _app_of(self, body: bytes, content_type: str) -> App | None:
        try:
            request = BoltRequest(body=body.decode("utf-8"), headers={"content-type": [content_type]})
        except ValueError:  # not a Slack body: the install app answers it as Bolt does
            return None
        event = request.body.get("event")
        if isinstance(event, dict) and event.get("type") in INSTALLATION_EVENTS:
            return None
        context = request.context
        if not (context.enterprise_id or context.team_id):
            return None
        return self.pick(context.enterprise_id, context.team_id, bool(context.is_enterprise_install))

    def _handler(self, app: App) -> SlackRequestHandler:
        handler = self._handlers.get(id(app))
        if handler is None:
            handler = self._handlers.setdefault(id(app), SlackRequestHandler(app, path=self.path))
        return handler
