"""A person's hand-overs are found through json_text (the expression their partial indexes are built
on): the same values as `payload["key"].as_string()`, and the same counts as filtering every
hand-over of the period, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.expressions import json_text
from storage.models import Event
from storage.queries.events import append_event
from storage.queries.report_events import reassignment_counts
from storage.queries.reports import Scope, Window

START = datetime(2026, 10, 1, tzinfo=UTC)
WINDOW = Window(START, START + timedelta(days=30), START + timedelta(days=60))
PAYLOADS = [
    ("reassigned", {"from": "UA", "to": "UB"}),
    ("covered", {"from": "UB", "to": "UA"}),
    ("reassigned", {"from": "UA", "to": "UA"}),  # both ways: one event
    ("reassigned", {"to": "UA"}),  # no giver
    ("reassigned", {"from": None, "to": "UC"}),
    ("escalated", {"from": "UA", "to": "UB"}),  # not a hand-over
]


def _seed(sessions) -> None:
    """As the app appends events (append_event: everyone's hand-overs are tallied as they are)."""
    with sessions.begin() as s:
        for i, (kind, payload) in enumerate(PAYLOADS):
            append_event(session=s, type=kind, actor="UZ", at=START + timedelta(days=i), payload=payload)
        # outside the period
        append_event(
            session=s,
            type="reassigned",
            actor="UZ",
            at=START - timedelta(days=1),
            payload={"from": "UA", "to": "UB"},
        )


def test_json_text_reads_as_as_string(sessions):
    _seed(sessions)
    with sessions() as s:
        for key in ("from", "to"):
            plain = s.execute(select(Event.id, Event.payload[key].as_string()).order_by(Event.id)).all()
            written = s.execute(select(Event.id, json_text(Event.payload, key)).order_by(Event.id)).all()
            assert written == plain


def test_a_persons_hand_overs_match_everyones_filtered(sessions):
    _seed(sessions)
    with sessions() as s:
        everyone, total = reassignment_counts(session=s, scope=Scope(), window=WINDOW)
        assert total == 5
        for person in ("UA", "UB", "UC", "UD"):
            per, n = reassignment_counts(session=s, scope=Scope(users=(person,)), window=WINDOW)
            assert per.get(person, 0) == everyone.get(person, 0)
        per, n = reassignment_counts(session=s, scope=Scope(users=("UA",)), window=WINDOW)
        assert (per, n) == ({"UA": 4, "UB": 2}, 4)
