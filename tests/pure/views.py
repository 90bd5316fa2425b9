"""Hand-made InquiryView / AbsenceView values for pure rendering tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.lifecycle import AbsenceView, InquiryView

T = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def inquiry(**changes) -> InquiryView:
    base = InquiryView(
        id=12,
        ref="INQ-12",
        team="default",
        kind="email",
        subject="Export license status",
        customer_name="Jane Doe",
        customer_contact="jane@example.gov",
        received_at=T,
        logged_at=T,
        logged_by="U1",
        assignee="U1",
        complexity="standard",
        needs_research=False,
        status="open",
        close_reason=None,
        source_link=None,
        policy="department",
        rule="1 business day",
        established_reason=None,
        first_response_due=datetime(2026, 3, 5, 22, 0, tzinfo=UTC),
        first_response_target=None,
        first_response_at=None,
        first_response_by=None,
        first_response_business_hours=None,
        promised_resolution=None,
        resolved_at=None,
        last_update_at=None,
        escalation_level=0,
        escalated=False,
        reassignments=0,
        snoozed_until=None,
        next_action_at=T,
        overdue=False,
        deadlines=(),
        explanation=("INQ-12 (email, standard): received …",),
    )
    return replace(base, **changes)


def absence(**changes) -> AbsenceView:
    base = AbsenceView(
        id=1,
        user_id="U1",
        team="default",
        starts_at=T,
        ends_at=datetime(2026, 3, 7, 4, 59, tzinfo=UTC),
        planned_end=datetime(2026, 3, 7, 4, 59, tzinfo=UTC),
        alternate="U2",
        ended_early=False,
    )
    return replace(base, **changes)
