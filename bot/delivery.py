"""Deliver the outbox: claim due rows, send them through a Sender, record the outcome.

Claims (README "Delivery guarantee"): a row is taken by one UPDATE that sets status 'sending',
claimed_by and a lease (claim_expires_at). On PostgreSQL the rows are picked with
FOR UPDATE SKIP LOCKED, so any number of deliverers take disjoint rows without waiting; on SQLite
the UPDATE … RETURNING runs inside BEGIN IMMEDIATE, which serialises writers. Each outcome is one
atomic UPDATE right after the send, guarded by claimed_by, so a deliverer whose lease was taken
over never overwrites the new owner. A row that may already be in Slack (a lost claim, a send
without an answer) is looked up there by its key before it is sent again.

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
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot.clock import Clock
from bot.lifecycle.holders import to_holders
from bot.config import Config
from bot.outbox import enqueue
from bot.quiet import QUIET_KINDS, is_user, recipient_calendar
from bot.sending import Outgoing, Sender, SendResult
from storage.models import Inquiry, OutboxMessage, UserProfile
from storage.queries.delivery import MARK_SENT, claim_statements
from storage.session import transaction

log = logging.getLogger("inquirybot.delivery")


@dataclass(frozen=True)
class DeliveryPolicy:
    batch: int = 50
    lease: timedelta = timedelta(minutes=5)  # far above one send's worst case (HTTP timeout 30 s)
    pace: float = 1.0  # seconds between two messages to one channel (Slack: ~1/s/channel)
    backoff_base: float = 2.0  # seconds; doubles per attempt
    backoff_max: float = 300.0
    give_up_after: timedelta = timedelta(hours=24)


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0  # put back for pacing, a rate-limit pause or quiet hours (no attempt used)
    recovered: int = 0  # found already posted after a lost claim: marked sent, not resent

    def add(self, other: DeliveryStats) -> None:
        for name in ("sent", "retried", "failed", "deferred", "recovered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        return (f"{self.sent} sent, {self.retried} to retry, {self.failed} failed, "
                f"{self.deferred} deferred, {self.recovered} recovered")


MAYBE_SENT = "no answer (maybe sent): "  # last_error prefix: look in Slack before sending again


@dataclass(frozen=True)
class _Claimed:
    id: int
    key: str
    team: str
    kind: str
    channel: str
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None
    inquiry_id: int | None
    attempts: int
    created_at: datetime
    give_up_at: datetime
    last_error: str | None
    reclaimed: bool  # its previous owner's lease ran out mid-send

    @property
    def maybe_sent(self) -> bool:
        """Slack may already have it: a lost claim, or a last attempt that got no answer."""
        return self.reclaimed or (self.last_error or "").startswith(MAYBE_SENT)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Deliverer:
    """One per process; keeps per-channel pacing and the rate-limit pause in memory."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: Config,
        clock: Clock,
        sender: Sender,
        *,
        policy: DeliveryPolicy | None = None,
        worker: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        render: Callable[[Session, Config, list[_Claimed], datetime], dict[int, Any]] | None = None,
    ):
        self.sessions, self.config, self.clock, self.sender = sessions, config, clock, sender
        self.policy = policy or DeliveryPolicy()
        self.worker = worker or worker_name()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.render = render or live_cards
        self._last_sent: dict[str, datetime] = {}
        # Channels with a queue of their own (a row had to wait for pacing): claims leave their
        # rows alone until the pace allows the next one, instead of claiming and putting back.
        self._backlogged: set[str] = set()
        self._paused_until: datetime | None = None
        self._conn: Any = None  # PostgreSQL: the connection run_once holds for outcomes

    # ---- the loop --------------------------------------------------------------------------

    def run_once(self) -> DeliveryStats:
        """Send everything due now (one claim after another) and return; never sleeps."""
        engine = self.sessions.kw["bind"]
        if engine.dialect.name != "postgresql":
            return self._run_once()
        with engine.connect() as conn:
            # On PostgreSQL each outcome is one atomic UPDATE on this connection: autocommit makes
            # it a single round trip, and it need not wait for the disk flush (README "Delivery
            # guarantee": a mark lost in a database crash leaves the row claimed, and the lease
            # path takes it from there). Claims are committed durably on their own.
            self._conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            self._conn.exec_driver_sql("SET synchronous_commit TO off")
            try:
                return self._run_once()
            finally:
                self._conn = None
                try:
                    conn.exec_driver_sql("RESET synchronous_commit")
                except Exception:  # a broken connection: never hand it back to the pool
                    conn.invalidate()

    def _execute(self, stmt: Any, params: dict[str, Any] | None = None, *, durable: bool = False) -> Any:
        """Run one statement atomically; rows for RETURNING statements, else the row count."""
        if durable or self._conn is None:
            with self.sessions.kw["bind"].begin() as conn:  # SQLite: BEGIN IMMEDIATE … COMMIT
                result = conn.execute(stmt, params or {})
                return result.all() if result.returns_rows else result.rowcount
        result = self._conn.execute(stmt, params or {})
        return result.all() if result.returns_rows else result.rowcount

    def _run_once(self) -> DeliveryStats:
        stats = DeliveryStats()
        while True:
            now = self.clock.now()
            if self._paused_until is not None and now < self._paused_until:
                break
            rows = self._claim(now)
            if not rows:
                break
            rows = to_holders(self.sessions, rows, now, self.worker)  # nudges go to the holder now
            cards = self._cards(rows, now)
            for i, row in enumerate(rows):
                if self._paused_until is not None and self.clock.now() < self._paused_until:
                    for rest in rows[i:]:
                        self._release(rest, self._paused_until)
                        stats.deferred += 1
                    break
                self._handle(row, cards.get(row.id), stats)
        return stats

    def drain(self, wait: float = 5.0, budget: float = 120.0) -> DeliveryStats:
        """run_once, then keep going while something becomes due within `wait` seconds (pacing,
        a short Retry-After, a first backoff); stop after `budget` seconds in all."""
        stats = DeliveryStats()
        started = self.clock.now()
        while True:
            stats.add(self.run_once())
            now = self.clock.now()
            upcoming = self.next_due()
            if self._paused_until is not None and self._paused_until > now:
                upcoming = min(upcoming, self._paused_until) if upcoming else self._paused_until
            if upcoming is None or (upcoming - now).total_seconds() > wait:
                return stats
            if (now - started).total_seconds() > budget:
                return stats
            self.sleep(max(0.01, (upcoming - now).total_seconds()))

    def next_due(self) -> datetime | None:
        with self.sessions() as s:
            return s.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == "pending"))

    # ---- claiming --------------------------------------------------------------------------

    def _claim(self, now: datetime) -> list[_Claimed]:
        self._last_sent = {ch: at for ch, at in self._last_sent.items() if (now - at).total_seconds() < self.policy.pace}
        self._backlogged &= self._last_sent.keys()
        hot = sorted(self._backlogged)
        params = {"now": now, "lease_end": now + self.policy.lease, "give_up": now + self.policy.give_up_after,
                  "worker": self.worker, "hot": hot}
        claimed: list[_Claimed] = []
        statements = claim_statements(self.sessions.kw["bind"].dialect.name)
        # Leases that ran out first (the owner died or hung mid-send; rare), then pending rows.
        for reclaimed, stmt in zip((True, False), statements):
            room = self.policy.batch - len(claimed)
            if room <= 0:
                break
            for r in self._execute(stmt, {**params, "room": room}, durable=True):
                claimed.append(_Claimed(*r, reclaimed=reclaimed))
        # RETURNING order is not the pick order: keep the queue's order for pacing and fairness.
        return sorted(claimed, key=lambda c: (not c.reclaimed, c.id))

    # ---- one message -----------------------------------------------------------------------

    def _handle(self, row: _Claimed, card: list[dict[str, Any]] | None, stats: DeliveryStats) -> None:
        now = self.clock.now()
        if row.reclaimed and now >= row.give_up_at:
            self._fail(row, "gave up: its deliverer kept dying mid-send (lease expired)", now)
            stats.failed += 1
            return
        if row.kind in QUIET_KINDS:
            calendar = recipient_calendar(self.config, row.team, row.channel)
            if not calendar.is_open(now):
                self._release(row, calendar.next_opening(now), extend_give_up=True)
                stats.deferred += 1
                return
        last = self._last_sent.get(row.channel)
        if last is not None and (now - last).total_seconds() < self.policy.pace:
            self._backlogged.add(row.channel)
            self._release(row, last + timedelta(seconds=self.policy.pace))
            stats.deferred += 1
            return
        message = Outgoing(row.id, row.key, row.kind, row.channel, row.text, row.blocks or card, row.thread_ts)
        if row.maybe_sent:
            ts = self._find_sent(message, row)
            if ts is not None:
                self._mark_sent(row, ts, now)
                stats.recovered += 1
                return
        result = self._send(message)
        now = self.clock.now()
        if result.outcome == "sent":
            self._last_sent[row.channel] = now
            self._mark_sent(row, result.ts, now)
            stats.sent += 1
        elif result.outcome == "retry" and now < row.give_up_at:
            if result.rate_limited:
                pause = timedelta(seconds=max(result.retry_after or 1.0, 0.0))
                self._paused_until = now + pause
            self._retry(row, result, now)
            stats.retried += 1
        else:
            self._fail(row, result.error or "unknown error", now)
            stats.failed += 1

    def _cards(self, rows: list[_Claimed], now: datetime) -> dict[int, list[dict[str, Any]] | None]:
        """Live cards for the rows that carry an inquiry and no blocks, drawn for the whole batch."""
        wanted = [r for r in rows if r.blocks is None and r.inquiry_id is not None]
        if not wanted:
            return {}
        try:
            with self.sessions() as s:
                return self.render(s, self.config, wanted, now)
        except Exception:  # a card that cannot be drawn must not stop the messages themselves
            log.exception("could not render cards for outbox rows %s; sending text only", [r.id for r in wanted])
            return {}

    def _send(self, message: Outgoing) -> SendResult:
        try:
            return self.sender.send(message)
        except Exception as exc:  # a sender bug or an unmapped error: retry, never lose the row
            log.exception("sender raised for outbox row %s", message.id)
            return SendResult.retry(f"{type(exc).__name__}: {exc}")

    def _find_sent(self, message: Outgoing, row: _Claimed) -> str | None:
        finder = getattr(self.sender, "find_sent", None)
        if finder is None:
            return None
        try:
            return finder(message, row.created_at - timedelta(minutes=1))
        except Exception:
            log.exception("could not check whether outbox row %s was already posted", row.id)
            return None

    # ---- recording outcomes ----------------------------------------------------------------

    def _write(self, row: _Claimed, then: Callable[[Session], None] | None = None, **values: Any) -> bool:
        """Record an outcome if this deliverer still owns the row; `then` runs in the same transaction."""
        t = OutboxMessage.__table__
        stmt = update(t).where(t.c.id == row.id, t.c.claimed_by == self.worker, t.c.status == "sending").values(**values)
        if then is None:  # the hot path: one atomic UPDATE right after each send
            done = self._execute(stmt)
        else:
            with transaction(self.sessions) as s:
                done = s.execute(stmt).rowcount
                if done:
                    then(s)
        if done == 0:
            log.warning("outbox row %s (%s) was taken over by another deliverer after its lease ran out",
                        row.id, row.key)
        return bool(done)

    def _mark_sent(self, row: _Claimed, ts: str | None, now: datetime) -> None:
        done = self._execute(MARK_SENT, {"row_id": row.id, "worker": self.worker, "at": now, "ts": ts})
        if not done:
            log.warning("outbox row %s (%s) was sent, but another deliverer had taken it over after its lease "
                        "ran out", row.id, row.key)

    def _release(self, row: _Claimed, when: datetime, *, extend_give_up: bool = False) -> None:
        """Put back without using an attempt (pacing, pause, quiet hours)."""
        values: dict[str, Any] = {"status": "pending", "next_attempt_at": when, "claimed_by": None,
                                  "claim_expires_at": None}
        if extend_give_up:  # time spent waiting for the office to open does not count
            values["give_up_at"] = row.give_up_at + max(when - self.clock.now(), timedelta(0))
        self._write(row, **values)

    def _retry(self, row: _Claimed, result: SendResult, now: datetime) -> None:
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
        log.warning("outbox row %s (%s) attempt %s failed: %s; retrying at %s",
                    row.id, row.key, attempt, result.error, when.isoformat())
        error = (MAYBE_SENT if result.maybe_sent else "") + (result.error or "")
        self._write(row, status="pending", next_attempt_at=when, attempts=attempt, last_error=error,
                    claimed_by=None, claim_expires_at=None, **values)

    def _fail(self, row: _Claimed, error: str, now: datetime) -> None:
        log.error("outbox row %s (%s, %s to %s) failed for good after %s attempts: %s",
                  row.id, row.key, row.kind, row.channel, row.attempts + 1, error)
        notify = None if row.kind == "admin_notice" else (lambda s: self._notify_admins(s, row, error, now))
        self._write(row, notify, status="failed", attempts=OutboxMessage.__table__.c.attempts + 1, last_error=error,
                    claimed_by=None, claim_expires_at=None)

    def _notify_admins(self, s: Session, row: _Claimed, error: str, now: datetime) -> None:
        team = self.config.teams.get(row.team) or self.config.teams[self.config.default_team]
        recipients = sorted(self.config.admins) or list(team.supervisors)
        text = (f":warning: inquirybot could not deliver a {row.kind} message to {_mention(row.channel)} "
                f"(outbox #{row.id}, {row.key}) and gave up: {error}. It said: {row.text[:300]}")
        for admin in recipients:
            enqueue(s, key=f"undeliverable:{row.id}:{admin}", team=row.team, kind="admin_notice",
                    channel=admin, text=text, now=now)


def _mention(channel: str) -> str:
    return f"<@{channel}>" if is_user(channel) else f"<#{channel}>"


def live_cards(
    session: Session, config: Config, rows: list[_Claimed], now: datetime
) -> dict[int, list[dict[str, Any]] | None]:
    """Each row's inquiry card as the inquiry is now, headed by the message's own text, in the
    recipient's zone (cached profile) or else the team's. Rows whose inquiry is gone: text only."""
    try:
        from bot.lifecycle.views import inquiry_view
        from bot.rendering.card import card_for
    except ImportError:  # rendering not installed in this build: the text alone still goes
        return {}
    ids = {r.inquiry_id for r in rows}
    query = select(Inquiry).where(Inquiry.id.in_(ids)).options(selectinload(Inquiry.deadlines))
    views = {row.id: inquiry_view(row, now) for row in session.scalars(query)}
    users = sorted({r.channel for r in rows if is_user(r.channel)})
    zones = dict(session.execute(select(UserProfile.user_id, UserProfile.tz).where(UserProfile.user_id.in_(users))).all())
    cards: dict[int, list[dict[str, Any]] | None] = {}
    for r in rows:
        view = views.get(r.inquiry_id)
        if view is not None:
            team = config.teams.get(view.team) or config.teams[config.default_team]
            cards[r.id] = card_for(view, zones.get(r.channel) or team.timezone, headline=r.text)
    return cards
