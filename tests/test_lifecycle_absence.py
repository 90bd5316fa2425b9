"""Away / back / cover: during an absence live items go to the alternate, and the record stays."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from test_lifecycle_helpers import NOW, clock, counts, draft, events, outbox, service  # noqa: F401

from bot.errors import Forbidden, InputError

DAY = timedelta(days=1)


def test_away_then_back(service, clock):
    view = service.away(actor="UBOB", start=NOW - timedelta(hours=1), end=NOW + 2 * DAY, alternate="@UCAROL")
    assert (view.user_id, view.team, view.alternate, view.ends_at) == (
        "UBOB",
        "licensing",
        "UCAROL",
        NOW + 2 * DAY,
    )
    assert service.active_absence("UBOB") == view
    assert service.active_absence("UBOB", at=NOW + 3 * DAY) is None
    clock.advance(timedelta(hours=3))

    ended = service.back(actor="UBOB")

    assert ended.ends_at == clock.now() and ended.ended_early and ended.planned_end == NOW + 2 * DAY
    assert service.active_absence("UBOB") is None
    assert service.back(actor="UBOB") is None
    assert [e.type for e in events(service.sessions)] == ["away", "back"]


def test_going_away_now_hands_live_items_to_the_alternate(service):
    live = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    done = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    service.resolve(actor="UBOB", inquiry_id=done.id)

    service.away(actor="UBOB", start=NOW, end=NOW + 2 * DAY, alternate="UCAROL")

    assert service.get(actor="USUE", inquiry_id=live.id).assignee == "UCAROL"
    assert service.get(actor="USUE", inquiry_id=done.id).assignee == "UBOB"
    covered = events(service.sessions, live.id)[-1]
    assert (covered.type, covered.payload["from"], covered.payload["to"]) == ("covered", "UBOB", "UCAROL")
    assert outbox(service.sessions)[-1].channel == "UCAROL"


def test_future_absence_is_covered_when_it_starts_once(service, clock):
    item = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    service.away(actor="UBOB", start=NOW + DAY, end=NOW + 3 * DAY, alternate="UCAROL")
    assert service.cover_absences() == 0
    assert service.get(actor="UBOB", inquiry_id=item.id).assignee == "UBOB"

    clock.advance(DAY)
    assert service.cover_absences() == 1
    assert service.cover_absences() == 0  # idempotent: nothing left to move

    view = service.get(actor="UCAROL", inquiry_id=item.id)
    assert (view.assignee, view.next_action_at) == ("UCAROL", clock.now())


def test_alternates_are_followed_but_never_in_a_circle(service):
    service.away(actor="UBOB", start=NOW, end=NOW + DAY, alternate="UCAROL")
    service.away(actor="UCAROL", start=NOW, end=NOW + DAY, alternate="UALICE")
    assert service.log(actor="UALICE", draft=draft(assignee="UBOB")).assignee == "UALICE"
    service.away(actor="UALICE", start=NOW, end=NOW + DAY, alternate="UBOB")
    # Everybody is away: the chain stops before returning to where it began.
    assert service.log(actor="UDAN", draft=draft(assignee="UBOB")).assignee == "UALICE"


def test_a_new_absence_supersedes_an_overlapping_one(service, clock):
    service.away(actor="UBOB", start=NOW, end=NOW + 5 * DAY, alternate="UCAROL")
    clock.advance(DAY)
    service.away(actor="UBOB", start=clock.now(), end=NOW + 7 * DAY, alternate="UALICE")

    assert service.active_absence("UBOB").alternate == "UALICE"
    assert service.active_absence("UBOB", at=NOW + timedelta(hours=1)).alternate == "UCAROL"  # history kept
    assert events(service.sessions)[-1].payload["superseded"] == [1]


@pytest.mark.parametrize(
    "start, end, alternate, message",
    [
        (NOW + DAY, NOW, "UCAROL", "is not after its start"),
        (NOW, NOW + DAY, "UBOB", "must be someone else"),
        (datetime(2026, 12, 1, 9), NOW + DAY, "UCAROL", "no time zone"),
        (NOW, NOW + DAY, "not a user!", "is not a Slack user"),
        # Started in a finished week (or yesterday): it would add an absence to a finished report.
        (NOW - 9 * DAY, NOW + DAY, "UCAROL", "is before today; an absence is recorded from today on"),
        (NOW - timedelta(hours=10, minutes=1), NOW + DAY, "UCAROL", "is before today"),
    ],
)
def test_bad_absences_are_refused_and_nothing_is_stored(service, start, end, alternate, message):
    before = counts(service.sessions)
    with pytest.raises(InputError, match=message):
        service.away(actor="UBOB", start=start, end=end, alternate=alternate)
    assert counts(service.sessions) == before


def test_an_absence_from_earlier_today_is_kept(service):
    """Today's midnight (New York) is the earliest start: no finished period contains it."""
    view = service.away(actor="UBOB", start=NOW - timedelta(hours=10), end=NOW + DAY, alternate="UCAROL")
    assert view.starts_at == NOW - timedelta(hours=10)


def test_alternate_loses_the_right_when_the_absence_ends(service, clock):
    item = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    service.away(actor="UBOB", start=NOW + DAY, end=NOW + 2 * DAY, alternate="UCAROL")
    clock.advance(3 * DAY)
    with pytest.raises(Forbidden):
        service.snooze(actor="UCAROL", inquiry_id=item.id, duration=timedelta(hours=1))


def _first_response_holders(service, inquiry_id: int) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from storage.models import Outcome

    with service.sessions() as s:
        rows = s.execute(
            select(Outcome.holder, Outcome.outcome)
            .where(Outcome.inquiry_id == inquiry_id, Outcome.kind == "first_response")
            .order_by(Outcome.id)
        )
        return [tuple(r) for r in rows]


def test_a_hand_over_at_the_deadline_instant_leaves_the_miss_with_who_held_it_until_then(service, clock):
    """An answer at the deadline instant is on time; a hand-over at that instant came after it. Cover
    that started exactly at 17:00 (or a reassignment at 17:00:00) gave the miss to the alternate, who
    never held the item before its deadline."""
    covered = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    handed = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    answered = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    due = covered.first_response_due
    assert handed.first_response_due == due == answered.first_response_due
    service.away(actor="UBOB", start=due, end=due + 2 * DAY, alternate="UCAROL")

    clock.set(due)  # the deadline instant itself
    service.acknowledge(actor="UBOB", inquiry_id=answered.id)
    service.reassign(actor="USUE", inquiry_id=handed.id, to="UDAN")
    assert service.cover_absences() == 2  # bob's live items go to carol: `covered`, `answered`

    assert _first_response_holders(service, answered.id) == [("UBOB", "on_time")]
    assert _first_response_holders(service, handed.id) == [("UBOB", "missed")]
    assert _first_response_holders(service, covered.id) == [("UBOB", "missed")]
    assert service.get(actor="USUE", inquiry_id=covered.id).assignee == "UCAROL"
