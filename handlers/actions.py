"""The card's buttons. Every click is acknowledged at once; then (after the ack) a form opens (Acknowledge, Post
update, Resolve, Reassign, Rate) or the change happens (Snooze 1h) and the card is redrawn where
it was clicked. A click on an old copy of a card shows the current state instead of acting."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.errors import InquiryBotError
from bot.lifecycle.access import RATING
from bot.lifecycle.inputs import parse_outcome
from bot.rendering import modals, replies
from bot.rendering.actions import Action
from bot.rendering.card import buttons
from bot.rendering.replies import Reply
from handlers.context import Deps, failure_reply, log, message_args, redraw, tell
from handlers.form_seal import key_for, seal
from handlers.home import HomeListeners
from handlers.payloads import ButtonClick, Where, button_click
from handlers.response_urls import post
from handlers.slack_calls import CALL_FAILED

FORMS: dict[str, Callable[[Any, str | None, str], dict]] = {
    Action.ACKNOWLEDGE: modals.acknowledge_modal,
    Action.POST_UPDATE: modals.update_modal,
    Action.RESOLVE: modals.resolve_modal,
    Action.REASSIGN: modals.reassign_modal,
    Action.RATE: modals.rate_modal,
}
SNOOZE = timedelta(hours=1)
# What each form's button asks to do, as the service words a refusal ("you may not resolve INQ-1").
DOING: dict[str, str] = {
    Action.ACKNOWLEDGE: "acknowledge",
    Action.POST_UPDATE: "update",
    Action.RESOLVE: "resolve",
    Action.REASSIGN: "reassign",
    Action.RATE: RATING,
}


def viewer_zone(deps: Deps, where: Where, user_id: str, team: str | None = None) -> str:
    """A DM, an ephemeral message or App Home is read by this user; a channel post by the team."""
    shared = where.surface == "message" and not where.ephemeral and (where.channel or "")[:1] in ("C", "G")
    if shared and team is not None and team in deps.runtime.config.teams:
        return deps.runtime.config.teams[team].timezone
    return deps.zones.zone_for(user_id)


class ActionListeners:
    def __init__(self, deps: Deps, home: HomeListeners):
        self.deps = deps
        self.home = home

    def register(self, app: App) -> None:
        for action in FORMS:
            app.action(str(action))(self.open_form)
        app.action(str(Action.SNOOZE_1H))(self.snooze)
        app.action(str(Action.OPEN_NEW))(self.open_new)
        app.action(str(Action.SET_AWAY))(self.set_away)
        app.action(str(Action.BACK))(self.back)
        app.action(str(Action.DISPUTE))(self.dispute)
        app.action(str(Action.UPHOLD))(self.decide)
        app.action(str(Action.VOID))(self.decide)

    def open_form(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        click = button_click(body)
        self.deps.later(lambda: self.form_for(click, client))

    def form_for(self, click: ButtonClick, client: WebClient) -> None:
        try:
            view = self.deps.service.get(
                actor=click.user_id, inquiry_id=click.value, doing=DOING.get(click.action_id)
            )
        except InquiryBotError as exc:
            self.show_error(client, click, replies.error(str(exc), getattr(exc, "example", None)))
            return
        tz = viewer_zone(self.deps, click.where, click.user_id, view.team)
        if click.action_id not in {b["action_id"] for b in buttons(view)}:
            redraw(
                self.deps,
                client,
                click.where,
                click.user_id,
                replies.changed_meanwhile(replace(view, viewer=click.user_id), tz),
                self.home.publish,
            )
            return
        where = click.where.to_dict()
        key = key_for(self.deps.runtime.settings)
        metadata = json.dumps({"id": view.id, "w": where, "s": seal(key, view.id, where)})
        self.open_view(client, click, FORMS[click.action_id](view, tz, metadata))

    def snooze(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        click = button_click(body)
        self.deps.later(lambda: self.snooze_hour(click, client))

    def snooze_hour(self, click: ButtonClick, client: WebClient) -> None:
        try:
            view = self.deps.service.snooze(actor=click.user_id, inquiry_id=click.value, duration=SNOOZE)
        except Exception as exc:
            self.show_error(client, click, failure_reply(exc))
            return
        tz = viewer_zone(self.deps, click.where, click.user_id, view.team)
        redraw(self.deps, client, click.where, click.user_id, replies.snoozed(view, tz), self.home.publish)

    def open_new(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        click = button_click(body)
        view = modals.new_inquiry_modal(
            user_id=click.user_id, now=self.deps.runtime.clock.now(), metadata=json.dumps({"c": None})
        )
        self.deps.later(lambda: self.open_view(client, click, view))

    def set_away(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        click = button_click(body)
        view = modals.away_modal(self.deps.runtime.clock.now())
        self.deps.later(lambda: self.open_view(client, click, view))

    def dispute(self, ack: Ack, body: dict, client: WebClient) -> None:
        """App Home's Dispute button, beside one outcome: the form asking why (bot/lifecycle/disputes.py
        decides the rest)."""
        self._outcome_form(
            ack, body, client, None, lambda click, item, kind: modals.dispute_modal(item, kind)
        )

    def decide(self, ack: Ack, body: dict, client: WebClient) -> None:
        """App Home's Uphold and Void buttons, beside an open dispute: the form asking for the reason."""
        decision = "uphold" if button_click(body).action_id == Action.UPHOLD else "void"
        self._outcome_form(
            ack, body, client, decision, lambda click, item, kind: modals.decide_modal(item, kind, decision)
        )

    def _outcome_form(
        self,
        ack: Ack,
        body: dict,
        client: WebClient,
        decision: str | None,
        form: Callable[[ButtonClick, int, str | None], dict],
    ) -> None:
        """A button beside one outcome ("12:kind"): the form `form` draws for it — once the clicker
        may dispute it (decision None) or make `decision` on it; else the refusal, at once, instead
        of a form refused only when sent (the submission is checked again)."""
        ack()
        click = button_click(body)

        def open_form() -> None:
            try:
                inquiry_id, kind = parse_outcome(click.value)
                self.deps.disputes.check(
                    actor=click.user_id, inquiry_id=inquiry_id, decision=decision, kind=kind
                )
            except Exception as exc:  # not a button we drew, or not theirs to act on: say why
                self.show_error(client, click, failure_reply(exc))
                return
            self.open_view(client, click, form(click, inquiry_id, kind))

        self.deps.later(open_form)

    def back(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        click = button_click(body)

        def end_absence() -> None:
            try:
                self.deps.service.back(actor=click.user_id)
            except Exception as exc:
                self.show_error(client, click, failure_reply(exc))
                return
            self.home.publish(client, click.user_id)

        self.deps.later(end_absence)

    # ---- answering -------------------------------------------------------------------------------

    def open_view(self, client: WebClient, click: ButtonClick, view: dict) -> None:
        try:
            client.views_open(trigger_id=click.trigger_id, view=view)
        except CALL_FAILED as exc:
            log.warning("views.open after %s failed: %s", click.action_id, exc)

    def show_error(self, client: WebClient, click: ButtonClick, reply: Reply) -> None:
        """Ephemerally beside the message (through its response_url when Slack's, else the Web API);
        otherwise (App Home) in a modal."""
        args = message_args(reply)
        settings = self.deps.runtime.settings
        if post(
            click.where.response_url, settings, response_type="ephemeral", replace_original=False, **args
        ):
            return
        if click.where.surface == "message":
            tell(self.deps, client, click.user_id, reply, channel=click.where.channel)
            return
        try:
            if click.trigger_id:
                client.views_open(trigger_id=click.trigger_id, view=modals.notice_modal(reply.text))
        except CALL_FAILED as exc:
            log.warning("could not show an error for %s: %s", click.action_id, exc)
