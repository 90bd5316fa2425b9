"""Logging an inquiry: validation, deadlines with their reasons, routing by complexity, notices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from test_lifecycle_helpers import NOW, clock, counts, draft, events, outbox, service  # noqa: F401

from bot.errors import InputError, NotFound
from storage.models import Deadline, Inquiry

WED_CLOSE_EST = datetime(2026, 11, 25, 22, 0, tzinfo=UTC)  # Wed 17:00 America/New_York


def test_standard_item_stays_with_the_logger_and_stores_its_deadline_and_why(service, sessions):
    view = service.log(
        actor="UALICE", draft=draft(customer_name="Jane Doe", customer_contact="jane@example.com")
    )

    assert (view.id, view.ref, view.team, view.assignee, view.status) == (
        1,
        "INQ-1",
        "licensing",
        "UALICE",
        "open",
    )
    assert view.received_at == NOW and view.logged_at == NOW and view.logged_by == "UALICE"
    assert view.first_response_due == WED_CLOSE_EST
    assert view.policy == "department" and view.rule
    assert view.next_action_at == NOW and not view.overdue
    assert view.explanation and "INQ-1" in view.explanation[0]
    with sessions() as s:
        deadline = s.scalars(select(Deadline)).one()
    assert (deadline.name, deadline.due_at, deadline.rule) == ("first_response", WED_CLOSE_EST, view.rule)
    assert deadline.facts, "the calendar facts behind the deadline are stored with it"
    [logged] = events(sessions)
    assert (logged.type, logged.actor, logged.inquiry_id, logged.payload["assignee"]) == (
        "logged",
        "UALICE",
        1,
        "UALICE",
    )
    assert outbox(sessions) == []  # nobody to tell: the logger holds it


def test_named_assignee_gets_a_dm_that_renders_the_live_card(service, sessions):
    view = service.log(actor="UALICE", draft=draft(assignee="UBOB"))

    assert view.assignee == "UBOB"
    [dm] = outbox(sessions)
    assert (dm.channel, dm.inquiry_id, dm.blocks, dm.kind, dm.status) == (
        "UBOB",
        view.id,
        None,
        "assigned",
        "pending",
    )
    assert "INQ-1" in dm.text


def test_simple_item_stays_with_the_logger_even_if_someone_is_named(service):
    assert service.log(actor="UALICE", draft=draft(complexity="simple", assignee="UBOB")).assignee == "UALICE"


def test_complex_items_go_round_robin_to_specialists_and_are_announced(service, sessions):
    assignees = [service.log(actor="UALICE", draft=draft(complexity="complex")).assignee for _ in range(4)]

    assert assignees == ["USPEC1", "USPEC2", "USPEC3", "USPEC1"]
    notices = [m for m in outbox(sessions) if m.kind == "complex"]
    assert [m.channel for m in notices] == ["CESC"] * 4
    assert all(m.inquiry_id is not None for m in notices)


def test_round_robin_gives_the_next_to_whoever_was_given_fewest_ties_by_config_order(service, clock):
    service.away(actor="USPEC1", start=NOW, end=NOW + timedelta(hours=2), alternate="USUE")
    while_away = [service.log(actor="UALICE", draft=draft(complexity="complex")).assignee for _ in range(4)]
    clock.advance(timedelta(hours=3))
    back = [service.log(actor="UALICE", draft=draft(complexity="complex")).assignee for _ in range(4)]

    assert while_away == ["USPEC2", "USPEC3", "USPEC2", "USPEC3"]
    # Given 0, 2, 2 so far: USPEC1 catches up, then the tie goes by config order.
    assert back == ["USPEC1", "USPEC1", "USPEC1", "USPEC2"]


def test_reassigning_a_complex_item_does_not_change_whose_turn_it_is(service):
    first = service.log(actor="UALICE", draft=draft(complexity="complex"))
    service.reassign(actor="USUE", inquiry_id=first.id, to="USPEC3")
    assert [service.log(actor="UALICE", draft=draft(complexity="complex")).assignee for _ in range(2)] == [
        "USPEC2",
        "USPEC3",
    ]


def test_complex_without_specialists_goes_to_the_first_supervisor(service):
    view = service.log(actor="UDAN", draft=draft(complexity="complex"))
    assert (view.team, view.assignee) == ("exports", "USAM")


def test_round_robin_skips_a_specialist_who_is_away(service, clock):
    service.away(
        actor="USPEC1", start=NOW - timedelta(hours=1), end=NOW + timedelta(days=3), alternate="USPEC2"
    )
    assert [service.log(actor="UALICE", draft=draft(complexity="complex")).assignee for _ in range(2)] == [
        "USPEC2",
        "USPEC3",
    ]


def test_item_for_someone_away_goes_to_their_alternate(service, sessions):
    service.away(
        actor="UBOB", start=NOW - timedelta(hours=1), end=NOW + timedelta(days=2), alternate="UCAROL"
    )

    view = service.log(actor="UALICE", draft=draft(assignee="UBOB"))

    assert view.assignee == "UCAROL"
    assert events(sessions, view.id)[0].payload["covered_for"] == "UBOB"


def test_team_policy_and_zone_are_used(service):
    # exports: `ita` preset (16 business hours) in Chicago; Tue 09:00 CST -> Wed 17:00 CST.
    view = service.log(actor="UDAN", draft=draft())
    assert view.policy == "ita"
    assert view.first_response_due == datetime(2026, 11, 25, 23, 0, tzinfo=UTC)


def test_established_deadline_overrides_the_rule_and_keeps_its_reason(service):
    due = NOW + timedelta(days=10)
    view = service.log(actor="UALICE", draft=draft(due=due, due_reason="program office deadline"))
    assert view.first_response_due == due
    assert view.established_reason == "program office deadline"


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"received_at": NOW + timedelta(minutes=5)}, "in the future"),
        ({"received_at": datetime(2026, 11, 24, 9, 0)}, "no time zone"),
        ({"due": NOW - timedelta(days=1)}, "before the inquiry was received"),
        ({"kind": "telegram"}, "kind 'telegram' is unknown"),
        ({"complexity": "hard"}, "complexity 'hard' is unknown"),
        ({"subject": "   "}, "subject is empty"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(service, sessions, bad, message):
    before = counts(sessions)
    with pytest.raises(InputError, match=message):
        service.log(actor="UALICE", draft=draft(**bad))
    assert counts(sessions) == before


def test_receipt_within_a_minute_of_clock_skew_is_accepted(service):
    view = service.log(actor="UALICE", draft=draft(received_at=NOW + timedelta(seconds=30)))
    assert view.received_at == NOW + timedelta(seconds=30)


def test_receipt_in_the_past_starts_the_clock_then(service):
    view = service.log(actor="UALICE", draft=draft(received_at=NOW - timedelta(days=1)))  # Mon 10:00
    assert view.first_response_due == datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    assert view.overdue is False


def test_ids_are_sequential_and_accepted_in_every_written_form(service):
    first = service.log(actor="UALICE", draft=draft())
    second = service.log(actor="UALICE", draft=draft())
    assert (first.ref, second.ref) == ("INQ-1", "INQ-2")
    for form in (2, "2", "INQ-2", "inq-2", " INQ-2 "):
        assert service.get(actor="UALICE", inquiry_id=form).id == 2


def test_unknown_and_malformed_ids(service):
    with pytest.raises(NotFound, match="no inquiry INQ-99"):
        service.get(actor="UALICE", inquiry_id="INQ-99")
    with pytest.raises(NotFound, match="no inquiry INQ-99"):
        service.acknowledge(actor="UALICE", inquiry_id=99)
    for bad in ("INQ-x", "", "12b", 0, -3):
        with pytest.raises(InputError, match="not an inquiry id"):
            service.get(actor="UALICE", inquiry_id=bad)


def test_stored_row_matches_the_view(service, sessions):
    view = service.log(
        actor="UALICE",
        draft=draft(needs_research=True, source_link="https://x.slack.com/archives/C1/p1700000000000100"),
    )
    with sessions() as s:
        row = s.get(Inquiry, view.id)
    assert (row.needs_research, row.source_link, row.first_response_due) == (
        True,
        "https://x.slack.com/archives/C1/p1700000000000100",
        view.first_response_due,
    )
