"""Durations written as text: parsing, round trip, application, and refusals."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import ConfigError
from bot.time.calendar import BusinessCalendar
from bot.time.durations import UNITS, Duration, parse_duration

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    "text,amount,unit",
    [
        ("16 business hours", 16, "business_hours"),
        ("1 business hour", 1, "business_hours"),
        ("1.5 business hours", 1.5, "business_hours"),
        ("2 business days", 2, "business_days"),
        ("1 business days", 1, "business_days"),
        ("7 calendar days", 7, "calendar_days"),
        ("1 week", 7, "calendar_days"),
        ("2 weeks", 14, "calendar_days"),
        ("  48  Business  Hours ", 48, "business_hours"),
    ],
)
def test_parse(text, amount, unit):
    assert parse_duration(text) == Duration(amount, unit)


@pytest.mark.parametrize(
    "duration,text",
    [
        (Duration(16, "business_hours"), "16 business hours"),
        (Duration(1, "business_days"), "1 business day"),
        (Duration(7.0, "calendar_days"), "7 calendar days"),
        (Duration(0.5, "business_hours"), "0.5 business hours"),
    ],
)
def test_str(duration, text):
    assert str(duration) == text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(UNITS), st.integers(min_value=0, max_value=10_000))
def test_str_round_trips(unit, amount):
    duration = Duration(amount, unit)
    assert parse_duration(str(duration)) == duration
    assert str(parse_duration(str(duration))) == str(duration)


def test_apply_uses_the_matching_calendar_rule():
    cal = BusinessCalendar()
    wed = datetime(2026, 11, 25, 14, tzinfo=NY)
    assert parse_duration("16 business hours").apply(cal, wed) == datetime(2026, 11, 30, 14, tzinfo=NY)
    assert parse_duration("1 business day").apply(cal, wed) == datetime(2026, 11, 27, 17, tzinfo=NY)
    assert parse_duration("1 week").apply(cal, wed) == datetime(2026, 12, 2, 17, tzinfo=NY)


@pytest.mark.parametrize(
    "text",
    [
        "16 hours",
        "2 days",
        "sixteen business hours",
        "16 business",
        "-1 business days",
        "1.5 business days",
        "2 calendar hours",
        "1 business week",
        "16 business hours please",
        "",
        16,
    ],
)
def test_malformed_text_names_the_text(text):
    with pytest.raises(ConfigError) as caught:
        parse_duration(text, field="policies.team.default")
    assert repr(text) in str(caught.value) and "policies.team.default" in str(caught.value)


def test_bad_duration_values():
    with pytest.raises(ConfigError, match="unit 'fortnights'"):
        Duration(1, "fortnights")
    with pytest.raises(ConfigError, match="-2"):
        Duration(-2, "business_hours")
