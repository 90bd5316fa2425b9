"""Slack bookkeeping, so that each thing happens once: the outbox of messages to Slack, the events
Slack delivered already (it retries), and the signed requests already acted on (replays)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class OutboxMessage(Base):
    """A message to Slack: written first, delivered after, exactly once (unique dedupe_key)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    team: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # nudge | overdue | escalation | digest | dm | post | ...
    channel: Mapped[str] = mapped_column(String(64))  # user id (DM) or channel id
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[Any] | None] = mapped_column(JSON)
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    inquiry_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]  # not before this instant (quiet hours, backoff)
    give_up_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claim_expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    # What Slack got, when it was worded again at delivery (a late nudge's time left, a list of
    # reminders): `text` stays as queued. NULL: sent as queued.
    sent_text: Mapped[str | None] = mapped_column(Text)


class SlackEventSeen(Base):
    """Slack retries events; the first delivery of an event_id wins, retries are dropped."""

    __tablename__ = "slack_events_seen"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime]


class RequestReceipt(Base):
    """A signed request that was already acted on, by each key that identifies it (signature,
    trigger_id, view id + hash). The primary key makes a replay lose on every replica
    (docs/record.md)."""

    __tablename__ = "request_receipts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime]
