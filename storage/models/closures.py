"""Office closures declared while the bot runs (docs/closures.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class Closure(Base):
    """An office closure declared while the bot runs (docs/closures.md): whole days, a range, or a
    partial day (opens late / closes early), for one team or all (team NULL). Never deleted: a
    cancellation is recorded on the row (who, when), and the re-plans it caused are events."""

    __tablename__ = "closures"
    __table_args__ = (Index("ix_closures_last_day", "last_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team: Mapped[str | None] = mapped_column(String(64))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    opens: Mapped[str | None] = mapped_column(String(5))  # HH:MM, delayed arrival
    closes: Mapped[str | None] = mapped_column(String(5))  # HH:MM, early dismissal
    reason: Mapped[str] = mapped_column(Text)
    declared_by: Mapped[str] = mapped_column(String(32))
    declared_at: Mapped[datetime]
    cancelled_by: Mapped[str | None] = mapped_column(String(32))
    cancelled_at: Mapped[datetime | None]
