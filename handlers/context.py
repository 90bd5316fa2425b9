"""What every listener needs, built once by create_app, plus the few steps they share: turning an
outcome into a reply, and redrawing a card where it was clicked (message, ephemeral or App Home)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Any

from slack_sdk import WebClient

from bot.commands import When
from bot.config.runtime import Runtime
from bot.customer_feedback import FeedbackLinks
from bot.delivery.reply_dm import queue_reply_dm
from bot.errors import InquiryBotError, is_database_busy
from bot.lifecycle import InquiryService, InquiryView
from bot.lifecycle.disputes import DisputeService
from bot.lifecycle.replan import ClosureService
from bot.rendering import replies
from bot.rendering.replies import Reply
from bot.replays import Receipts
from bot.reports.service import ReportService
from handlers.payloads import Where
from handlers.response_urls import post
from handlers.slack_calls import CALL_FAILED
from handlers.zones import Zones

log = logging.getLogger("inquirybot.handlers")


@dataclass
class Deps:
    runtime: Runtime
    service: InquiryService
    zones: Zones
    reports: ReportService
    closures: ClosureService
    disputes: DisputeService  # disputes of outcomes (bot/lifecycle/disputes.py)
    # Runs work after the acknowledgement (users.info, views.open, redraws) on the listener pool, so
    # it never delays Slack's 3-second answer whether Bolt acks before or after the listener returns.
    background: Executor | None = None
    # Called after a change that may have queued outbox messages (DMs, channel posts), so the
    # deliverer sends them now instead of at its next pass. serve/socket pass the scheduler's wake().
    after_change: Callable[[], None] = field(default=lambda: None)
    # The customer's feedback links (bot/customer_feedback), shown with acknowledgements and resolutions.
    feedback_links: FeedbackLinks | None = None
    # The request keys claimed before any listener runs (handlers/replays.py; docs/record.md).
    receipts: Receipts | None = None

    def as_seen_by(self, view: InquiryView, actor: str) -> InquiryView:
        """The view as `actor` sees it: buttons only for what they may do (`InquiryView.viewer`), and
        the customer's feedback link on its card when the item takes feedback."""
        view = replace(view, viewer=actor)
        return view if self.feedback_links is None else self.feedback_links.attach(view, actor)

    def later(self, work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("work after the acknowledgement failed")

        if self.background is None:
            run()
        else:
            self.background.submit(run)

    def when(self, tz: str) -> When:
        return When(now=self.runtime.clock.now(), tz=tz)

    def team_zone(self, user_id: str) -> str:
        return self.zones.team_zone(user_id)

    def changed(self) -> None:
        try:
            self.after_change()
        except Exception:  # waking the deliverer is best effort; the scheduler passes anyway
            log.exception("after_change hook failed")


def attempt(work: Callable[[], Reply], tz: str | None = None) -> Reply:
    """Run one unit of work for a user: their mistakes become a plain message with an example, our
    bugs a short apology (and a log entry), never a 500 to Slack. Instants in the message are
    shown in `tz`, the reader's zone, when given."""
    try:
        return work()
    except Exception as exc:
        return failure_reply(exc, tz)


def failure_reply(exc: Exception, tz: str | None = None) -> Reply:
    if isinstance(exc, InquiryBotError):
        text = exc.for_reader(tz) if tz and hasattr(exc, "for_reader") else str(exc)
        return replies.error(text, getattr(exc, "example", None))
    if is_database_busy(exc):  # storage waited its ANSWER_WAIT and stored nothing (docs/faults.md)
        log.warning("database busy: %s", exc)
        return replies.busy()
    log.error("listener failed", exc_info=exc)
    return replies.internal_error()


def message_args(reply: Reply) -> dict[str, Any]:
    args: dict[str, Any] = {"text": reply.text}
    if reply.blocks:
        args["blocks"] = reply.blocks
    return args


def redraw(
    deps: Deps,
    client: WebClient,
    where: Where,
    user_id: str,
    reply: Reply,
    publish_home: Callable[[WebClient, str], None],
) -> None:
    """Show the new state where the card was clicked, so no stale button stays behind."""
    try:
        if where.surface == "home":
            publish_home(client, user_id)
        elif where.surface == "message" and where.ephemeral and where.response_url:
            settings = deps.runtime.settings
            args = message_args(reply)
            if not post(
                where.response_url, settings, replace_original=True, response_type="ephemeral", **args
            ):
                tell(deps, client, user_id, reply, channel=where.channel)  # a new ephemeral instead
        elif where.surface == "message" and where.channel and where.ts:
            client.chat_update(channel=where.channel, ts=where.ts, **message_args(reply))
        elif where.surface == "message" and where.response_url:
            if not post(
                where.response_url, deps.runtime.settings, replace_original=True, **message_args(reply)
            ):
                tell(deps, client, user_id, reply, channel=where.channel)
    except CALL_FAILED as exc:
        log.warning("could not redraw the card (%s): %s", where, exc)


def tell(deps: Deps, client: WebClient, user_id: str, reply: Reply, *, channel: str | None = None) -> None:
    """An ephemeral note in `channel` when we have one, else a DM (App Home's Messages tab). The DM
    goes through the outbox: Slack refusing the ephemeral may mean Slack is down or rate-limiting
    just then, and a DM sent at once would be lost the same way (docs/delivery.md)."""
    try:
        if channel and not channel.startswith("D"):
            client.chat_postEphemeral(channel=channel, user=user_id, **message_args(reply))
            return
    except CALL_FAILED as exc:  # not in that channel, or Slack unwell: a DM, delivered when it can be
        log.info("ephemeral reply in %s failed (%s); sending a DM", channel, exc)
    try:
        queue_reply_dm(deps.runtime, user_id=user_id, reply=reply)
    except Exception as exc:  # the database busy past the answer's wait: try Slack directly, once
        log.warning("could not queue a DM to %s (%s); sending it directly", user_id, exc)
        try:
            client.chat_postMessage(channel=user_id, **message_args(reply))
        except CALL_FAILED as failed:
            log.warning("could not DM %s: %s", user_id, failed)
        return
    deps.changed()
