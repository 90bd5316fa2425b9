"""bot.scheduling.reminders.plan as a pure function, and who receives each step (bot.scheduling.reminder_pass.recipients)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.scheduling.reminder_pass import recipients
from bot.scheduling.reminders import Step, plan, timeline
from tests.scheduler.conftest import BOB, CAROL, ESCALATIONS, SUE, TEAM_CHANNEL, et, team_config


@dataclass(frozen=True)
class State:
    status: str = "open"
    complexity: str = "standard"
    received_at: datetime = et(2026, 3, 9, 10, 0)
    logged_at: datetime = et(2026, 3, 9, 10, 0)
    first_response_due: datetime = et(2026, 3, 10, 17, 0)
    first_response_target: datetime | None = None
    first_response_at: datetime | None = None
    promised_resolution: datetime | None = None
    last_update_at: datetime | None = None
    snoozed_until: datetime | None = None
    assignee: str = BOB


TEAM = team_config().team("help")
CAL, SETTINGS = TEAM.calendar, TEAM.reminders


def names(p) -> list[str]:
    return [s.name for s in p.due]


def test_the_ladder_of_a_standard_item():
    assert [(s.name, s.at) for s in timeline(State(), CAL, SETTINGS)] == [
        ("nudge_half", et(2026, 3, 10, 9, 30)),
        ("nudge_before", et(2026, 3, 10, 16, 0)),
        ("overdue", et(2026, 3, 10, 17, 0)),
        ("escalate", et(2026, 3, 11, 17, 0)),
    ]


def test_complex_items_reach_level_2_at_the_deadline():
    steps = {s.name: s.at for s in timeline(State(complexity="complex"), CAL, SETTINGS)}
    assert steps["escalate"] == steps["overdue"] == et(2026, 3, 10, 17, 0)


def test_a_target_that_is_also_the_half_way_point_is_one_nudge():
    state = State(first_response_target=et(2026, 3, 10, 9, 30))
    assert [s.name for s in timeline(state, CAL, SETTINGS) if s.family == "first_response"] == [
        "nudge_target",
        "nudge_before",
    ]


def test_only_the_latest_nudge_of_a_family_goes_and_none_after_the_deadline():
    assert names(plan(State(), CAL, SETTINGS, et(2026, 3, 10, 16, 30))) == ["nudge_before"]
    assert names(plan(State(), CAL, SETTINGS, et(2026, 3, 11, 9, 0))) == ["overdue"]
    late = plan(State(), CAL, SETTINGS, et(2026, 3, 12, 9, 0))
    assert names(late) == ["overdue", "escalate"] and late.next_at > et(2026, 3, 12, 9, 0)


def test_a_snooze_holds_nudges_not_escalations():
    snoozed = State(snoozed_until=et(2026, 3, 10, 18, 0))
    during = plan(snoozed, CAL, SETTINGS, et(2026, 3, 10, 16, 30))
    assert names(during) == [] and during.next_at == et(2026, 3, 10, 17, 0)  # the deadline still counts
    assert names(plan(snoozed, CAL, SETTINGS, et(2026, 3, 10, 17, 30))) == ["overdue"]


def test_status_update_steps_follow_the_promise_and_rearm_when_it_changes():
    acked = State(
        status="acknowledged",
        first_response_at=et(2026, 3, 9, 11, 0),
        promised_resolution=et(2026, 3, 13, 17, 0),
    )
    assert names(plan(acked, CAL, SETTINGS, et(2026, 3, 13, 9, 0))) == ["update_soon"]
    (past,) = plan(acked, CAL, SETTINGS, et(2026, 3, 16, 9, 0)).due
    assert (past.name, past.anchor) == ("update_past", et(2026, 3, 13, 17, 0))
    moved = replace(acked, promised_resolution=et(2026, 3, 20, 17, 0), last_update_at=et(2026, 3, 16, 9, 5))
    assert names(plan(moved, CAL, SETTINGS, et(2026, 3, 16, 9, 10))) == []


def test_stale_nudges_repeat_while_nothing_moves():
    acked = State(status="acknowledged", first_response_at=et(2026, 3, 9, 10, 0))
    first = plan(acked, CAL, SETTINGS, et(2026, 3, 16, 10, 0))
    assert [(s.name, s.at) for s in first.due] == [("stale", et(2026, 3, 16, 10, 0))]
    assert first.next_at == et(2026, 3, 23, 10, 0)
    assert plan(acked, CAL, SETTINGS, et(2026, 3, 23, 12, 0)).due[0].anchor == et(2026, 3, 23, 10, 0)


def test_resolved_and_closed_items_wait_for_nothing():
    for status in ("resolved", "closed"):
        result = plan(State(status=status), CAL, SETTINGS, et(2026, 3, 12, 9, 0))
        assert (result.due, result.next_at) == ((), None)


def _step(name: str, level: int = 0) -> Step:
    return Step(name, et(2026, 3, 10, 17), et(2026, 3, 10, 17), "escalation", level)


def test_overdue_goes_to_the_assignee_and_supervisors_each_replaced_while_away():
    config = team_config()
    assert recipients(config, config.team("help"), State(), _step("overdue", 1), {}) == [
        ("assignee", BOB),
        (f"sup-{SUE}", SUE),
    ]
    away = {BOB: CAROL, SUE: CAROL}  # both away, one alternate: told once
    assert recipients(config, config.team("help"), State(), _step("overdue", 1), away) == [
        ("assignee", CAROL)
    ]


def test_level_2_falls_back_from_the_escalation_channel_to_the_team_channel_to_people():
    for overrides, expected in (
        ({}, [("channel", ESCALATIONS)]),
        ({"escalation_channel": ""}, [("channel", TEAM_CHANNEL)]),
        ({"escalation_channel": "", "channel": ""}, [(f"sup-{SUE}", SUE)]),
        ({"escalation_channel": "", "channel": "", "supervisors": []}, [("sup-UADMIN", "UADMIN")]),
    ):
        config = team_config(**overrides)
        assert recipients(config, config.team("help"), State(), _step("escalate", 2), {}) == expected


def test_nudge_offsets_count_business_time_backwards_across_a_weekend():
    monday_morning = State(
        received_at=et(2026, 3, 6, 16, 0),
        logged_at=et(2026, 3, 6, 16, 0),
        first_response_due=et(2026, 3, 9, 9, 30),
    )
    steps = {s.name: s.at for s in timeline(monday_morning, CAL, SETTINGS)}
    assert steps["nudge_before"] == et(2026, 3, 6, 16, 30)  # 1 business hour before Mon 09:30 is Fri 16:30
    # 50% (Fri 16:45) would come after it: a 1.5-hour window gets only the 1-hour nudge.
    assert "nudge_half" not in steps
    assert steps["escalate"] - steps["overdue"] == timedelta(days=1)
