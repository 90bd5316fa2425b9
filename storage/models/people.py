"""The people who answer inquiries: their absences (and who covers for them), the complex items
round-robin has routed to each so far, and their cached Slack profiles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class Absence(Base):
    __tablename__ = "absences"
    __table_args__ = (Index("ix_absences_user_start", "user_id", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32))
    team: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    alternate: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]  # set by `back` before ends_at


class RoutingCounter(Base):
    """Complex items routed to each specialist so far: round-robin picks the lowest, in O(1)."""

    __tablename__ = "routing_counters"

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    assigned: Mapped[int] = mapped_column(Integer, default=0)


class UserProfile(Base):
    """Cached users.info: time zone and display name."""

    __tablename__ = "user_profiles"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    tz: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime]
