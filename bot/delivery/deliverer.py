"""Deliver the outbox: claim due rows, send them through a Sender, record the outcome (the records
themselves: bot/delivery/outcomes.py; the look-up of a row in doubt: look_up.py; the pace and
backoff: policy.py).

Claims (docs/delivery.md, "The guarantee, in one paragraph"): a row is taken by one UPDATE that sets status 'sending',
claimed_by and a lease (claim_expires_at). On PostgreSQL the rows are picked with
FOR UPDATE SKIP LOCKED, so any number of deliverers take disjoint rows without waiting; on SQLite
the UPDATE … RETURNING runs inside BEGIN IMMEDIATE, which serialises writers. Each outcome is one
atomic UPDATE right after the send, guarded by claimed_by, so a deliverer whose lease was taken
over never overwrites the new owner. A row that may already be in Slack (an attempt that began
and never recorded its outcome: the deliverer died mid-send, or the send got no answer) is looked up
there by its key before it is sent again.

Retries: 429 waits Retry-After (and pauses this deliverer, since Slack's limit is per method);
5xx, timeouts and connection errors back off exponentially with jitter; after give_up_at the row is
marked failed, logged, and an admin notice is queued. Sends are paced to one message per `pace`
seconds per channel. Scheduled kinds never go out while the recipient's team is closed.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.config.quiet import QUIET_KINDS, recipient_calendar
from bot.config.teams import Config
from bot.delivery.bundling import Bundle, bundlable, claim_whole_moment, group_rows
from bot.delivery.look_up import LookUp
from bot.delivery.outcomes import Outcomes
from bot.delivery.policy import DeliveryPolicy, DeliveryStats
from bot.delivery.rows import ATTEMPT_BEGAN, MAYBE_SENT, RODE_WITH, ClaimedRow
from bot.delivery.sending import Outgoing, Sender, SendResult
from bot.delivery.uploads import advance_files, has_files
from bot.time.clock import Clock
from storage.queries.delivery import OutboxLedger, next_due
from storage.session import Session, SessionFactory

log = logging.getLogger("inquirybot.delivery")


# What draws the cards of a batch of claimed rows: {row id: blocks} (the composition root passes
# bot.lifecycle.cards.live_cards; delivery itself knows nothing of inquiries).
CardRenderer = Callable[[Session, Config, list[ClaimedRow], datetime], dict[int, list[dict[str, Any]] | None]]
# What draws one recipient's scheduled reminders as one message (bot.lifecycle.bundles.live_bundle;
# bot/delivery/bundling.py says which rows go together). None: every row is its own message.
BundleRenderer = Callable[[Session, Config, list[ClaimedRow], datetime], Bundle[ClaimedRow]]
# What readdresses a batch of claimed rows just before sending: (sessions, rows, now, worker) -> rows
# (the composition root passes bot.lifecycle.holders.to_holders: nudges go to the item's holder then).
Readdresser = Callable[[SessionFactory, list[ClaimedRow], datetime, str], list[ClaimedRow]]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Deliverer:
    """One per process; keeps per-channel pacing and the rate-limit pause in memory."""

    def __init__(
        self,
        sessions: SessionFactory,
        config: Config,
        clock: Clock,
        sender: Sender,
        *,
        policy: DeliveryPolicy | None = None,
        worker: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        render: CardRenderer | None = None,
        bundle: BundleRenderer | None = None,
        readdress: Readdresser | None = None,
    ):
        self.sessions, self.config, self.clock, self.sender = sessions, config, clock, sender
        self.policy = policy or DeliveryPolicy()
        self.worker = worker or worker_name()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.render = render  # None: text only (bot.lifecycle.cards.live_cards draws the inquiry's card)
        self.bundle = bundle
        self.readdress = readdress  # None: rows go where they were queued
        self._last_sent: dict[str, datetime] = {}
        # Channels with a queue of their own (a row had to wait for pacing): claims leave their
        # rows alone until the pace allows the next one, instead of claiming and putting back.
        self._backlogged: set[str] = set()
        self._paused_until: datetime | None = None
        # Set to stop (SIGTERM): the message in flight is finished, the other claims are released.
        self.stopping = threading.Event()
        self.ledger = OutboxLedger(sessions)
        self.outcomes = Outcomes(self.ledger, config, clock, self.policy, self.worker, self.rng)
        self.look_up = LookUp(clock, self.policy)

    # ---- the loop --------------------------------------------------------------------------

    def run_once(self) -> DeliveryStats:
        """Send everything due now (one claim after another) and return; never sleeps."""
        with self.ledger.outcomes_pass():
            return self._run_once()

    def _run_once(self) -> DeliveryStats:
        stats = DeliveryStats()
        while not self.stopping.is_set():
            now = self.clock.now()
            if self._paused_until is not None and now < self._paused_until:
                break
            rows = self._claim(now)
            if not rows:
                break
            if self.bundle is not None:
                rows = claim_whole_moment(rows, self.policy.batch, lambda: self._claim(now))  # noqa: B023 - called within this iteration
            if self.readdress is not None:  # nudges go to the holder now (docs/outcomes.md)
                rows = self.readdress(self.sessions, rows, now, self.worker)
            cards = self._cards(rows, now)
            found = self.look_up.find(self.sender, rows)
            # Looked up and not in Slack: no longer in doubt, so it may go in a list again.
            rows = [
                replace(r, last_error=None) if r.maybe_sent and found.get(r.key, "") is None else r
                for r in rows
            ]
            units = group_rows(rows) if self.bundle is not None else [[r] for r in rows]
            for i, unit in enumerate(units):
                if self.stopping.is_set():  # stopping: let go of what we have not started
                    for rest in (r for u in units[i:] for r in u):
                        self.outcomes.release(rest, self.clock.now())
                        stats.deferred += 1
                    break
                if self._paused_until is not None and self.clock.now() < self._paused_until:
                    for rest in (r for u in units[i:] for r in u):
                        self.outcomes.release(rest, self._paused_until)
                        stats.deferred += 1
                    break
                # A reminder alone is checked like a list (answered since it was queued: dropped).
                if self.bundle is None or (len(unit) == 1 and not bundlable(unit[0])):
                    self._handle(unit[0], cards.get(unit[0].id), stats, found)
                else:
                    self._handle_bundle(unit, cards, stats)
        return stats

    def drain(self, wait: float = 5.0, budget: float = 120.0) -> DeliveryStats:
        """run_once, then keep going while something becomes due within `wait` seconds (pacing,
        a short Retry-After, a first backoff); stop after `budget` seconds in all."""
        stats = DeliveryStats()
        started = self.clock.now()
        while not self.stopping.is_set():
            stats.add(self.run_once())
            if self.stopping.is_set():
                return stats
            now = self.clock.now()
            upcoming = self.next_due()
            if self._paused_until is not None and self._paused_until > now:
                upcoming = min(upcoming, self._paused_until) if upcoming else self._paused_until
            if upcoming is None or (upcoming - now).total_seconds() > wait:
                return stats
            if (now - started).total_seconds() > budget:
                return stats
            self._nap(max(0.01, (upcoming - now).total_seconds()))
        return stats

    def _nap(self, seconds: float) -> None:
        """Sleep in short steps, so that a stop (SIGTERM) is heard within half a second."""
        while seconds > 0 and not self.stopping.is_set():
            step = min(seconds, 0.5)
            self.sleep(step)
            seconds -= step

    def next_due(self) -> datetime | None:
        with self.sessions() as s:
            return next_due(session=s)

    # ---- claiming --------------------------------------------------------------------------

    def _claim(self, now: datetime) -> list[ClaimedRow]:
        self._last_sent = {
            ch: at for ch, at in self._last_sent.items() if (now - at).total_seconds() < self.policy.pace
        }
        self._backlogged &= self._last_sent.keys()
        hot = sorted(self._backlogged)
        claimed: list[ClaimedRow] = []
        # Leases that ran out first (the owner died or hung mid-send; rare), then pending rows.
        for reclaimed in (True, False):
            room = self.policy.batch - len(claimed)
            if room <= 0:
                break
            rows = self.ledger.claim(
                reclaim=reclaimed,
                now=now,
                lease_end=now + self.policy.lease,
                give_up=now + self.policy.give_up_after,
                worker=self.worker,
                hot=hot,
                room=room,
            )
            claimed.extend(ClaimedRow(*r, reclaimed=reclaimed) for r in rows)  # type: ignore[misc]  # r: CLAIM_COLUMNS, all but reclaimed
        # RETURNING order is not the pick order: keep the queue's order for pacing and fairness.
        return sorted(claimed, key=lambda c: (not c.reclaimed, c.id))

    # ---- one message -----------------------------------------------------------------------

    def _handle(
        self,
        row: ClaimedRow,
        card: list[dict[str, Any]] | None,
        stats: DeliveryStats,
        found: dict[str, str | None] | None = None,
        text: str | None = None,
    ) -> None:
        """Send one row; `text`: its words as they are now, when not the queued text (the row
        keeps what was queued, and its record notes what Slack got)."""
        now = self.clock.now()
        if row.reclaimed and now >= row.give_up_at:
            self.outcomes.fail(row, "gave up: its deliverer kept dying mid-send (lease expired)", now)
            stats.failed += 1
            return
        if row.kind in QUIET_KINDS:
            calendar = recipient_calendar(self.config, row.team, row.channel)
            if not calendar.is_open(now):
                self.outcomes.release(row, calendar.next_opening(now), extend_give_up=True)
                stats.deferred += 1
                return
        last = self._last_sent.get(row.channel)
        if last is not None and (now - last).total_seconds() < self.policy.pace:
            self._backlogged.add(row.channel)
            self.outcomes.release(row, last + timedelta(seconds=self.policy.pace))
            stats.deferred += 1
            return
        said = row.text if text is None else text
        message = Outgoing(row.id, row.key, row.kind, row.channel, said, row.blocks or card, row.thread_ts)
        if row.maybe_sent:
            if found is None or row.key not in found:  # history could not be read yet: wait for it
                self.outcomes.release(
                    row, self.look_up.paused_until or now + timedelta(seconds=self.policy.pace)
                )
                stats.deferred += 1
                return
            ts = found[row.key]
            if ts is not None:
                self.outcomes.sent(row, ts, now)
                stats.recovered += 1
                return
        began = self.clock.now()
        self.ledger.mark_attempt(  # the words Slack gets, beside the queued ones when they differ
            row_id=row.id,
            worker=self.worker,
            note=f"{MAYBE_SENT}{ATTEMPT_BEGAN}{began.isoformat()}",
            sent_text=None if said == row.text else said,
        )
        result = self._send(message, row)
        now = self.clock.now()
        if result.outcome == "sent":
            self._last_sent[row.channel] = now
            self.outcomes.sent(row, result.ts, now)
            stats.sent += 1
        elif result.outcome == "retry" and now < row.give_up_at:
            if result.rate_limited:
                pause = timedelta(seconds=max(result.retry_after or 1.0, 0.0))
                self._paused_until = now + pause
            self.outcomes.retry(row, result, now, began)
            stats.retried += 1
        else:
            self.outcomes.fail(row, result.error or "unknown error", now)
            stats.failed += 1

    def _handle_bundle(self, rows: list[ClaimedRow], cards: dict[int, Any], stats: DeliveryStats) -> None:
        """One recipient's scheduled reminders as one message; every row is marked with its outcome."""
        now = self.clock.now()
        first = rows[0]
        calendar = recipient_calendar(self.config, first.team, first.channel)
        if not calendar.is_open(now):
            for row in rows:
                self.outcomes.release(row, calendar.next_opening(now), extend_give_up=True)
                stats.deferred += 1
            return
        last = self._last_sent.get(first.channel)
        if last is not None and (now - last).total_seconds() < self.policy.pace:
            self._backlogged.add(first.channel)
            for row in rows:
                self.outcomes.release(row, last + timedelta(seconds=self.policy.pace))
                stats.deferred += 1
            return
        assert self.bundle is not None  # _handle_bundle is only called when bundling is on
        bundle = self.bundle
        try:
            with self.sessions() as s:
                drawn = bundle(s, self.config, rows, now)
        except Exception:  # a list that cannot be drawn must not stop the messages: one by one
            log.exception("could not bundle outbox rows %s; sending them one by one", [r.id for r in rows])
            for row in rows:
                self._handle(row, cards.get(row.id), stats)
            return
        for row in drawn.dropped:
            self.outcomes.write(
                row,
                status="dropped",
                last_error="answered before delivery",
                claimed_by=None,
                claim_expires_at=None,
            )
        if len(drawn.keep) <= 1:
            for row in drawn.keep:
                text = drawn.texts.get(row.id, row.text)
                if text == row.text:
                    self._handle(row, cards.get(row.id), stats)
                else:  # worded now (the time left as it is now): its card is headed by the new text
                    card = self._cards([replace(row, text=text)], now).get(row.id)
                    self._handle(row, card, stats, text=text)
            return
        carrier = drawn.keep[0]
        message = Outgoing(
            carrier.id, carrier.key, carrier.kind, carrier.channel, drawn.text, drawn.blocks, None
        )
        # The carrier's key rides on the message, so after a crash the look-up finds it (docs/delivery.md);
        # every row of the list notes the attempt and that key, so none of them is sent again.
        began = self.clock.now()
        note = f"{MAYBE_SENT}{ATTEMPT_BEGAN}{began.isoformat()}"
        self.ledger.mark_attempts(
            notes={
                row.id: note if row is carrier else f"{note}; {RODE_WITH}{carrier.key}" for row in drawn.keep
            },
            worker=self.worker,
            sent_text=drawn.text,  # each row's record says which message it went out in
        )
        result = self._send(message)
        now = self.clock.now()
        if result.outcome == "sent":
            self._last_sent[carrier.channel] = now
            for row in drawn.keep:
                self.outcomes.sent(row, result.ts, now)
            stats.sent += 1
        elif result.outcome == "retry" and now < carrier.give_up_at:
            if result.rate_limited:
                self._paused_until = now + timedelta(seconds=max(result.retry_after or 1.0, 0.0))
            for row in drawn.keep:
                self.outcomes.retry(row, result, now, began, carrier=None if row is carrier else carrier.key)
            stats.retried += 1
        else:
            for row in drawn.keep:
                self.outcomes.fail(row, result.error or "unknown error", now, notify=row is carrier)
            stats.failed += 1

    def _cards(self, rows: list[ClaimedRow], now: datetime) -> dict[int, list[dict[str, Any]] | None]:
        """Live cards for the rows that carry an inquiry and no blocks, drawn for the whole batch."""
        wanted = [r for r in rows if r.blocks is None and r.inquiry_id is not None]
        if not wanted or self.render is None:
            return {}
        try:
            with self.sessions() as s:
                return self.render(s, self.config, wanted, now)
        except Exception:  # a card that cannot be drawn must not stop the messages themselves
            log.exception(
                "could not render cards for outbox rows %s; sending text only", [r.id for r in wanted]
            )
            return {}

    def _send(self, message: Outgoing, row: ClaimedRow | None = None) -> SendResult:
        try:
            if row is not None and has_files(message.blocks):  # bot/delivery/uploads.py: one step at a time
                prepared = advance_files(
                    self.sender, message, lambda blocks: self.outcomes.write(row, blocks=blocks)
                )
                if isinstance(prepared, SendResult):
                    return prepared
                message = prepared
            return self.sender.send(message)
        except Exception as exc:  # a sender bug or an unmapped error: retry, never lose the row
            log.exception("sender raised for outbox row %s", message.id)
            return SendResult.retry(f"{type(exc).__name__}: {exc}")

    # ---- recording outcomes ----------------------------------------------------------------
