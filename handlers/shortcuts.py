"""Message shortcut "Log as inquiry": the new-inquiry modal prefilled with the message text, its
posting time as the receipt time, and its permalink kept as the source."""

from __future__ import annotations

import json

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.commands.text import free_text, normalize
from bot.rendering import modals
from bot.rendering.actions import Shortcut
from handlers.context import Deps, log
from handlers.payloads import MessageShortcut, message_shortcut, ts_instant
from handlers.slack_calls import CALL_FAILED

SUBJECT_LIMIT = 500


class ShortcutListeners:
    def __init__(self, deps: Deps):
        self.deps = deps

    def register(self, app: App) -> None:
        app.message_shortcut(str(Shortcut.LOG_MESSAGE))(self.log_message)

    def log_message(self, ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        shortcut = message_shortcut(body)
        self.deps.later(lambda: self.open_form(shortcut, client))

    def open_form(self, shortcut: MessageShortcut, client: WebClient) -> None:
        permalink = None
        if shortcut.channel_id and shortcut.message_ts:
            try:
                permalink = client.chat_getPermalink(
                    channel=shortcut.channel_id, message_ts=shortcut.message_ts
                ).get("permalink")
            except CALL_FAILED as exc:  # the modal still opens; only the link is missing
                log.warning("chat.getPermalink failed: %s", exc)
        subject = free_text(normalize(shortcut.text))[:SUBJECT_LIMIT] or None
        now = self.deps.runtime.clock.now()
        received = ts_instant(shortcut.message_ts)
        view = modals.new_inquiry_modal(
            user_id=shortcut.user_id,
            now=now,
            subject=subject,
            kind="slack",
            received_at=received if received and received <= now else now,
            source_link=permalink,
            metadata=json.dumps({"c": shortcut.channel_id, "l": permalink}),
        )
        try:
            client.views_open(trigger_id=shortcut.trigger_id, view=view)
        except CALL_FAILED as exc:
            log.warning("views.open for the message shortcut failed: %s", exc)
