"""What callers give the service (InquiryDraft) and what they get back: frozen snapshots taken
inside the transaction, so renderers never touch a live ORM object or the database."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from storage.inquiry_status import LIVE, Status
from storage.models import Absence
from storage.queries.inquiries import DeadlineRecord, InquiryRecord
from storage.refs import inquiry_ref


@dataclass(frozen=True)
class InquiryDraft:
    kind: str
    subject: str
    customer_name: str | None = None
    customer_contact: str | None = None
    received_at: datetime | None = None  # None: now
    complexity: str = "standard"
    needs_research: bool = False
    assignee: str | None = None
    due: datetime | None = None  # an established deadline (supervisor or program)
    due_reason: str | None = None
    source_link: str | None = None
    # How it was logged when not by a person in Slack: "workflow" (the Workflow Builder step, whose
    # `logged_by` is whatever the workflow's builder mapped, so its assignee is always told).
    via: str | None = None
    # The Workflow Builder step run (Slack's function_execution_id) logging it: stored with the
    # inquiry, so the same run delivered again gets this inquiry back instead of a second one.
    workflow_execution_id: str | None = None


@dataclass(frozen=True)
class DeadlineView:
    name: str  # first_response | target | promised_resolution
    due_at: datetime
    rule: str
    facts: dict
    set_at: datetime
    set_by: str


@dataclass(frozen=True)
class InquiryView:
    id: int
    ref: str
    team: str
    kind: str
    subject: str
    customer_name: str | None
    customer_contact: str | None
    received_at: datetime
    logged_at: datetime
    logged_by: str
    assignee: str
    complexity: str
    needs_research: bool
    status: str
    close_reason: str | None
    source_link: str | None
    policy: str
    rule: str
    established_reason: str | None
    first_response_due: datetime
    first_response_target: datetime | None
    first_response_at: datetime | None
    first_response_by: str | None
    first_response_business_hours: float | None
    promised_resolution: datetime | None
    resolved_at: datetime | None
    last_update_at: datetime | None
    escalation_level: int
    escalated: bool
    reassignments: int
    snoozed_until: datetime | None
    next_action_at: datetime | None
    overdue: bool  # at the moment the view was taken
    deadlines: tuple[DeadlineView, ...]
    explanation: tuple[str, ...]  # the deadlines in plain English (see bot.rendering.explain)
    feedback_url: str | None = None  # the customer's feedback link, when shown (bot/customer_feedback)
    # Accepted input worth a second look (bot.lifecycle.cautions): the reply shows a warning line each.
    cautions: tuple = ()
    snooze_ended: bool = False  # snoozed_until had passed when the view was taken (cards leave it out)
    # Logged for, or handed to, someone away: whom the item was meant for (it went to their alternate).
    covered_for: str | None = None
    # Whom this copy of the card is for, when known: its buttons leave out what they may not do.
    viewer: str | None = None

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def rated_person(self) -> str:
        """Whom a rating of this item counts for: whoever gave its first response, else the assignee."""
        return self.first_response_by or self.assignee


@dataclass(frozen=True)
class AbsenceView:
    id: int
    user_id: str
    team: str
    starts_at: datetime
    ends_at: datetime  # the effective end: `back` before the planned end moves it earlier
    planned_end: datetime
    alternate: str
    ended_early: bool


_COLUMNS = tuple(
    f.name
    for f in fields(InquiryView)
    if f.name
    not in (
        "ref",
        "overdue",
        "deadlines",
        "explanation",
        "feedback_url",
        "cautions",
        "snooze_ended",
        "covered_for",
        "viewer",
    )
)


def is_overdue(row: InquiryRecord, now: datetime) -> bool:
    """Open past the first-response deadline, or acknowledged past the promised resolution."""
    if row.status == Status.OPEN:
        return now > row.first_response_due
    if row.status == Status.ACKNOWLEDGED and row.promised_resolution is not None:
        return now > row.promised_resolution
    return False


def deadline_view(row: DeadlineRecord) -> DeadlineView:
    return DeadlineView(row.name, row.due_at, row.rule, dict(row.facts or {}), row.set_at, row.set_by)


def inquiry_view(row: InquiryRecord, now: datetime, explanation: tuple[str, ...] = ()) -> InquiryView:
    values = {name: getattr(row, name) for name in _COLUMNS}
    return InquiryView(
        **values,
        ref=row.ref,
        overdue=is_overdue(row, now),
        deadlines=tuple(deadline_view(d) for d in row.deadlines),
        explanation=explanation,
        snooze_ended=row.snoozed_until is not None and row.snoozed_until <= now,
    )


def absence_view(row: Absence) -> AbsenceView:
    end = row.ends_at if row.ended_at is None else min(row.ends_at, row.ended_at)
    return AbsenceView(
        id=row.id,
        user_id=row.user_id,
        team=row.team,
        starts_at=row.starts_at,
        ends_at=end,
        planned_end=row.ends_at,
        alternate=row.alternate,
        ended_early=end < row.ends_at,
    )


@dataclass(frozen=True)
class DisputeView:
    """A dispute of a decided outcome, or its decision (bot/lifecycle/disputes.py, docs/outcomes.md)."""

    inquiry_id: int
    outcome_id: int
    kind: str
    outcome: str
    holder: str
    team: str
    deadline: datetime
    decided_at: datetime
    action: str  # disputed | upheld | voided
    actor: str
    reason: str
    told: tuple[str, ...] = ()  # a dispute: who was asked to decide it
    told_as: str = "supervisor"  # supervisor | admin (the disputer is the team's only supervisor)

    @property
    def ref(self) -> str:
        return inquiry_ref(self.inquiry_id)
