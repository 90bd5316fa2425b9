"""Replies that say what happened (docs/messages.md): where an escalation went and what its level
means, the promised date where the first response is already given, lists without a stutter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.slack.helpers import know_zone


@pytest.fixture
def alice(slack, web):
    know_zone(slack, web, "U1")
    return slack


def test_escalate_names_the_channel_and_what_each_level_means(alice):
    alice.command("log email One")
    first = alice.command("escalate 1 needs a policy call")
    assert "Escalated *INQ-1* (level 1: supervisors are on notice); posted in <#CESC>." in first.text
    second = alice.command("escalate 1 still stuck")
    assert "(level 2: raised to the team's escalation channel); posted in <#CESC>." in second.text
    third = alice.command("escalate 1 really stuck")
    assert "(level 3: escalated again 1 time after reaching the escalation channel)" in third.text


def test_snooze_on_an_acknowledged_item_names_the_promised_date(alice):
    alice.command("log email One")
    alice.command("ack 1 expect Friday 5pm")
    snooze = alice.command("snooze 1 2h")
    assert "The promised date does not move: Fri 6 Mar 2026, 5:00 PM EST." in snooze.text
    assert "The deadline does not move" not in snooze.text


def test_an_overdue_list_shows_the_promise_that_passed_and_does_not_stutter(alice, clock):
    alice.command("log email One")
    alice.command("log email Two")
    alice.command("ack 1 expect tomorrow 5pm")
    clock.set(clock.now() + timedelta(days=6))  # the promise and the second item's deadline have passed
    listed = alice.command("list overdue")
    assert listed.text == "Overdue inquiries: 2."
    items = [b["text"]["text"] for b in listed.json()["blocks"] if b.get("block_id", "").endswith("_item")]
    (acked,) = [t for t in items if "INQ-1" in t]
    assert "promised Thu 5 Mar 2026, 5:00 PM EST (passed)" in acked
    (open_one,) = [t for t in items if "INQ-2" in t]
    assert "promised" not in open_one


def test_a_card_does_not_show_a_snooze_that_has_ended(alice, clock):
    alice.command("log email One")
    assert "reminders snoozed until" in str(alice.command("snooze 1 1h").json())
    clock.set(clock.now() + timedelta(hours=2))
    shown = str(alice.command("show 1").json())
    assert "One" in shown and "First response due" in shown and "snoozed" not in shown


def test_a_list_shows_the_promise_still_ahead_of_an_answered_item(alice):
    alice.command("log email One")
    alice.command("ack 1 expect Friday 5pm")
    listed = alice.command("list")
    items = [b["text"]["text"] for b in listed.json()["blocks"] if b.get("block_id", "").endswith("_item")]
    (acked,) = items
    assert "promised Fri 6 Mar 2026, 5:00 PM EST;" in acked
    assert "(passed)" not in acked
