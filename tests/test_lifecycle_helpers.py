"""Shared set-up for the lifecycle tests: a two-team config, a fixed clock, and row counting.

Tuesday 24 Nov 2026 10:00 EST; Thanksgiving is Thursday 26 Nov.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.config.loading import config_from_dict
from bot.lifecycle import InquiryDraft, InquiryService
from bot.time.clock import FixedClock
from storage.models import Absence, Deadline, Event, Feedback, Inquiry, OutboxMessage

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tue 10:00 America/New_York

CONFIG = {
    "admins": ["UADMIN"],
    "teams": {
        "licensing": {
            "members": ["UALICE", "UBOB", "UCAROL"],
            "supervisors": ["USUE"],
            "specialists": ["USPEC1", "USPEC2", "USPEC3"],
            "channel": "CTEAM",
            "escalation_channel": "CESC",
        },
        "exports": {
            "members": ["UDAN", "UERIN"],
            "supervisors": ["USAM", "USAL"],
            "policy": "ita",
            "timezone": "America/Chicago",
        },
    },
}


def make_service(sessions, clock=None, config=None) -> InquiryService:
    return InquiryService(sessions, config or config_from_dict(CONFIG), clock or FixedClock(NOW))


def draft(**kwargs) -> InquiryDraft:
    values = {"kind": "email", "subject": "Export license status"}
    values.update(kwargs)
    return InquiryDraft(**values)


def counts(sessions) -> dict[str, int]:
    """Rows per table: proof that a failed operation wrote nothing."""
    with sessions() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (Inquiry, Deadline, Event, Feedback, Absence, OutboxMessage)
        }


def outbox(sessions) -> list[OutboxMessage]:
    with sessions() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def events(sessions, inquiry_id: int | None = None) -> list[Event]:
    with sessions() as s:
        query = select(Event).order_by(Event.id)
        if inquiry_id is not None:
            query = query.where(Event.inquiry_id == inquiry_id)
        return list(s.scalars(query))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def service(sessions, clock) -> InquiryService:
    return make_service(sessions, clock)
