"""Typed SQLAlchemy models: the record a supervisor relies on at rating time.

Inquiries keep every deadline they were given and why (`deadlines.facts`), and every change is an
append-only row in `events`, so later config changes never rewrite history.

A module for each thing held: inquiries.py (inquiries, their deadlines and events), outcomes.py
(outcome facts, disputes, pending deadlines), tallies.py (what reports add up, kept added up),
feedback.py (staff and customer ratings), people.py (absences, routing counters, profiles),
closures.py (office closures), delivery.py (the outbox, Slack events and requests already seen).
`Base` is storage/base.py's, the column types storage/types.py's. Every model module is imported
here, so whichever model a caller imports, `Base.metadata` holds every table.
"""

from __future__ import annotations

from storage.base import Base
from storage.models.closures import Closure
from storage.models.delivery import OutboxMessage, RequestReceipt, SlackEventSeen
from storage.models.feedback import CustomerFeedbackLink, CustomerRating, Feedback
from storage.models.inquiries import ESCALATION_EVENTS, HANDOVER_EVENTS, Deadline, Event, Inquiry
from storage.models.outcomes import (
    MISSED_FIRST_RESPONSE,
    MISSED_PROMISE,
    Outcome,
    OutcomeDispute,
    OutcomePending,
)
from storage.models.people import Absence, RoutingCounter, UserProfile
from storage.models.tallies import (
    ActivityCounts,
    ActivityMonthTally,
    ActivityTally,
    HandoverTally,
    OutcomeCounts,
    OutcomeMonthTally,
    OutcomeTally,
)

__all__ = [
    "ESCALATION_EVENTS",
    "HANDOVER_EVENTS",
    "MISSED_FIRST_RESPONSE",
    "MISSED_PROMISE",
    "Absence",
    "ActivityCounts",
    "ActivityMonthTally",
    "ActivityTally",
    "Base",
    "Closure",
    "CustomerFeedbackLink",
    "CustomerRating",
    "Deadline",
    "Event",
    "Feedback",
    "HandoverTally",
    "Inquiry",
    "OutboxMessage",
    "Outcome",
    "OutcomeCounts",
    "OutcomeDispute",
    "OutcomeMonthTally",
    "OutcomePending",
    "OutcomeTally",
    "RequestReceipt",
    "RoutingCounter",
    "SlackEventSeen",
    "UserProfile",
]

# Slack's OAuth installs: tables slack_sdk's stores use, declared beside the models (Alembic, the
# schema check). Imported last: it adds to Base.metadata.
import storage.installations  # noqa: E402, F401
