"""What a deliverer records about each claimed outbox row once its fate is known: sent, put back
(pacing, a pause, quiet hours), to retry with backoff, or failed (logged, with an admin notice).

Each record is one atomic UPDATE guarded by the claim (storage/queries/delivery.py), so a deliverer
whose lease was taken over never overwrites the new owner (docs/delivery.md, "What holds")."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.config.quiet import QUIET_KINDS, is_user, recipient_calendar
from bot.config.teams import Config
from bot.delivery.outbox import enqueue
from bot.delivery.policy import DeliveryPolicy
from bot.delivery.rows import ATTEMPT_BEGAN, MAYBE_SENT, RODE_WITH, ClaimedRow
from bot.delivery.sending import SendResult
from bot.rendering import notices as words
from bot.time.clock import Clock
from storage.queries.delivery import OutboxLedger
from storage.session import Session

log = logging.getLogger("inquirybot.delivery")


class Outcomes:
    """The recording half of one Deliverer (same worker name, policy and clock)."""

    def __init__(
        self,
        ledger: OutboxLedger,
        config: Config,
        clock: Clock,
        policy: DeliveryPolicy,
        worker: str,
        rng: random.Random,
    ):
        self.ledger, self.config, self.clock, self.policy = ledger, config, clock, policy
        self.worker, self.rng = worker, rng

    def write(
        self,
        row: ClaimedRow,
        then: Callable[[Session], None] | None = None,
        *,
        count_attempt: bool = False,
        **values: Any,
    ) -> bool:
        """Record an outcome if this deliverer still owns the row; `then` runs in the same transaction."""
        done = self.ledger.record(
            row_id=row.id, worker=self.worker, values=values, count_attempt=count_attempt, then=then
        )
        if not done:
            log.warning(
                "outbox row %s (%s) was taken over by another deliverer after its lease ran out",
                row.id,
                row.key,
            )
        return bool(done)

    def sent(self, row: ClaimedRow, ts: str | None, now: datetime) -> None:
        if not self.ledger.mark_sent(row_id=row.id, worker=self.worker, at=now, ts=ts):
            log.warning(
                "outbox row %s (%s) was sent, but another deliverer had taken it over after its lease "
                "ran out",
                row.id,
                row.key,
            )

    def release(self, row: ClaimedRow, when: datetime, *, extend_give_up: bool = False) -> None:
        """Put back without using an attempt (pacing, pause, quiet hours). A row Slack may already
        have keeps its note (last_error), so it is looked up before it is ever sent."""
        values: dict[str, Any] = {
            "status": "pending",
            "next_attempt_at": when,
            "claimed_by": None,
            "claim_expires_at": None,
        }
        if extend_give_up:  # time spent waiting for the office to open does not count
            values["give_up_at"] = row.give_up_at + max(when - self.clock.now(), timedelta(0))
        self.write(row, **values)

    def retry(
        self, row: ClaimedRow, result: SendResult, now: datetime, began: datetime, carrier: str | None = None
    ) -> None:
        attempt = row.attempts + 1
        if result.retry_after is not None:
            delay = result.retry_after + self.rng.uniform(0, 0.25)  # never before Retry-After
        else:
            cap = min(self.policy.backoff_max, self.policy.backoff_base * 2 ** (attempt - 1))
            delay = cap / 2 + self.rng.uniform(0, cap / 2)  # "equal jitter": spread, but never ~0
        when = now + timedelta(seconds=delay)
        values: dict[str, Any] = {}
        if row.kind in QUIET_KINDS:
            calendar = recipient_calendar(self.config, row.team, row.channel)
            opening = calendar.next_opening(when)
            if opening > when:
                values["give_up_at"] = row.give_up_at + (opening - when)
                when = opening
        log.warning(
            "outbox row %s (%s) attempt %s failed: %s; retrying at %s",
            row.id,
            row.key,
            attempt,
            result.error,
            when.isoformat(),
        )
        doubt = f"{MAYBE_SENT}{ATTEMPT_BEGAN}{began.isoformat()}; " if result.maybe_sent else ""
        if doubt and carrier is not None:  # it went in another row's list: Slack knows that key
            doubt += f"{RODE_WITH}{carrier}; "
        error = doubt + (result.error or "")
        self.write(
            row,
            status="pending",
            next_attempt_at=when,
            attempts=attempt,
            last_error=error,
            claimed_by=None,
            claim_expires_at=None,
            **values,
        )

    def fail(self, row: ClaimedRow, error: str, now: datetime, *, notify: bool = True) -> None:
        log.error(
            "outbox row %s (%s, %s to %s) failed for good after %s attempts: %s",
            row.id,
            row.key,
            row.kind,
            row.channel,
            row.attempts + 1,
            error,
        )
        then = (
            None
            if row.kind == "admin_notice" or not notify
            else (lambda s: self._notify_admins(s, row, error, now))
        )
        self.write(
            row,
            then,
            count_attempt=True,
            status="failed",
            last_error=error,
            claimed_by=None,
            claim_expires_at=None,
        )

    def _notify_admins(self, s: Session, row: ClaimedRow, error: str, now: datetime) -> None:
        team = self.config.team_or_default(row.team)
        recipients = sorted(self.config.admins) or list(team.supervisors)
        text = words.undeliverable(row.kind, _mention(row.channel), row.id, row.key, error, row.text)
        for admin in recipients:
            enqueue(
                s,
                key=f"undeliverable:{row.id}:{admin}",
                team=row.team,
                kind="admin_notice",
                channel=admin,
                text=text,
                now=now,
            )


def _mention(channel: str) -> str:
    return f"<@{channel}>" if is_user(channel) else f"<#{channel}>"
