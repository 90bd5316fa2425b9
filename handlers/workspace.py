"""Only the workspace (or Enterprise org) the app is installed for reaches the record
(docs/federal.md "Whose record: one workspace or one org").

Slack signs every request with the app's one signing secret, whichever workspace it comes from: an
app installed in a second workspace (or a user of another organization in a Slack Connect channel)
sends requests that pass the signature check. The record is evidence in one office's ratings, so a
request is refused before any listener, and before its replay keys are claimed, unless every
workspace and org it names is ours: for an org-wide install the org (any of its workspaces), else
the workspace itself.

With one bot token, "ours" is what Bolt learned from `auth.test` for that token (once; Bolt keeps
it). Installed through OAuth, each installation's app is told its own (inquirybot/tenants.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.middleware.authorization import SingleTeamAuthorization

from bot.config.settings import Settings
from bot.rendering import modals, replies
from handlers.payloads import Origin, origin
from handlers.response_urls import post

log = logging.getLogger("inquirybot.handlers")
JSON: dict[str, str | Sequence[str]] = {"content-type": "application/json;charset=utf-8"}
UNAUTHENTICATED = frozenset({"url_verification", "ssl_check"})  # Slack's own checks, no workspace


@dataclass(frozen=True)
class Home:
    """The workspace or org the app is installed for."""

    team_id: str | None
    enterprise_id: str | None
    org_wide: bool

    @classmethod
    def of(cls, team_id: Any, enterprise_id: Any, org_wide: Any) -> Home:
        return cls(team_id or None, enterprise_id or None, org_wide is True or org_wide == "true")

    def admits(self, came: Origin) -> bool:
        if self.org_wide:
            # Any workspace of the org. In a channel shared with another organization Slack names
            # a user's workspace, not their org: one not the receiving workspace may be anyone's.
            return came.enterprises == {self.enterprise_id} and not (
                came.shared_channel and len(came.teams) > 1
            )
        ours = {self.enterprise_id} if self.enterprise_id else set()
        return came.teams == {self.team_id} and came.enterprises <= ours


def learned_home(app: App) -> Callable[[], Home | None]:
    """The token's own workspace, from Bolt's single-token authorization: Bolt calls auth.test once
    (on the first request) and keeps the answer; None until then."""
    single = next(
        (m for m in app._middleware_list if isinstance(m, SingleTeamAuthorization)),  # noqa: SLF001 - no public accessor
        None,
    )
    if single is None:
        raise RuntimeError("Bolt's single-token authorization was not found")

    def home() -> Home | None:
        answer = single.auth_test_result
        if not answer:
            return None
        return Home.of(
            answer.get("team_id"), answer.get("enterprise_id"), answer.get("is_enterprise_install")
        )

    return home


class SameWorkspace(Middleware):
    """Refuses a request from another workspace or org: a command or a click is told so, a form
    says so in place, an event is acknowledged (so Slack does not retry it) and dropped. Nothing is
    read or stored for it. `later` runs the answer to a response_url after the acknowledgement."""

    def __init__(
        self,
        home: Callable[[], Home | None],
        later: Callable[[Callable[[], None]], None],
        settings: Settings,
    ):
        self.home, self.later, self.settings = home, later, settings

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # noqa: A002 - Bolt's keyword
    ) -> BoltResponse:
        body = req.body or {}
        if body.get("type") in UNAUTHENTICATED:
            return next()
        home, came = self.home(), origin(body)
        if home is not None and home.admits(came):
            return next()
        kind = body.get("command") or body.get("type") or "request"
        log.warning(
            "refused a %s from workspace %s, org %s: installed for %s",
            kind,
            ",".join(sorted(came.teams)) or "-",
            ",".join(sorted(came.enterprises)) or "-",
            home,
        )
        return self.refusal(body)

    def refusal(self, body: dict[str, Any]) -> BoltResponse:
        text = replies.other_workspace().text
        if body.get("command"):
            return BoltResponse(
                status=200, body=json.dumps({"response_type": "ephemeral", "text": text}), headers=JSON
            )
        if body.get("type") == "view_submission":
            answer = {"response_action": "update", "view": modals.notice_modal(text)}
            return BoltResponse(status=200, body=json.dumps(answer), headers=JSON)
        url = body.get("response_url")
        if isinstance(url, str) and url:  # a click or a shortcut on a message; App Home has none
            # Through the response URL Slack gave the request, and only one of Slack's
            # (handlers/response_urls.py): no token of ours is used for a workspace not ours.
            self.later(lambda: _tell(url, text, self.settings))
        return BoltResponse(status=200, body="")


def _tell(response_url: str, text: str, settings: Settings) -> None:
    if not post(response_url, settings, response_type="ephemeral", replace_original=False, text=text):
        log.warning("could not answer a request from another workspace")
