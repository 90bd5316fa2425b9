"""The Slack form of the out-of-office notice: when someone who is away is @-mentioned, one answer in
the thread with the period and the alternate — once per message and person, through the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from bot.config.runtime import Runtime
from bot.delivery.outbox import enqueue
from bot.rendering import replies
from storage.session import transaction

if TYPE_CHECKING:
    from bot.lifecycle.views import AbsenceView


class Absences(Protocol):
    """InquiryService, as far as the notice needs it (bot/lifecycle imports this package, not the
    reverse)."""

    def active_absence(self, user_id: str) -> AbsenceView | None: ...


def queue_away_notices(
    runtime: Runtime,
    service: Absences,
    *,
    channel: str,
    thread_ts: str | None,
    message_ts: str | None,
    author: str | None,
    mentioned: Iterable[str],
) -> bool:
    """Queue an answer for each mentioned person who is away now (not for the author mentioning
    themself); True if anything new was queued. `service` answers active_absence(user_id)."""
    queued = False
    for user_id in mentioned:
        if user_id == author:
            continue
        absence = service.active_absence(user_id)
        if absence is None:
            continue
        team = runtime.config.team_of(user_id)
        reply = replies.away_notice(absence, team.timezone)
        with transaction(runtime.sessions) as session:
            queued |= bool(
                enqueue(  # not at_commit: True or False
                    session,
                    key=f"away-notice:{channel}:{thread_ts}:{message_ts}:{user_id}",
                    team=team.name,
                    kind="away_notice",
                    channel=channel,
                    text=reply.text,
                    now=runtime.clock.now(),
                    thread_ts=thread_ts,
                )
            )
    return queued
