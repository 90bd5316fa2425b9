"""Deadline outcomes (docs/outcomes.md): the append-only facts, the disputes about them, and the
deadlines still waiting for theirs (the scheduler's queue). The partial indexes over missed facts
are declared beside them, with the WHERE clauses the queries write for them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, Index, Integer, String, Text, and_, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class Outcome(Base):
    """One fact about a deadline's outcome (docs/outcomes.md). Append-only: written once, never
    updated. `decided` facts (on_time | missed) are one per deadline and kind; a `late` fact turns a
    missed one into late (same holder, team and instant); a `void` fact (weight -1) takes a fact
    out of the rates after a dispute. Reports add up `weight`, so every fact counts by addition."""

    __tablename__ = "outcomes"
    __table_args__ = (
        Index("ix_outcomes_team", "team", "decided_at", "holder", "kind", "outcome", "weight"),
        Index("ix_outcomes_holder", "holder", "decided_at", "team", "kind", "outcome", "weight"),
        Index("ix_outcomes_inquiry", "inquiry_id", "id"),
        # The fact a late or void fact is about: "is this one voided?" is a seek, not a scan.
        Index("ix_outcomes_corrects", "corrects", "fact"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Unique: the same fact can never be stored twice (a racing scheduler pass, a replayed request).
    key: Mapped[str] = mapped_column(String(160), unique=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # first_response | resolution | status_update
    fact: Mapped[str] = mapped_column(String(8))  # decided | late | void
    deadline: Mapped[datetime]
    decided_at: Mapped[datetime]
    holder: Mapped[str] = mapped_column(String(32))
    team: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(8))  # on_time | missed | late
    weight: Mapped[int] = mapped_column(
        Integer, default=1
    )  # 1; -1 for a void; 0 for a late answer to a voided miss
    business_hours: Mapped[float | None]
    corrects: Mapped[int | None] = mapped_column(Integer)  # the fact a late or void fact is about
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(32))


class OutcomeDispute(Base):
    """Append-only: a dispute opened by the holder of an outcome, and its decision (upheld | voided)."""

    __tablename__ = "outcome_disputes"
    __table_args__ = (
        Index("ix_outcome_disputes_outcome", "outcome_id", "id"),
        Index("ix_outcome_disputes_team", "team", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id", ondelete="CASCADE"))
    inquiry_id: Mapped[int] = mapped_column(Integer)
    team: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(8))  # disputed | upheld | voided
    actor: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)


class OutcomePending(Base):
    """A deadline whose outcome is not decided yet: the scheduler's work queue (docs/outcomes.md).
    A row leaves the queue when its outcome is decided (or its item is closed before it fell due)."""

    __tablename__ = "outcome_pending"
    __table_args__ = (
        Index("ix_outcome_pending_due", "due_at"),
        Index("ix_outcome_pending_inquiry", "inquiry_id"),
    )

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]


# Missed first responses (a few percent of the facts): the evidence behind a report's missed count,
# in the order it lists them (team, deadline, item), and the misses escalated by hand, read from
# this index alone. Queries write the WHERE as it is here (literals), or neither database uses it.
MISSED_FIRST_RESPONSE = and_(
    Outcome.kind == literal_column("'first_response'"), Outcome.outcome == literal_column("'missed'")
)


def _partial(name: str, where: ColumnElement[bool], *columns: Any) -> Index:
    """An index of the rows matching `where` only, the same WHERE on both databases, the id
    included on PostgreSQL (read from the index alone)."""
    return Index(name, *columns, sqlite_where=where, postgresql_where=where, postgresql_include=["id"])


_partial(
    "ix_outcomes_missed",
    MISSED_FIRST_RESPONSE,
    Outcome.team,
    Outcome.deadline,
    Outcome.inquiry_id,
    Outcome.decided_at,
    Outcome.holder,
    Outcome.fact,
    Outcome.weight,
)
# A person's misses, in the same order (migration 0012).
_partial(
    "ix_outcomes_missed_holder",
    MISSED_FIRST_RESPONSE,
    Outcome.holder,
    Outcome.team,
    Outcome.deadline,
    Outcome.inquiry_id,
    Outcome.decided_at,
    Outcome.fact,
    Outcome.weight,
)

# Missed promises — a resolution or a status update not made by the promised date: the evidence
# behind the promise and status-update rates, read as ix_outcomes_missed is.
MISSED_PROMISE = and_(
    Outcome.kind.in_([literal_column("'resolution'"), literal_column("'status_update'")]),
    Outcome.outcome == literal_column("'missed'"),
)
_partial(
    "ix_outcomes_missed_promises",
    MISSED_PROMISE,
    Outcome.team,
    Outcome.deadline,
    Outcome.inquiry_id,
    Outcome.kind,
    Outcome.decided_at,
    Outcome.holder,
    Outcome.fact,
)
# A person's, in the same order (migration 0012).
_partial(
    "ix_outcomes_missed_promises_holder",
    MISSED_PROMISE,
    Outcome.holder,
    Outcome.team,
    Outcome.deadline,
    Outcome.inquiry_id,
    Outcome.kind,
    Outcome.decided_at,
    Outcome.fact,
)
