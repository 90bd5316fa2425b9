"""Typed SQLAlchemy models: the record a supervisor relies on at rating time.

Inquiries keep every deadline they were given and why (`deadlines.facts`), and every change is an
append-only row in `events`, so later config changes never rewrite history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    literal_column,
    text,
)
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
# them, and the hand-over tallies keep them added up (storage/queries/reports.py, tallies.py).
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

# A person's hand-overs, given or taken (storage/queries/reports.py reassignment_counts): seeks of
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


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        # One staff rating per inquiry: a later one replaces it (both stay in the events; docs/record.md).
        Index("ix_feedback_inquiry", "inquiry_id", unique=True),
        Index("ix_feedback_given_at", "given_at"),  # a report's feedback quotes, newest first
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    given_by: Mapped[str] = mapped_column(String(32))
    given_at: Mapped[datetime]


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


class RoutingCounter(Base):
    """Complex items routed to each specialist so far: round-robin picks the lowest, in O(1)."""

    __tablename__ = "routing_counters"

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    assigned: Mapped[int] = mapped_column(Integer, default=0)


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


class UserProfile(Base):
    """Cached users.info: time zone and display name."""

    __tablename__ = "user_profiles"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    tz: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime]


class CustomerFeedbackLink(Base):
    """The customer's private feedback link of one inquiry: a random token, nothing derived from
    the id or the customer (docs/customer-feedback.md). Created when first shown; never changed."""

    __tablename__ = "customer_feedback_links"

    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(32))


class CustomerRating(Base):
    """A rating the customer gave on the feedback page. Append-only: a later one replaces an
    earlier one in reports (the newest per inquiry counts), both stay here and in the events."""

    __tablename__ = "customer_ratings"
    __table_args__ = (
        Index("ix_customer_ratings_inquiry", "inquiry_id", "id"),
        Index("ix_customer_ratings_given_at", "given_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    given_at: Mapped[datetime]


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


class OutcomeCounts:
    """The columns of an outcome tally: <kind>_<outcome>, the sum of the facts' weights."""

    first_response_on_time: Mapped[int] = mapped_column(Integer, default=0)
    first_response_missed: Mapped[int] = mapped_column(Integer, default=0)
    first_response_late: Mapped[int] = mapped_column(Integer, default=0)
    resolution_on_time: Mapped[int] = mapped_column(Integer, default=0)
    resolution_missed: Mapped[int] = mapped_column(Integer, default=0)
    resolution_late: Mapped[int] = mapped_column(Integer, default=0)
    status_update_on_time: Mapped[int] = mapped_column(Integer, default=0)
    status_update_missed: Mapped[int] = mapped_column(Integer, default=0)
    status_update_late: Mapped[int] = mapped_column(Integer, default=0)


class OutcomeTally(OutcomeCounts, Base):
    """The outcome facts added up per UTC day, team and holder (docs/outcomes.md "Reading facts
    fast"). Derived, not the record: each fact adds its weight to its day's row in the commit that
    stores it (storage/queries/tallies.py, which can also rebuild them all). A report
    reads whole days from here and only the facts of the two part-days at its edges, so a year costs
    a row per person-day instead of one per fact. Columns: <kind>_<outcome>, the sum of weights."""

    __tablename__ = "outcome_tallies"
    __table_args__ = (
        Index("ix_outcome_tallies_holder", "holder", "day"),
        # SQLite keeps the rows in key order, so adding up a team or everyone walks them in the
        # order of GROUP BY team, holder: no sort, no look-ups.
        {"sqlite_with_rowid": False},
    )

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the UTC day of decided_at


class OutcomeMonthTally(OutcomeCounts, Base):
    """OutcomeTally's days added up per UTC month, kept in the same commits: a report reads the
    whole months of its period here, a row per person-month, and only the days around them there."""

    __tablename__ = "outcome_month_tallies"
    __table_args__ = (
        Index("ix_outcome_month_tallies_holder", "holder", "month"),
        {"sqlite_with_rowid": False},
    )

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day


class ActivityCounts:
    """The columns of an activity tally."""

    received: Mapped[int] = mapped_column(Integer, default=0)
    responded: Mapped[int] = mapped_column(Integer, default=0)
    timed: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)  # staff ratings given
    feedback_sum: Mapped[int] = mapped_column(Integer, default=0)  # … the sum of their scores


class ActivityTally(ActivityCounts, Base):
    """What happened to inquiries, added up per UTC day, team and accountable person (who gave
    the first response, else the assignee; docs/reports.md): received, first responses (and those
    with business hours), resolutions, staff ratings. Derived like OutcomeTally: storage/queries/inquiries.py
    moves an item's counts when a change moves them (an answer by someone else, a reassignment of
    an unanswered item, a team move), in the commit that changes it."""

    __tablename__ = "activity_tallies"
    __table_args__ = (Index("ix_activity_tallies_person", "person", "day"), {"sqlite_with_rowid": False})

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the UTC day of what is counted


class ActivityMonthTally(ActivityCounts, Base):
    """ActivityTally's days added up per UTC month, as OutcomeMonthTally is OutcomeTally's."""

    __tablename__ = "activity_month_tallies"
    __table_args__ = (
        Index("ix_activity_month_tallies_person", "person", "month"),
        {"sqlite_with_rowid": False},
    )

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day


class HandoverTally(Base):
    """Hand-overs (reassigned and covered events) per UTC month and person ('' for a missing name):
    how many they gave, took, and handed to themselves (one person on both sides), kept as each event is appended
    (tallies.py). Months, not days: a person hands over a few items a month, not a day."""

    __tablename__ = "handover_tallies"
    __table_args__ = ({"sqlite_with_rowid": False},)

    person: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    gave: Mapped[int] = mapped_column(Integer, default=0)
    took: Mapped[int] = mapped_column(Integer, default=0)
    to_self: Mapped[int] = mapped_column(Integer, default=0)


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
Index(
    "ix_outcomes_missed",
    Outcome.team,
    Outcome.deadline,
    Outcome.inquiry_id,
    Outcome.decided_at,
    Outcome.holder,
    Outcome.fact,
    Outcome.weight,
    sqlite_where=MISSED_FIRST_RESPONSE,
    postgresql_where=MISSED_FIRST_RESPONSE,
    postgresql_include=["id"],
)

# Missed promises — a resolution or a status update not made by the promised date: the evidence
# behind the promise and status-update rates, read as ix_outcomes_missed is.
MISSED_PROMISE = and_(
    Outcome.kind.in_([literal_column("'resolution'"), literal_column("'status_update'")]),
    Outcome.outcome == literal_column("'missed'"),
)
Index(
    "ix_outcomes_missed_promises",
    Outcome.team,
    Outcome.deadline,
    Outcome.inquiry_id,
    Outcome.kind,
    Outcome.decided_at,
    Outcome.holder,
    Outcome.fact,
    sqlite_where=MISSED_PROMISE,
    postgresql_where=MISSED_PROMISE,
    postgresql_include=["id"],
)


# Slack's OAuth installs: tables slack_sdk's stores use, declared beside the models (Alembic, the
# schema check). Imported last: it adds to Base.metadata.
import storage.installations  # noqa: E402, F401
