"""Events API: retries are dropped by event_id before any listener runs (a Workflow Builder step's
event is only checked here: its listener records it once the step is answered); an @-mention of someone
who is away gets the out-of-office answer in the thread (once per message and person)."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.delivery.absence_notice import queue_away_notices
from bot.slack_memory import SeenEvents
from handlers.context import Deps, log
from handlers.payloads import mentioned_users

# Message subtypes that are a person writing something new (edits, joins, bot posts are not).
SPOKEN = {None, "thread_broadcast", "file_share"}
# Events whose listener records the event id itself, once its work is done and Slack has its
# answer (handlers/workflow.py): recorded here first, a crash before that work would make Slack's
# retry a "repeat" and lose it. Only checked here.
RECORDED_BY_LISTENER = {"function_executed"}


class EventListeners:
    def __init__(self, deps: Deps):
        self.deps = deps
        self.seen = SeenEvents(deps.runtime.sessions)

    def register(self, app: App) -> None:
        app.use(DropRetries(self))
        app.event("app_mention")(self.mention)
        app.event("message")(self.mention)

    def mention(self, event: dict) -> None:
        self.deps.later(lambda: self.answer_for_absent(event))

    def drop_retries(self, body: dict, next_: Callable[[], BoltResponse]) -> BoltResponse:
        """Slack re-sends an event it thinks we missed (X-Slack-Retry-Num); the first wins."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not event_id:
            return next_()
        event = body.get("event")
        if isinstance(event, dict) and event.get("type") in RECORDED_BY_LISTENER:
            if self.seen.handled(str(event_id)):
                log.info("dropping repeated event %s", event_id)
                return BoltResponse(status=200, body="")
            return next_()
        first = self.seen.first_sighting(str(event_id), self.deps.runtime.clock.now())
        if not first:
            log.info("dropping repeated event %s", event_id)
            return BoltResponse(status=200, body="")
        return next_()

    def answer_for_absent(self, event: dict) -> None:
        """Writes the out-of-office answer to the outbox; the deliverer posts it in the thread."""
        if event.get("bot_id") or event.get("subtype") not in SPOKEN or not event.get("channel"):
            return
        if event.get("channel_type") == "im":
            return
        queued = queue_away_notices(
            self.deps.runtime,
            self.deps.service,
            channel=event["channel"],
            thread_ts=event.get("thread_ts") or event.get("ts"),
            message_ts=event.get("ts"),
            author=event.get("user"),
            mentioned=mentioned_users(event.get("text") or ""),
        )
        if queued:
            self.deps.changed()


class DropRetries(Middleware):
    """EventListeners.drop_retries as a Bolt middleware object. A plain function would work too,
    but Bolt then builds its whole set of keyword arguments (client, say, respond, …) for it on
    every request, slash commands included; an object is simply called."""

    def __init__(self, listeners: EventListeners):
        self.listeners = listeners

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # noqa: A002 - Bolt's keyword
    ) -> BoltResponse:
        return self.listeners.drop_retries(req.body, next)
