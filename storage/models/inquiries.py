"""The inquiry, every deadline it was given, and its history: the record a supervisor relies on at
rating time.

Inquiries keep every deadline they were given and why (`deadlines.facts`), and every change is an
append-only row in `events`, so later config changes never rewrite history. The events' partial
indexes (escalations, hand-overs) are declared beside them, with the event types they cover.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base
from storage.expressions import bare, json_text
from storage.inquiry_status import Status
from storage.refs import inquiry_ref


class Inquiry(Base):
    __tablename__ = "inquiries"
    # sqlite_autoincrement: an id is never reused, even after a delete (INQ-n is quoted in reviews).
    __table_args__ = (
        Index("ix_inquiries_next_action_at", "next_action_at"),
        Index("ix_inquiries_assignee_received", "assignee", "received_at"),
        Index("ix_inquiries_team_received", "team", "received_at"),
        Index("ix_inquiries_team_due", "team", "first_response_due"),
        Index("ix_inquiries_assignee_due", "assignee", "first_response_due"),
        # Live items by status, covering what a report counts of them (storage/queries/activity.py).
        Index(
            "ix_inquiries_live",
            "status",
            "team",
            "first_response_by",
            "assignee",
            "received_at",
            "first_response_due",
            "promised_resolution",
            postgresql_include=["id"],  # (SQLite's indexes hold the row id already)
        ),
        # Who holds an item, looked up by id from the index alone: a report's escalations and
        # ratings name each item's accountable person (storage/queries/reports.py accountable).
        Index("ix_inquiries_who", "id", "team", "first_response_by", "assignee"),
        # Reports (storage/queries/reports.py): covering indexes, so a year over 1M rows is grouped
        # per person and its percentiles found by walking an index in order, never sorting the table.
        Index(
            "ix_inquiries_report",
            "team",
            "first_response_by",
            "first_response_business_hours",
            "first_response_at",
            "received_at",
            "first_response_due",
            "status",
            "resolved_at",
            "promised_resolution",
            "first_update_at",
            "assignee",
            # PostgreSQL: and the id, so that a person's items are found from this index alone
            # (SQLite's indexes hold the row id already).
            postgresql_include=["id"],
        ),
        Index("ix_inquiries_response_hours", "first_response_business_hours", "first_response_at", "team"),
        # The part-days at a report's ends, beside the whole days its tallies hold (tallies.py).
        Index("ix_inquiries_team_responded", "team", "first_response_at"),
        Index("ix_inquiries_team_resolved", "team", "resolved_at"),
        # A person's unanswered items (reports' "accountable" items: storage/queries/reports.py _ids_of).
        Index(
            "ix_inquiries_unanswered",
            "assignee",
            sqlite_where=text("first_response_by IS NULL"),
            postgresql_where=text("first_response_by IS NULL"),
        ),
        # A Workflow Builder step's run logs one inquiry however often Slack delivers it: its
        # function_execution_id is stored with the inquiry it logged, in the same transaction.
        Index(
            "ux_inquiries_workflow_execution",
            "workflow_execution_id",
            unique=True,
            sqlite_where=text("workflow_execution_id IS NOT NULL"),
            postgresql_where=text("workflow_execution_id IS NOT NULL"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    customer_name: Mapped[str | None] = mapped_column(Text)
    customer_contact: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    logged_at: Mapped[datetime]
    logged_by: Mapped[str] = mapped_column(String(32))
    assignee: Mapped[str] = mapped_column(String(32))
    complexity: Mapped[str] = mapped_column(String(16))
    needs_research: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN.value)
    close_reason: Mapped[str | None] = mapped_column(String(32))
    source_link: Mapped[str | None] = mapped_column(Text)
    policy: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(Text)
    established_reason: Mapped[str | None] = mapped_column(Text)

    first_response_due: Mapped[datetime]
    first_response_target: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    first_response_by: Mapped[str | None] = mapped_column(String(32))
    first_response_business_hours: Mapped[float | None]
    promised_resolution: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    last_update_at: Mapped[datetime | None]
    # The first status update (`/inquiry update`, always after the first response): a promise was
    # kept apprised if this is no later than the promised date (reports' status-update compliance).
    first_update_at: Mapped[datetime | None]
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    reassignments: Mapped[int] = mapped_column(Integer, default=0)
    snoozed_until: Mapped[datetime | None]
    next_action_at: Mapped[datetime | None]
    # The Workflow Builder step run (Slack's function_execution_id) that logged it; NULL otherwise.
    workflow_execution_id: Mapped[str | None] = mapped_column(String(64))

    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="inquiry", order_by="Deadline.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="inquiry", order_by="Event.id", cascade="all, delete-orphan"
    )

    @property
    def ref(self) -> str:
        return inquiry_ref(self.id)


class Deadline(Base):
    """Every deadline an inquiry was given, with the rule and calendar facts behind it."""

    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_inquiry", "inquiry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))  # first_response | target | promised_resolution
    due_at: Mapped[datetime]
    rule: Mapped[str] = mapped_column(Text)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    set_at: Mapped[datetime]
    set_by: Mapped[str] = mapped_column(String(32))

    inquiry: Mapped[Inquiry] = relationship(back_populates="deadlines")


class Event(Base):
    """Append-only history: who did what, when. Never updated, never deleted."""

    __tablename__ = "events"
    __table_args__ = (
        # Every event is written once and read rarely: only the indexes something reads (an item's
        # history; reports' escalations and reassignments in a period), each one more write per event.
        Index("ix_events_inquiry", "inquiry_id", "id"),
        Index("ix_events_type_at", "type", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    inquiry: Mapped[Inquiry | None] = relationship(back_populates="events")


# The events that hand an item over: by hand, or to an alternate during an absence. Reports count
# them, and the hand-over tallies keep them added up (storage/queries/report_events.py, tallies.py).
HANDOVER_EVENTS = ("reassigned", "covered")

# The events that escalate an item (by a person, or by the scheduler's level-2 step). Few (a few
# percent of items), read by item in a person's report (their escalations, which of their misses
# were escalated by hand) and all at once for the misses escalated by hand: a partial index over
# them only, which also holds the instant and actor, so those reads never touch the events table.
# Queries write its WHERE as it is here (storage/queries/reports.py `escalated`: the types as
# literals), or neither database would use it. On SQLite the type is `bare` (+type) there and in
# the queries, so that SQLite's planner, which has no statistics, can't take ix_events_type_at for
# them instead.
ESCALATION_EVENTS = ("escalated",)
Index(
    "ix_events_escalated",
    Event.inquiry_id,
    Event.at,
    Event.actor,
    Event.type,  # the type too, so that the index covers the queries (else SQLite reads the rows)
    sqlite_where=bare(Event.type).in_(ESCALATION_EVENTS),
    postgresql_where=Event.type.in_(ESCALATION_EVENTS),
)

# A person's hand-overs, given or taken (storage/queries/report_events.py reassignment_counts): seeks of
# the payload's "from" and "to" over the hand-over events only. The query writes the same
# expressions (json_text) and the same literal types, or neither database would use them.
_HANDED = Event.type.in_(HANDOVER_EVENTS)
Index(
    "ix_events_handed_from",
    json_text(Event.payload, "from"),
    Event.at,
    sqlite_where=_HANDED,
    postgresql_where=_HANDED,
)
Index(
    "ix_events_handed_to",
    json_text(Event.payload, "to"),
    Event.at,
    sqlite_where=_HANDED,
    postgresql_where=_HANDED,
)
