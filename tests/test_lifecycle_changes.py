"""Acknowledge, update, resolve, close, reassign, escalate, snooze, feedback: each fully happens,
with its event, or raises and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from test_lifecycle_helpers import NOW, clock, counts, draft, events, outbox, service  # noqa: F401

from bot.errors import Forbidden, InputError
from storage.models import Deadline, Feedback


@pytest.fixture
def item(service):
    return service.log(actor="UALICE", draft=draft(assignee="UBOB"))


def test_acknowledge_records_the_first_response_in_business_hours(service, clock, item):
    clock.advance(timedelta(hours=2, minutes=30))

    view = service.acknowledge(actor="UBOB", inquiry_id=item.ref, note="called back")

    assert view.status == "acknowledged"
    assert view.first_response_at == clock.now() and view.first_response_by == "UBOB"
    assert view.first_response_business_hours == pytest.approx(2.5)
    assert view.last_update_at == clock.now() and view.next_action_at == clock.now()
    assert events(service.sessions, item.id)[-1].payload["on_time"] is True


def test_business_hours_to_first_response_skip_closed_days(service, clock):
    clock.set(datetime(2026, 11, 25, 21, 0, tzinfo=UTC))  # Wed 16:00 EST, day before Thanksgiving
    item = service.log(actor="UALICE", draft=draft())
    clock.set(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # Fri 10:00 EST
    assert service.acknowledge(actor="UALICE", inquiry_id=item.id).first_response_business_hours == 2.0


def test_acknowledging_twice_records_one_first_response(service, clock, item):
    first = service.acknowledge(actor="UBOB", inquiry_id=item.id)
    before = counts(service.sessions)
    clock.advance(timedelta(hours=1))

    with pytest.raises(InputError, match="INQ-1 was already acknowledged on Tue 24 Nov 2026, 10:00 AM EST"):
        service.acknowledge(actor="UBOB", inquiry_id=item.id)

    assert counts(service.sessions) == before
    assert service.get(actor="UBOB", inquiry_id=item.id).first_response_at == first.first_response_at


def test_acknowledge_with_expected_resolution_stores_a_promise_deadline(service, item):
    expect = NOW + timedelta(days=3)
    view = service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=expect)

    assert view.promised_resolution == expect
    promise = [d for d in view.deadlines if d.name == "promised_resolution"]
    assert [(d.due_at, d.set_by) for d in promise] == [(expect, "UBOB")]


def test_expectation_before_receipt_is_refused_and_nothing_changes(service, item):
    before = counts(service.sessions)
    with pytest.raises(InputError, match="expect .* is before the inquiry was received"):
        service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=NOW - timedelta(hours=1))
    assert counts(service.sessions) == before
    assert service.get(actor="UBOB", inquiry_id=item.id).status == "open"


def test_a_promise_already_past_is_refused_and_no_finished_week_changes(service, clock, item):
    """`expect yesterday` typed for `expect tomorrow`: a promised date already past would be missed
    the moment it was made, decided at an instant in a week that may be over. Refused on
    acknowledge and on update; nothing stored, no outcome decided."""
    clock.advance(timedelta(days=6))  # Mon 30 Nov: the promise "Fri 27 Nov" is in last week
    before = counts(service.sessions)
    last_friday = NOW + timedelta(days=3)
    with pytest.raises(InputError, match=r"expect Fri 27 Nov 2026, 10:00 AM EST is already past \(it is Mon"):
        service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=last_friday)
    assert counts(service.sessions) == before
    assert service.get(actor="UBOB", inquiry_id=item.id).status == "open"

    service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=clock.now() + timedelta(days=2))
    before = counts(service.sessions)
    with pytest.raises(InputError, match="expect .* is already past"):
        service.update(actor="UBOB", inquiry_id=item.id, note="waiting on legal", expect=last_friday)
    assert counts(service.sessions) == before
    view = service.update(actor="UBOB", inquiry_id=item.id, note="waiting on legal", expect=clock.now())
    assert view.promised_resolution == clock.now()  # now itself is not past


def test_update_needs_an_acknowledgement_first_then_moves_the_promise(service, clock, item):
    with pytest.raises(InputError, match="not been acknowledged yet"):
        service.update(actor="UBOB", inquiry_id=item.id, note="looking into it")
    service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=NOW + timedelta(days=2))
    clock.advance(timedelta(days=1))

    view = service.update(
        actor="UBOB", inquiry_id=item.id, note="waiting on legal", expect=NOW + timedelta(days=5)
    )

    assert view.promised_resolution == NOW + timedelta(days=5) and view.last_update_at == clock.now()
    assert [d.name for d in view.deadlines] == [
        "first_response",
        "promised_resolution",
        "promised_resolution",
    ]
    with pytest.raises(InputError, match="update note is empty"):
        service.update(actor="UBOB", inquiry_id=item.id, note=" ")


def test_resolve_once_then_says_so_and_changes_nothing(service, clock, item):
    clock.advance(timedelta(hours=1))
    view = service.resolve(actor="UBOB", inquiry_id=item.id, note="sent the answer")
    assert (view.status, view.resolved_at, view.next_action_at) == ("resolved", clock.now(), None)
    # Answering in full is also the first response.
    assert view.first_response_at == clock.now() and view.first_response_business_hours == 1.0
    before = counts(service.sessions)
    clock.advance(timedelta(hours=1))

    with pytest.raises(
        InputError, match="INQ-1 was already resolved on Tue 24 Nov 2026, 11:00 AM EST; nothing changed"
    ):
        service.resolve(actor="UBOB", inquiry_id=item.id)

    assert counts(service.sessions) == before
    assert service.get(actor="UBOB", inquiry_id=item.id).resolved_at == view.resolved_at


def test_close_as_duplicate_and_nothing_more_happens_to_it(service, item):
    with pytest.raises(InputError, match="close reason 'spam' is unknown"):
        service.close(actor="UBOB", inquiry_id=item.id, reason="spam")
    before = counts(service.sessions)
    for reason, note, original, refusal in (
        ("duplicate", None, None, "a duplicate names the item it duplicates"),
        ("duplicate", None, item.id, "INQ-1 cannot be a duplicate of itself"),
        ("duplicate", None, 99, "INQ-99"),
        ("withdrawn", "  ", None, "note is empty"),
    ):
        with pytest.raises(InputError, match=refusal):
            service.close(actor="UBOB", inquiry_id=item.id, reason=reason, note=note, original=original)
    assert counts(service.sessions) == before
    first = service.log(actor="UBOB", draft=draft(subject="the same question"))
    view = service.close(
        actor="UBOB", inquiry_id=item.id, reason="duplicate", note="same caller", original=first.ref
    )
    assert (view.status, view.close_reason, view.next_action_at) == ("closed", "duplicate", None)
    for act in (
        lambda: service.acknowledge(actor="UBOB", inquiry_id=item.id),
        lambda: service.resolve(actor="UBOB", inquiry_id=item.id),
        lambda: service.snooze(actor="UBOB", inquiry_id=item.id, duration=timedelta(hours=1)),
    ):
        with pytest.raises(InputError, match="INQ-1 is closed as duplicate"):
            act()
    assert events(service.sessions, item.id)[-1].payload == {
        "reason": "duplicate",
        "note": "same caller",
        "original": first.id,
    }


def test_reassign_dms_the_new_assignee_and_counts(service, item):
    view = service.reassign(actor="USUE", inquiry_id=item.id, to="<@UCAROL|carol>")
    assert (view.assignee, view.reassignments) == ("UCAROL", 1)
    assert [(m.channel, m.inquiry_id) for m in outbox(service.sessions)][-1] == ("UCAROL", item.id)
    assert events(service.sessions, item.id)[-1].payload == {
        "from": "UBOB",
        "to": "UCAROL",
        "requested": "UCAROL",
        "covered_for": None,
    }
    with pytest.raises(InputError, match="already assigned to <@UCAROL>"):
        service.reassign(actor="USUE", inquiry_id=item.id, to="UCAROL")


def test_taking_an_item_yourself_sends_no_dm(service, item):
    dms = len(outbox(service.sessions))
    service.reassign(actor="USUE", inquiry_id=item.id, to="USUE")
    assert len(outbox(service.sessions)) == dms


def test_escalate_marks_it_and_posts_in_the_escalation_channel(service, item):
    view = service.escalate(actor="UBOB", inquiry_id=item.id, reason="needs legal review")
    assert (view.escalated, view.escalation_level) == (True, 1)
    post = outbox(service.sessions)[-1]
    assert (post.channel, post.kind, post.inquiry_id) == ("CESC", "escalation", item.id)
    assert "needs legal review" in post.text


def test_snooze(service, item):
    view = service.snooze(actor="UBOB", inquiry_id=item.id, duration=timedelta(hours=1))
    assert view.snoozed_until == NOW + timedelta(hours=1)
    for bad in (timedelta(0), timedelta(hours=-1), timedelta(days=31)):
        with pytest.raises(InputError, match="snooze duration"):
            service.snooze(actor="UBOB", inquiry_id=item.id, duration=bad)


@pytest.mark.parametrize("score", [0, 6, True, 3.5, "5"])
def test_feedback_score_must_be_1_to_5(service, item, score):
    before = counts(service.sessions)
    with pytest.raises(InputError, match="must be a whole number from 1 to 5"):
        service.feedback(actor="UBOB", inquiry_id=item.id, score=score)
    assert counts(service.sessions) == before


def test_feedback_is_stored_even_after_resolution(service, item):
    service.resolve(actor="UBOB", inquiry_id=item.id)
    view = service.feedback(actor="USUE", inquiry_id=item.id, score=5, comment="very helpful")
    assert view.next_action_at is None
    with service.sessions() as s:
        [row] = s.scalars(select(Feedback)).all()
    assert (row.score, row.comment, row.given_by) == (5, "very helpful", "USUE")


def test_nobody_enters_a_rating_of_their_own_service(service, item):
    """The holder may act on the item, but a rating counts for them: it must come from someone else."""
    service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=NOW + timedelta(days=2))
    with pytest.raises(
        Forbidden, match=r"you may not rate INQ-1: a rating counts for you.*/inquiry link INQ-1"
    ):
        service.feedback(actor="UBOB", inquiry_id=item.id, score=5, comment="I was great")
    with service.sessions() as s:
        assert s.scalars(select(Feedback)).all() == []
    assert [e.type for e in events(service.sessions, item.id)] == ["logged", "acknowledged"]


def test_every_change_is_an_event(service, clock, item):
    service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=NOW + timedelta(days=2))
    service.update(actor="UBOB", inquiry_id=item.id, note="halfway")
    service.snooze(actor="UBOB", inquiry_id=item.id, duration=timedelta(hours=1))
    service.escalate(actor="USUE", inquiry_id=item.id)
    service.reassign(actor="USUE", inquiry_id=item.id, to="UCAROL")
    service.resolve(actor="UCAROL", inquiry_id=item.id)
    service.feedback(actor="UCAROL", inquiry_id=item.id, score=4)
    types = [e.type for e in events(service.sessions, item.id)]
    assert types == [
        "logged",
        "acknowledged",
        "updated",
        "snoozed",
        "escalated",
        "reassigned",
        "resolved",
        "feedback",
    ]


@pytest.mark.parametrize(
    "actor, allowed",
    [
        ("UBOB", True),  # assignee
        ("UALICE", True),  # logger
        ("USUE", True),  # the team's supervisor
        ("UADMIN", True),  # admin
        ("UCAROL", False),  # a teammate
        ("USAM", False),  # another team's supervisor
    ],
)
def test_who_may_act(service, item, actor, allowed):
    if allowed:
        assert service.escalate(actor=actor, inquiry_id=item.id).escalated
        return
    before = counts(service.sessions)
    with pytest.raises(Forbidden, match="you may not escalate INQ-1"):
        service.escalate(actor=actor, inquiry_id=item.id)
    assert counts(service.sessions) == before


def test_the_assignees_active_alternate_may_act(service, clock, item):
    service.away(actor="UBOB", start=NOW + timedelta(days=1), end=NOW + timedelta(days=3), alternate="UCAROL")
    with pytest.raises(Forbidden):
        service.acknowledge(actor="UCAROL", inquiry_id=item.id)
    # Once the absence is in force the alternate may act (cover moves live items to them as well).
    clock.advance(timedelta(days=1, hours=1))
    assert service.acknowledge(actor="UCAROL", inquiry_id=item.id).status == "acknowledged"


def test_overdue_at_view_time(service, clock, item):
    assert service.get(actor="UBOB", inquiry_id=item.id).overdue is False
    clock.set(item.first_response_due + timedelta(minutes=1))
    assert service.get(actor="UBOB", inquiry_id=item.id).overdue is True
    view = service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=clock.now() + timedelta(hours=1))
    assert view.overdue is False
    clock.advance(timedelta(hours=2))
    assert service.get(actor="UBOB", inquiry_id=item.id).overdue is True  # past the promised date


def test_explain_gives_the_rule_and_calendar_facts(service, item):
    lines = service.explain(inquiry_id=item.ref)
    text = "\n".join(lines)
    assert "INQ-1" in lines[0] and "First response due Wed 25 Nov 2026 17:00 EST" in text
    assert item.rule in text and "America/New_York" in text
    with service.sessions() as s:
        assert s.scalars(select(Deadline)).one().rule == item.rule
