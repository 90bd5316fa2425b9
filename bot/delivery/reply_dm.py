"""A reply of the moment that could not be shown where it was asked for (an ephemeral note Slack
refused, a form submitted from App Home) goes to the person as a DM — through the outbox, so a
Slack that is down or rate-limiting just then delays it instead of losing it (docs/delivery.md)."""

from __future__ import annotations

import uuid

from bot.config.runtime import Runtime
from bot.delivery.outbox import enqueue
from bot.rendering.replies import Reply
from storage.session import transaction


def queue_reply_dm(runtime: Runtime, *, user_id: str, reply: Reply) -> None:
    """Store the DM for delivery (exactly once: its key is its own; a request Slack sends twice
    never reaches a listener twice, docs/record.md). The caller wakes the deliverer."""
    with transaction(runtime.sessions) as session:
        enqueue(
            session,
            key=f"reply-dm:{user_id}:{uuid.uuid4().hex}",
            team=runtime.config.team_of(user_id).name,
            kind="reply",
            channel=user_id,
            text=reply.text,
            blocks=reply.blocks or None,
            now=runtime.clock.now(),
        )
