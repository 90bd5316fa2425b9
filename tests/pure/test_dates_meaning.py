"""A phrase with a time of day means that time, whatever the clock says (docs/record.md, "What a
date means"); the fast path and dateparser agree on every generated phrase. The dateparser answer
is taken with exactly the settings the code gives it (bot.commands.dates._parse_raw)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.commands.dates import When, _parse_raw, parse_when
from bot.commands.quick_dates import quick_parse
from bot.commands.time_of_day import names_time
from bot.errors import InputError

NY = ZoneInfo("America/New_York")
DAYS = ["today", "yesterday", "monday", "Tuesday", "wed", "thursday", "Fri", "saturday", "sunday"]
# (as typed, hour, minute): with and without minutes, am/pm, with and without a space
TIMES = [
    ("4pm", 16, 0),
    ("4:10pm", 16, 10),
    ("5:30 PM", 17, 30),
    ("9am", 9, 0),
    ("9:45 am", 9, 45),
    ("12pm", 12, 0),
    ("12:15am", 0, 15),
    ("16:10", 16, 10),
]
PHRASES = [
    (f"{day}{' at' if at else ''} {typed}", hour, minute)
    for day in DAYS
    for typed, hour, minute in TIMES
    for at in (False, True)
]
FRIDAY, MONDAY = datetime(2026, 12, 18), datetime(2026, 12, 21)


def clocks(hour: int, minute: int) -> list[datetime]:
    """Local instants on both sides of the phrase's time, and exactly on it, on two weekdays."""
    out = []
    for day in (FRIDAY, MONDAY):
        at = day.replace(hour=hour, minute=minute)
        out += [at - timedelta(minutes=1), at, at + timedelta(microseconds=1), at + timedelta(minutes=10)]
    return out


@pytest.mark.parametrize("phrase, hour, minute", PHRASES, ids=[p for p, _, _ in PHRASES])
def test_a_phrase_with_a_time_means_that_time_and_matches_dateparser(phrase, hour, minute):
    for local in clocks(hour, minute):
        for prefer in ("past", "future"):
            when = When(now=local.replace(tzinfo=NY).astimezone(UTC), tz="America/New_York")
            data = _parse_raw(phrase, local, prefer)
            assert data.date_obj is not None, phrase
            expected = data.date_obj.replace(tzinfo=NY).astimezone(UTC)
            got = parse_when(
                phrase, field="received", when=when, prefer=prefer, day_time="start", example="x"
            )
            assert got == expected, (phrase, local, prefer)
            shown = got.astimezone(NY)
            assert (shown.hour, shown.minute) == (hour, minute), (phrase, local, prefer)
            # Every generated phrase is one the fast path reads, and it gives dateparser's answer
            # exactly: the instant and the period (the "day" quirk included, settled afterwards).
            quick = quick_parse(phrase, local, prefer)
            assert quick == (data.date_obj, data.period), (phrase, local, prefer)


@pytest.mark.parametrize(
    "typed, at_local",
    [
        ("today 4pm", datetime(2026, 12, 18, 16, 0)),
        ("today 5:30pm", datetime(2026, 12, 18, 17, 30)),
        ("today at 4pm", datetime(2026, 12, 18, 16, 10)),
        ("today 4:10pm", datetime(2026, 12, 18, 16, 10)),
    ],
)
def test_the_issues_examples_keep_their_time(typed, at_local):
    when = When(now=at_local.replace(tzinfo=NY).astimezone(UTC), tz="America/New_York")
    got = parse_when(typed, field="received", when=when, prefer="past", day_time="start", example="x")
    bare = typed.replace("today", "").replace(" at ", "").strip()
    same = parse_when(bare, field="received", when=when, prefer="past", day_time="start", example="x")
    assert got == same and got.astimezone(NY).hour != 0


@pytest.mark.parametrize(
    "phrase, timed",
    [
        ("today", False),
        ("friday", False),
        ("yesterday 3pm", True),
        ("mon at 9:30am", True),
        ("noon", True),
        ("2026-03-10", False),
        ("2026-03-10 14:00", True),
        ("in 3 days", False),
        ("5 p.m. today", True),
        ("Dec 30", False),
        ("3 pmx", False),
    ],
)
def test_names_time(phrase, timed):
    assert names_time(phrase) is timed


@pytest.mark.parametrize(
    "typed, now_local, meant",
    [
        # the day's own date, typed that day: today, not a year from now
        ("12/7", datetime(2026, 12, 7, 10, 0), datetime(2026, 12, 7, 17, 0)),
        ("december 7", datetime(2026, 12, 7, 10, 0), datetime(2026, 12, 7, 17, 0)),
        ("3/14 4pm", datetime(2027, 3, 14, 10, 0), datetime(2027, 3, 14, 16, 0)),
        # a deadline a few days gone (an item logged late): this year's, not next year's
        ("11/25", datetime(2026, 12, 7, 10, 0), datetime(2026, 11, 25, 17, 0)),
        # still ahead, or across New Year: the coming one
        ("12/25", datetime(2026, 12, 7, 10, 0), datetime(2026, 12, 25, 17, 0)),
        ("1/5", datetime(2026, 12, 20, 10, 0), datetime(2027, 1, 5, 17, 0)),
        ("next fri", datetime(2026, 12, 30, 10, 0), datetime(2027, 1, 1, 17, 0)),
        # months gone: nobody logs a deadline that old, so the coming one
        ("1/2", datetime(2026, 3, 4, 10, 0), datetime(2027, 1, 2, 17, 0)),
        ("12/7/2027", datetime(2026, 12, 7, 10, 0), datetime(2027, 12, 7, 17, 0)),
    ],
)
def test_a_deadline_date_without_a_year_is_today_a_recent_one_or_the_coming_one(typed, now_local, meant):
    """`due 12/7` typed on 7 December was 7 December next year, and `due 11/25` for an item logged
    late was 25 November next year: dateparser's "future" moves any date before now a year on."""
    when = When(now=now_local.replace(tzinfo=NY).astimezone(UTC), tz="America/New_York")
    got = parse_when(typed, field="due", when=when, prefer="future", day_time="close", example="x")
    assert got.astimezone(NY).replace(tzinfo=None) == meant


@pytest.mark.parametrize(
    "typed, refused",
    [
        ("tomorrow 25:00", "“25:00” is not a time of day"),
        ("tomorrow 9:75", "“9:75” is not a time of day"),
        ("tomorrow 24:00", "“24:00” is not a time of day"),
        ("today at 4", "“at 4” could be 4am or 4pm"),
        ("fri at 9", "“at 9” could be 9am or 9pm"),
        ("monday 9", "“9” could be 9am or 9pm"),
    ],
)
def test_a_time_of_day_that_cannot_be_read_is_refused_not_dropped(typed, refused):
    """`received today at 4` was midnight and `expect tomorrow 25:00` tomorrow 17:00: dateparser
    dropped the time it could not read and answered with the day alone."""
    when = When(now=datetime(2026, 12, 7, 10, 0, tzinfo=NY).astimezone(UTC), tz="America/New_York")
    for prefer, day_time in (("past", "start"), ("future", "close")):
        with pytest.raises(InputError) as caught:
            parse_when(typed, field="received", when=when, prefer=prefer, day_time=day_time, example="x")
        assert refused in str(caught.value), str(caught.value)


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("tomorrow 9.30am", datetime(2026, 12, 8, 9, 30)),  # was 10:00
        ("tomorrow 9.30", datetime(2026, 12, 8, 9, 30)),  # was 17:00, the time dropped
        ("fri at 4:15 pm", datetime(2026, 12, 11, 16, 15)),
        ("Dec 9 16:30", datetime(2026, 12, 9, 16, 30)),
        ("Dec 9", datetime(2026, 12, 9, 17, 0)),
    ],
)
def test_a_time_typed_with_a_dot_is_that_time(typed, meant):
    when = When(now=datetime(2026, 12, 7, 10, 0, tzinfo=NY).astimezone(UTC), tz="America/New_York")
    got = parse_when(typed, field="due", when=when, prefer="future", day_time="close", example="x")
    assert got.astimezone(NY).replace(tzinfo=None) == meant


@pytest.mark.parametrize(
    "typed, now_local, meant",
    [
        # a day ahead, typed without a year: this year's (then refused as future), not last year's
        ("12/8", datetime(2026, 12, 7, 10, 0), datetime(2026, 12, 8, 0, 0)),
        ("december 20", datetime(2026, 12, 7, 10, 0), datetime(2026, 12, 20, 0, 0)),
        # a day gone: this year's, as before
        ("12/6", datetime(2026, 12, 7, 10, 0), datetime(2026, 12, 6, 0, 0)),
        # months ahead, or named with its year: last year's / as typed
        ("12/30", datetime(2027, 1, 2, 10, 0), datetime(2026, 12, 30, 0, 0)),
        ("3/1", datetime(2026, 12, 7, 10, 0), datetime(2026, 3, 1, 0, 0)),
        ("12/8/2025", datetime(2026, 12, 7, 10, 0), datetime(2025, 12, 8, 0, 0)),
    ],
)
def test_a_receipt_date_a_little_ahead_is_not_last_years(typed, now_local, meant):
    """`received 12/8` typed on 7 December was stored as 8 December of the year before: a receipt a
    year gone, every deadline of the item missed the moment it was logged."""
    when = When(now=now_local.replace(tzinfo=NY).astimezone(UTC), tz="America/New_York")
    got = parse_when(typed, field="received", when=when, prefer="past", day_time="start", example="x")
    assert got.astimezone(NY).replace(tzinfo=None) == meant


def test_a_receipt_typed_for_tomorrow_is_refused_as_in_the_future():
    from bot.commands.log import parse_received

    when = When(now=datetime(2026, 12, 7, 15, 0, tzinfo=UTC), tz="America/New_York")
    with pytest.raises(InputError, match="received “12/8” is in the future"):
        parse_received("12/8", when)
