"""Whether outbox rows that may already be in Slack are there (docs/delivery.md, "What holds"): a
row whose attempt began and never recorded its outcome (the deliverer died mid-send, or the send got
no answer) is looked up in its conversation's history by its key before it is sent again. A 429 or
an outage of conversations.history pauses the look-ups, and the rows in doubt wait, unsent."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.delivery.policy import DeliveryPolicy
from bot.delivery.rows import ClaimedRow, attempt_began_after
from bot.delivery.sending import HistoryUnavailable, Sender
from bot.time.clock import Clock

log = logging.getLogger("inquirybot.delivery")


SKEW = timedelta(minutes=1)  # margin for the clocks of Slack and of this host in history look-ups


class LookUp:
    """The look-up half of one Deliverer (same clock and policy); keeps the history pause in memory.
    The sender is the deliverer's, passed with each call."""

    def __init__(self, clock: Clock, policy: DeliveryPolicy):
        self.clock, self.policy = clock, policy
        self.paused_until: datetime | None = None  # a 429 on conversations.history

    def find(self, sender: Sender, rows: list[ClaimedRow]) -> dict[str, str | None]:
        """For the rows Slack may already have (docs/delivery.md, "What holds"): key -> ts if
        found in the conversation's history, None if not there (send it). A key left out could not
        be looked up yet (history rate-limited or down): its row waits, unsent.

        One narrow history read per conversation, from when the earliest in-doubt attempt began
        (each row notes it just before its send) to now, with a minute's margin for clock skew."""
        doubtful = [r for r in rows if r.maybe_sent]
        if not doubtful:
            return {}
        finder = getattr(sender, "find_sent", None)
        if finder is None:  # a sender that cannot look: at-least-once
            return {r.key: None for r in doubtful}
        now = self.clock.now()
        answers: dict[str, str | None] = {}
        by_channel: dict[str, list[ClaimedRow]] = {}
        for r in doubtful:
            by_channel.setdefault(r.channel, []).append(r)
        for channel, group in by_channel.items():
            if self.paused_until is not None and now < self.paused_until:
                break
            oldest = min(attempt_began_after(r) for r in group) - SKEW
            keys = sorted({r.carrier_key for r in group})
            try:
                hits = finder(channel, keys, oldest, self.clock.now() + SKEW)
            except HistoryUnavailable as exc:
                wait = timedelta(
                    seconds=exc.retry_after if exc.retry_after is not None else self.policy.backoff_base
                )
                self.paused_until = self.clock.now() + wait
                log.warning(
                    "conversations.history unavailable (%s); %s in-doubt message(s) wait %s s",
                    exc,
                    len(doubtful),
                    wait.total_seconds(),
                )
                break
            except Exception:
                log.exception(
                    "could not check whether outbox rows %s were already posted", [r.id for r in group]
                )
                continue  # leave them out: they wait and are looked up again
            for r in group:
                answers[r.key] = hits.get(r.carrier_key)
        return answers
