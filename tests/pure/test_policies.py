"""Policies: the presets of docs/business-time.md, custom policies from config, the established-deadline
override, and the plan with its plain-English explanation and stored facts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import ConfigError, InputError
from bot.time.calendar import BusinessCalendar
from bot.time.policies import KINDS, PRESETS, DeadlinePlan, Policy, policy_from_config, preset

NY = ZoneInfo("America/New_York")
CAL = BusinessCalendar()
WED = datetime(2026, 11, 25, 14, tzinfo=NY)  # the day before Thanksgiving


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


def plan(policy: str | Policy, kind="email", research=False, received=WED, cal=CAL, **kw) -> DeadlinePlan:
    chosen = preset(policy) if isinstance(policy, str) else policy
    return chosen.plan(cal, kind=kind, needs_research=research, received_at=received, **kw)


# ---- presets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["email", "phone", "slack", "in-person", "other"])
def test_department_one_and_two_business_days(kind):
    quick, research = plan("department", kind), plan("department", kind, research=True)
    assert quick.first_response_due == ny(2026, 11, 27, 17)  # Thanksgiving skipped
    assert research.first_response_due == ny(2026, 11, 30, 17)
    assert quick.target_due is None and research.target_due is None


@pytest.mark.parametrize("research", [False, True])
def test_department_written_request_is_one_week_rolled_forward(research):
    letter = plan("department", "written", research, received=ny(2026, 11, 19, 10))
    assert letter.first_response_due == ny(2026, 11, 27, 17)  # Thu 26 Nov is Thanksgiving
    assert (
        letter.rule
        == f"department: written request{' needing research' if research else ''} within 7 calendar days"
    )
    assert "Thu 26 Nov: Thanksgiving Day" in letter.explanation


def test_ita_sixteen_hours_and_research_with_target():
    ordinary = plan("ita", "phone")
    assert ordinary.first_response_due == ny(2026, 11, 30, 14)  # Wed 3h + Fri 8h + Mon 5h
    assert ordinary.target_due is None
    research = plan("ita", "phone", research=True)
    assert research.target_due == ny(2026, 12, 1, 14)  # 24 business hours: first nudge
    assert research.first_response_due == ny(2026, 12, 4, 14)  # 48 business hours
    assert (
        research.rule
        == "ita: phone call needing research within 48 business hours (target 24 business hours)"
    )
    assert "Target (first nudge): 24 business hours -> Tue 1 Dec 2026 14:00 EST." in research.explanation


def test_rule_names():
    assert plan("department").rule == "department: email within 1 business day"
    assert (
        plan("department", research=True).rule == "department: email needing research within 2 business days"
    )
    assert plan("ita", "slack").rule == "ita: Slack message within 16 business hours"


def test_presets_listing_and_unknown_preset():
    assert set(PRESETS) == {"department", "ita"}
    with pytest.raises(ConfigError) as caught:
        preset("dept")
    assert "'dept'" in str(caught.value) and "department, ita" in str(caught.value)


# ---- explanation -----------------------------------------------------------------------------


def test_explanation_names_rule_clock_start_and_each_closed_day():
    p = plan("department")
    assert p.explanation[0] == "Rule: department: email within 1 business day."
    assert p.explanation[1] == (
        "Received Wed 25 Nov 2026 14:00 EST, during business hours: the clock starts at receipt."
    )
    assert "Thu 26 Nov: Thanksgiving Day" in p.explanation
    assert (
        "1 business day = close of business on the 1st business day after Wed 25 Nov: "
        "Fri 27 Nov 2026 17:00 EST."
    ) in p.explanation
    assert "First response due Fri 27 Nov 2026 17:00 EST." in p.explanation
    assert p.closed_days == ((datetime(2026, 11, 26).date(), "Thanksgiving Day"),)


def test_receipt_outside_business_time_starts_the_clock_at_next_opening():
    p = plan("department", research=True, received=ny(2026, 11, 27, 18, 30))
    assert p.clock_start == ny(2026, 11, 30, 9)
    assert p.first_response_due == ny(2026, 12, 2, 17)
    assert (
        "Received Fri 27 Nov 2026 18:30 EST, outside business hours: the clock starts at the next "
        "opening, Mon 30 Nov 2026 09:00 EST."
    ) in p.explanation
    assert {"Sat 28 Nov: Saturday", "Sun 29 Nov: Sunday"} <= set(p.explanation)


def test_year_boundary_and_dst_in_explanations():
    new_year = plan("department", received=ny(2026, 12, 31, 16))
    assert new_year.first_response_due == ny(2027, 1, 4, 17)
    assert "Fri 1 Jan: New Year's Day" in new_year.explanation
    spring = plan("ita", received=ny(2026, 3, 6, 10))
    assert spring.first_response_due.astimezone(UTC) == datetime(2026, 3, 10, 14, tzinfo=UTC)
    assert spring.explanation[-2] == "First response due Tue 10 Mar 2026 10:00 EDT."


def test_other_zone_team():
    honolulu = BusinessCalendar("Pacific/Honolulu")
    received = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 13:30 in Honolulu, after close in New York
    assert plan("department", received=received, cal=honolulu).first_response_due == datetime(
        2026, 11, 27, 17, tzinfo=ZoneInfo("Pacific/Honolulu")
    )
    assert plan("department", received=received).first_response_due == ny(2026, 11, 30, 17)


# ---- established deadline --------------------------------------------------------------------


def test_established_deadline_overrides_and_records_reason():
    due = ny(2026, 12, 4, 12)
    p = plan("ita", research=True, established_deadline=due, reason="  program office deadline ")
    assert p.established and p.reason == "program office deadline"
    assert p.first_response_due == due
    assert p.policy_due == ny(2026, 12, 4, 14)
    assert p.target_due == ny(2026, 12, 1, 14)  # the rule's nudge point, still before the deadline
    assert p.rule.startswith("established deadline (overrides ita:")
    assert "Reason given for the established deadline: program office deadline." in p.explanation
    assert p.facts()["policy_due"] == "2026-12-04T19:00:00+00:00"


def test_established_deadline_before_the_target_drops_the_target():
    p = plan("ita", research=True, established_deadline=ny(2026, 11, 27, 10), reason="customer flight")
    assert p.target_due is None and p.facts()["target_due"] is None


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"established_deadline": ny(2026, 12, 4, 12)}, ["reason"]),
        ({"established_deadline": ny(2026, 12, 4, 12), "reason": "   "}, ["reason"]),
        (
            {"established_deadline": ny(2026, 11, 24, 12), "reason": "x"},
            ["before", "Tue 24 Nov 2026, 12:00 PM EST"],
        ),
        ({"established_deadline": datetime(2026, 12, 4, 12), "reason": "x"}, ["established_deadline"]),
        ({"reason": "program office"}, ["'program office'", "without an established deadline"]),
        ({"kind": "fax"}, ["'fax'", "email, phone"]),
        ({"research": "yes"}, ["needs_research", "'yes'"]),
        ({"received": datetime(2026, 11, 25, 14)}, ["received_at"]),
    ],
)
def test_bad_plan_input_names_the_problem(kwargs, words):
    with pytest.raises(InputError) as caught:
        plan("department", **kwargs)
    for word in words:
        assert word in str(caught.value)


def test_established_deadline_at_receipt_is_allowed():
    assert plan("department", established_deadline=WED, reason="walk-in").first_response_due == WED


# ---- facts: stored, serialisable, and independent of later config ----------------------------


def test_facts_are_json_with_utc_iso_instants_and_read_back_equal():
    p = plan("ita", research=True)
    stored = json.loads(json.dumps(p.facts()))
    assert stored["received_at"] == "2026-11-25T19:00:00+00:00"
    assert stored["first_response_due"] == "2026-12-04T19:00:00+00:00"
    assert stored["closed_days"][0] == {"date": "2026-11-26", "reason": "Thanksgiving Day"}
    assert stored["calendar"]["tz"] == "America/New_York"
    assert stored["calendar"]["hours"]["mon"] == "09:00-17:00"
    assert "government" in stored["calendar"]["holidays"]
    assert stored["explanation"] == list(p.explanation)
    assert DeadlinePlan.from_facts(stored) == p


def test_stored_facts_survive_a_config_change():
    stored = json.loads(json.dumps(plan("department").facts()))
    snowed_in = BusinessCalendar(closures=[("2026-11-27", "weather")])
    replanned = plan("department", cal=snowed_in)
    assert replanned.first_response_due == ny(2026, 11, 30, 17)
    assert DeadlinePlan.from_facts(stored).first_response_due == ny(2026, 11, 27, 17)
    assert "Fri 27 Nov: closure: weather" in replanned.explanation


# ---- custom policies from config ---------------------------------------------------------------

HELPDESK = {
    "default": "8 business hours",
    "research": "3 business days",
    "target": "4 business hours",
    "target_research": "1 business day",
    "kinds": {
        "written": "2 weeks",
        "phone": {
            "default": "2 business hours",
            "research": "1 business day",
            "target_research": "4 business hours",
        },
    },
}


def test_custom_policy_rules_and_targets():
    helpdesk = policy_from_config("helpdesk", HELPDESK)
    email = plan(helpdesk)
    assert (email.first_response_due, email.target_due) == (ny(2026, 11, 27, 14), ny(2026, 11, 27, 10))
    assert email.rule == "helpdesk: email within 8 business hours (target 4 business hours)"
    research = plan(helpdesk, research=True)
    assert (research.first_response_due, research.target_due) == (ny(2026, 12, 1, 17), ny(2026, 11, 27, 17))
    assert plan(helpdesk, "written").first_response_due == ny(2026, 12, 9, 17)
    phone = plan(helpdesk, "phone", research=True)
    assert (phone.first_response_due, phone.target_due) == (ny(2026, 11, 27, 17), ny(2026, 11, 27, 10))
    assert plan(helpdesk, "phone").first_response_due == ny(2026, 11, 25, 16)


@pytest.mark.parametrize(
    "table,words",
    [
        ({"research": "2 business days"}, ["policies.custom", "'default'"]),
        ({"default": "1 business day"}, ["policies.custom", "'research'"]),
        (
            {"default": "1 business day", "research": "2 business days", "resarch": "x"},
            ["policies.custom", "'resarch'"],
        ),
        (
            {"default": "1 business day", "research": "2 bizness days"},
            ["policies.custom.research", "'2 bizness days'"],
        ),
        (
            {"default": "1 business day", "research": "2 business days", "kinds": {"fax": "1 week"}},
            ["policies.custom.kinds", "'fax'"],
        ),
        (
            {
                "default": "1 business day",
                "research": "2 business days",
                "kinds": {"phone": {"default": "2 business hours"}},
            },
            ["policies.custom.kinds.phone", "'research'"],
        ),
        (
            {"default": "1 business day", "research": "2 business days", "kinds": {"phone": 3}},
            ["policies.custom.kinds.phone", "3"],
        ),
        (
            {"default": "1 business day", "research": "2 business days", "target": "soon"},
            ["policies.custom.target", "'soon'"],
        ),
        ("1 business day", ["policies.custom", "table"]),
    ],
)
def test_custom_policy_refusals_name_policy_and_field(table, words):
    with pytest.raises(ConfigError) as caught:
        policy_from_config("custom", table)
    for word in words:
        assert word in str(caught.value)


def test_presets_are_written_in_the_config_shape():
    from bot.time.policies import PRESET_TABLES

    for name, table in PRESET_TABLES.items():
        assert policy_from_config(name, table) == PRESETS[name]


# ---- properties ---------------------------------------------------------------------------------

receipts = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(PRESETS)), st.sampled_from(KINDS), st.booleans(), receipts, receipts)
def test_deadlines_are_monotonic_in_receipt_time(name, kind, research, r1, r2):
    early, late = (plan(name, kind, research, received=r) for r in sorted((r1, r2)))
    assert early.first_response_due <= late.first_response_due
    if early.target_due is not None:
        assert early.target_due <= late.target_due
    assert early.clock_start <= late.clock_start
    for p in (early, late):
        assert p.clock_start <= p.first_response_due
        assert p.target_due is None or p.target_due < p.first_response_due
