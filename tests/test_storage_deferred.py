"""Writes deferred to commit (storage/queries/deferred.py): still all-or-nothing with the rest of
the transaction, in the order given, and gone if the transaction rolls back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from storage.models import Event, OutboxMessage
from storage.queries.events import append_event
from storage.queries.outbox import insert_pending, queue_pending
from storage.session import transaction

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def _message(key: str) -> dict:
    return {
        "dedupe_key": key,
        "team": "t",
        "kind": "dm",
        "channel": "U1",
        "text": key,
        "blocks": None,
        "thread_ts": None,
        "inquiry_id": None,
        "created_at": NOW,
        "next_attempt_at": NOW,
    }


def _events(sessions) -> list[tuple[str, str]]:
    with sessions() as s:
        return [(e.type, e.actor) for e in s.scalars(select(Event).order_by(Event.id))]


def _keys(sessions) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(OutboxMessage.dedupe_key).order_by(OutboxMessage.id)))


def test_deferred_writes_land_at_commit_in_the_order_given(sessions):
    with transaction(sessions) as s:
        for n in range(3):
            append_event(session=s, type=f"step{n}", actor="U1", at=NOW)
            queue_pending(s, _message(f"k{n}"))
        assert _events(sessions) == []  # not sent yet (and never visible before commit)

    assert _events(sessions) == [("step0", "U1"), ("step1", "U1"), ("step2", "U1")]
    assert _keys(sessions) == ["k0", "k1", "k2"]


def test_a_transaction_that_fails_writes_none_of_its_deferred_rows(sessions):
    with pytest.raises(RuntimeError):
        with transaction(sessions) as s:
            append_event(session=s, type="lost", actor="U1", at=NOW)
            raise RuntimeError("the operation failed")

    with transaction(sessions) as s:  # the same kind of session afterwards: nothing left over
        append_event(session=s, type="kept", actor="U1", at=NOW)
    assert _events(sessions) == [("kept", "U1")]


def test_a_deferred_write_that_fails_rolls_back_the_whole_transaction(sessions):
    with pytest.raises(DBAPIError):
        with transaction(sessions) as s:
            insert_pending(s, _message("written at once"))
            append_event(session=s, type="fine", actor="U1", at=NOW)
            append_event(session=s, type="broken", actor="U1", at=NOW, inquiry_id=987654)  # no such inquiry

    assert _events(sessions) == []
    assert _keys(sessions) == []


def test_a_duplicate_deferred_notice_is_skipped_and_the_rest_commits(sessions):
    with transaction(sessions) as s:
        insert_pending(s, _message("same"))
    with transaction(sessions) as s:
        queue_pending(s, _message("same"))
        append_event(session=s, type="after", actor="U1", at=NOW)

    assert _keys(sessions) == ["same"]
    assert _events(sessions) == [("after", "U1")]
