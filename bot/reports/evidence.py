"""The evidence behind a report, item by item, as a supervisor would paste it into a performance record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class LateItem:
    """A first-response deadline in the period that was missed: answered late, or not yet."""

    id: int
    ref: str
    subject: str
    person: str
    due: datetime
    responded_at: datetime | None  # None: still unanswered
    business_hours: float | None  # receipt to first response, in the team's business hours
    escalated_by_hand: bool
    source_link: str | None
    logged_by: str | None = None
    # Set when the item was logged more than a business day after its stated receipt
    # (bot/time/late_logging.py): the evidence says so, and the holder may dispute it.
    logged_days_after_receipt: int | None = None
    # Set when the holder got the item from someone else before the deadline (docs/record.md):
    # how (reassigned | covered | logged: someone else logged it for them), from whom (who
    # reassigned or logged it; for cover, the absent person), and how many of the team's business
    # hours were left to the deadline (0: none, or logged after it).
    handed: str | None = None
    handed_by: str | None = None
    handed_hours_before: float | None = None


@dataclass(frozen=True)
class OverdueItem:
    id: int
    ref: str
    subject: str
    assignee: str
    deadline: datetime
    what: str  # "first response" | "promised resolution"
    source_link: str | None


@dataclass(frozen=True)
class EscalationItem:
    id: int
    ref: str
    subject: str
    person: str
    at: datetime
    actor: str
    level: int | None
    manual: bool
    reason: str | None
    source_link: str | None


@dataclass(frozen=True)
class AbsenceItem:
    user: str
    start: datetime
    end: datetime  # the effective end (an early `back` ends it sooner)
    alternate: str
    ended_early: bool


@dataclass(frozen=True)
class FeedbackItem:
    id: int
    ref: str
    person: str
    score: int
    comment: str | None
    at: datetime
    given_by: str


@dataclass(frozen=True)
class CustomerQuote:
    """A customer's current rating with a comment, from the feedback page."""

    id: int  # the inquiry's id
    ref: str
    person: str
    score: int
    comment: str
    at: datetime


@dataclass(frozen=True)
class MissedPromise:
    """A promised resolution date that passed unresolved, or the status update due by it not given
    (docs/outcomes.md): the misses behind the promise and status-update rates."""

    id: int
    ref: str
    subject: str
    person: str
    what: str  # "resolution" | "status update"
    due: datetime
    resolved_at: datetime | None  # resolved since, later than promised
    source_link: str | None


@dataclass(frozen=True)
class ClosedItem:
    """An item closed as duplicate or withdrawn while a deadline was still ahead: that deadline
    never got an outcome, so the report shows who closed it and why (docs/outcomes.md)."""

    id: int
    ref: str
    subject: str
    person: str  # who held it
    at: datetime
    by: str
    reason: str  # duplicate | withdrawn
    note: str | None
    original: int | None  # the item a duplicate duplicates
    deadline: datetime
    what: str  # "first response" | "promised resolution"
    hours_before: float | None  # the team's business hours left to that deadline
    source_link: str | None


@dataclass(frozen=True)
class Evidence:
    late: tuple[LateItem, ...] = ()
    escalations: tuple[EscalationItem, ...] = ()
    absences: tuple[AbsenceItem, ...] = ()
    feedback: tuple[FeedbackItem, ...] = ()
    overdue: tuple[OverdueItem, ...] = ()
    customer_feedback: tuple[CustomerQuote, ...] = ()
    # Disputes of the period's outcomes, and any still open (docs/outcomes.md): both reasons, who decided.
    disputes: tuple = ()
    closed: tuple[ClosedItem, ...] = ()
    missed_promises: tuple[MissedPromise, ...] = ()
    # True when a list was cut at the evidence limit (the counts in the metrics stay exact).
    late_truncated: bool = False
    escalations_truncated: bool = False
    feedback_truncated: bool = False
    overdue_truncated: bool = False
    customer_feedback_truncated: bool = False
    closed_truncated: bool = False
    missed_promises_truncated: bool = False
