"""Typed values for every `/inquiry` subcommand. The parser produces them; handlers act on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.lifecycle.views import InquiryDraft


@dataclass(frozen=True)
class LogCommand:
    """`/inquiry log <kind> <subject>; from …; received …; complex; needs research; assign @u; due …`"""

    draft: InquiryDraft


@dataclass(frozen=True)
class NewCommand:
    """`/inquiry` alone or `/inquiry new`: open the modal (optionally prefilled with a subject)."""

    subject: str | None = None


@dataclass(frozen=True)
class ListCommand:
    scope: str = "mine"  # mine | team | overdue | a user id


@dataclass(frozen=True)
class ShowCommand:
    inquiry_id: int


@dataclass(frozen=True)
class AckCommand:
    inquiry_id: int
    expect: datetime | None = None
    note: str | None = None


@dataclass(frozen=True)
class UpdateCommand:
    inquiry_id: int
    note: str
    expect: datetime | None = None


@dataclass(frozen=True)
class ResolveCommand:
    inquiry_id: int
    note: str | None = None


@dataclass(frozen=True)
class CloseCommand:
    inquiry_id: int
    reason: str
    note: str | None = None
    original: int | None = None  # the item a duplicate duplicates


@dataclass(frozen=True)
class ReassignCommand:
    inquiry_id: int
    to: str


@dataclass(frozen=True)
class EscalateCommand:
    inquiry_id: int
    reason: str | None = None


@dataclass(frozen=True)
class SnoozeCommand:
    inquiry_id: int
    duration: timedelta


@dataclass(frozen=True)
class FeedbackCommand:
    inquiry_id: int
    score: int
    comment: str | None = None


@dataclass(frozen=True)
class AwayCommand:
    start: datetime
    end: datetime
    alternate: str


@dataclass(frozen=True)
class BackCommand:
    pass


@dataclass(frozen=True)
class ReportCommand:
    scope: str = "me"  # me | team | a user id
    period: str = ""  # raw text; the reports module reads it ("last week", "Q1", "2026-01-01 to 2026-03-31")


@dataclass(frozen=True)
class HelpCommand:
    topic: str | None = None


@dataclass(frozen=True)
class ExplainCommand:
    inquiry_id: int


@dataclass(frozen=True)
class LinkCommand:
    """`/inquiry link INQ-12`: the customer's feedback link (docs/customer-feedback.md)."""

    inquiry_id: int


@dataclass(frozen=True)
class DisputeCommand:
    """`dispute <id> [first-response|resolution|update] <reason>` (docs/outcomes.md)."""

    inquiry_id: int
    reason: str
    kind: str | None = None  # first_response | resolution | status_update; None: the holder's miss


@dataclass(frozen=True)
class DecideDisputeCommand:
    """`uphold <id> [kind] <reason>` or `void <id> [kind] <reason>`."""

    inquiry_id: int
    decision: str  # uphold | void
    reason: str
    kind: str | None = None  # which outcome's dispute, when the item has several open


Command = (
    LogCommand
    | NewCommand
    | ListCommand
    | ShowCommand
    | AckCommand
    | UpdateCommand
    | ResolveCommand
    | CloseCommand
    | ReassignCommand
    | EscalateCommand
    | SnoozeCommand
    | FeedbackCommand
    | AwayCommand
    | BackCommand
    | ReportCommand
    | HelpCommand
    | ExplainCommand
    | LinkCommand
    | DisputeCommand
    | DecideDisputeCommand
)
