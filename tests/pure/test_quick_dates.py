"""The quick reader of everyday date phrases gives exactly dateparser's answer, or none at all."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands.dates import _parse_raw
from bot.commands.quick_dates import RELATIVE, WEEKDAYS, quick_parse

DAYS = [*RELATIVE, *WEEKDAYS, "Friday", "YESTERDAY", "Mon", "thurs", "weds"]
TIMES = [
    "3pm",
    "3 pm",
    "3:30pm",
    "3:30 PM",
    "12am",
    "12pm",
    "12:15am",
    "12:45 pm",
    "15:00",
    "0:30",
    "00:00",
    "23:59",
    "9am",
    "09:00",
    "9:05",
    "noon",
    "Noon",
    "11:59pm",
    "1am",
    "10am",
    "13pm",
    "0am",
    "24:00",
    "9",
    "5 PM",
    "7:60pm",
    "3.30pm",
    "midnight",
]
SHAPES = ["{d}", "{t}", "{d} {t}", "{d} at {t}", "{t} {d}", "{t} on {d}", "{d}, {t}"]
MONDAY = datetime(2026, 11, 23)
# Every weekday, at instants before, after and exactly on the phrases' times (to the microsecond).
CLOCKS = [
    timedelta(),
    timedelta(hours=9),
    timedelta(hours=12),
    timedelta(hours=15),
    timedelta(hours=15, minutes=30),
    timedelta(hours=17),
    timedelta(hours=10, minutes=30, seconds=15, microseconds=123456),
    timedelta(hours=23, minutes=59, seconds=59, microseconds=999999),
]
BASES = [MONDAY + timedelta(days=d) + c for d in range(7) for c in CLOCKS] + [
    datetime(2026, 3, 8, 2, 30),
    datetime(2026, 12, 31, 23, 0),
    datetime(2028, 2, 28, 15, 0),
]


def dateparser_answer(phrase: str, base: datetime, prefer: str):
    data = _parse_raw(phrase, base, prefer)
    return None if data.date_obj is None else (data.date_obj, data.period)


@settings(max_examples=300, deadline=None)
@given(
    shape=st.sampled_from(SHAPES),
    day=st.sampled_from(DAYS),
    clock=st.sampled_from(TIMES),
    base=st.sampled_from(BASES),
    prefer=st.sampled_from(["past", "future"]),
)
def test_quick_answer_is_dateparsers(shape, day, clock, base, prefer):
    phrase = shape.format(d=day, t=clock)
    quick = quick_parse(phrase, base, prefer)
    if quick is not None:
        assert quick == dateparser_answer(phrase, base, prefer), phrase


@pytest.mark.parametrize(
    "phrase",
    [
        "yesterday 3pm",
        "Friday 5pm",
        "Monday 9am",
        "today",
        "tomorrow at 9:30 am",
        "5pm fri",
        "wed noon",
        "tues 15:00",
    ],
)
@pytest.mark.parametrize("prefer", ["past", "future"])
def test_everyday_phrases_skip_dateparser_with_the_same_answer(phrase, prefer):
    for base in (MONDAY + timedelta(days=4, hours=17), MONDAY + timedelta(hours=10, minutes=30, seconds=15)):
        quick = quick_parse(phrase, base, prefer)
        assert quick is not None
        assert quick == dateparser_answer(phrase, base, prefer)


def test_the_base_instant_itself_keeps_dateparsers_day_period():
    # "today 9am" at exactly 09:00:00.000000 changes nothing, and dateparser then calls it a day.
    base = MONDAY + timedelta(hours=9)
    assert (
        quick_parse("today 9am", base, "past")
        == dateparser_answer("today 9am", base, "past")
        == (base, "day")
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "3pm",
        "15:00",
        "in 3 days",
        "next week",
        "thurs 4pm",
        "15:00 mon",
        "monday 9",
        "2026-03-10",
        "friday 13pm",
        "yesterday, 3pm",
        "3pm on friday",
    ],
)
def test_other_phrases_are_left_to_dateparser(phrase):
    assert quick_parse(phrase, MONDAY, "past") is None
