"""BusinessCalendar: every convention and edge in docs/business-time.md, worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import ConfigError, InputError
from bot.time.calendar import BusinessCalendar

NY = ZoneInfo("America/New_York")
CAL = BusinessCalendar()


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


# ---- conventions ---------------------------------------------------------------------------


def test_hours_ending_exactly_at_close_return_close_that_day():
    assert CAL.add_business_hours(ny(2026, 11, 23, 9), 8) == ny(2026, 11, 23, 17)
    assert CAL.add_business_hours(ny(2026, 11, 23, 16), 1) == ny(2026, 11, 23, 17)
    assert CAL.add_business_hours(ny(2026, 11, 23, 16), 2) == ny(2026, 11, 24, 10)


def test_adding_zero_returns_the_start_unchanged_even_when_closed():
    saturday = ny(2026, 11, 28, 10, 15)
    assert CAL.add_business_hours(saturday, 0) == saturday
    assert CAL.add_business_hours(saturday, timedelta(0)) == saturday
    assert CAL.add_business_hours(saturday.astimezone(UTC), 0.0).tzinfo is NY


def test_business_time_is_half_open():
    assert CAL.is_open(ny(2026, 11, 23, 9))
    assert CAL.is_open(ny(2026, 11, 23, 16, 59, 59, 999999))
    assert not CAL.is_open(ny(2026, 11, 23, 17))
    assert not CAL.is_open(ny(2026, 11, 23, 8, 59, 59, 999999))
    assert CAL.next_opening(ny(2026, 11, 23, 17)) == ny(2026, 11, 24, 9)
    assert CAL.next_opening(ny(2026, 11, 23, 12, 30)) == ny(2026, 11, 23, 12, 30)


def test_between_is_signed_and_counts_only_business_time():
    a, b = ny(2026, 11, 25, 14), ny(2026, 11, 30, 10)  # Wed 3h, Thanksgiving, Fri 8h, weekend, Mon 1h
    assert CAL.business_hours_between(a, b) == 12.0
    assert CAL.business_hours_between(b, a) == -12.0
    assert CAL.business_hours_between(a, a) == 0.0
    assert isinstance(CAL.business_hours_between(a, b), float)


def test_results_are_in_the_calendars_zone_whatever_the_input_zone():
    start = ny(2026, 11, 23, 10).astimezone(UTC)
    for result in (
        CAL.add_business_hours(start, 1),
        CAL.add_business_days(start, 1),
        CAL.add_calendar_days(start, 7),
        CAL.next_opening(start),
    ):
        assert result.tzinfo is NY


def test_hours_may_be_int_float_or_timedelta():
    start = ny(2026, 11, 23, 9)
    expected = ny(2026, 11, 23, 10, 30)
    assert CAL.add_business_hours(start, 1.5) == expected
    assert CAL.add_business_hours(start, timedelta(minutes=90)) == expected
    assert CAL.add_business_hours(start, 3) == ny(2026, 11, 23, 12)


def test_negative_hours_go_back_to_the_latest_instant():
    assert CAL.add_business_hours(ny(2026, 11, 24, 10), -1) == ny(2026, 11, 24, 9)
    assert CAL.add_business_hours(ny(2026, 11, 24, 9), -1) == ny(2026, 11, 23, 16)
    assert CAL.add_business_hours(ny(2026, 11, 30, 10), -2) == ny(2026, 11, 27, 16)
    assert CAL.add_business_hours(ny(2026, 11, 30, 10), -10) == ny(2026, 11, 25, 16)  # over Thanksgiving


def test_ten_thousand_hours_round_trip():
    start = ny(2026, 11, 25, 14)
    end = CAL.add_business_hours(start, 10_000)
    assert end == ny(2031, 11, 26, 14)
    assert CAL.business_hours_between(start, end) == 10_000


# ---- receipt outside business time, business days, calendar days ---------------------------


@pytest.mark.parametrize(
    "received,plus_1h,one_day",
    [
        (ny(2026, 11, 23, 7, 30), ny(2026, 11, 23, 10), ny(2026, 11, 24, 17)),  # before opening
        (ny(2026, 11, 23, 9), ny(2026, 11, 23, 10), ny(2026, 11, 24, 17)),  # at opening
        (ny(2026, 11, 23, 12), ny(2026, 11, 23, 13), ny(2026, 11, 24, 17)),  # open
        (ny(2026, 11, 23, 17), ny(2026, 11, 24, 10), ny(2026, 11, 25, 17)),  # exactly at close
        (ny(2026, 11, 23, 18), ny(2026, 11, 24, 10), ny(2026, 11, 25, 17)),  # after close
        (ny(2026, 11, 21, 11), ny(2026, 11, 23, 10), ny(2026, 11, 24, 17)),  # Saturday
        (ny(2026, 11, 26, 10), ny(2026, 11, 27, 10), ny(2026, 11, 30, 17)),  # Thanksgiving
        (ny(2026, 11, 25, 16, 30), ny(2026, 11, 27, 9, 30), ny(2026, 11, 27, 17)),  # day before a holiday
    ],
)
def test_receipt_edges(received, plus_1h, one_day):
    assert CAL.add_business_hours(received, 1) == plus_1h
    assert CAL.add_business_days(received, 1) == one_day


def test_business_days_count_from_the_day_the_clock_starts():
    assert CAL.add_business_days(ny(2026, 11, 23, 10), 0) == ny(2026, 11, 23, 17)
    assert CAL.add_business_days(ny(2026, 11, 23, 10), 2) == ny(2026, 11, 25, 17)
    assert CAL.add_business_days(ny(2026, 11, 23, 10), 3) == ny(2026, 11, 27, 17)  # skips Thanksgiving
    assert CAL.add_business_days(ny(2026, 11, 23, 18), 0) == ny(2026, 11, 24, 17)


@pytest.mark.parametrize(
    "received,due",
    [
        (ny(2026, 11, 16, 10), ny(2026, 11, 23, 17)),  # Mon -> Mon
        (ny(2026, 11, 19, 10), ny(2026, 11, 27, 17)),  # Thu -> Thanksgiving, rolled to Fri
        (ny(2026, 11, 21, 10), ny(2026, 11, 30, 17)),  # Sat -> Sat, rolled to Mon
        (ny(2026, 11, 20, 18), ny(2026, 11, 27, 17)),  # Fri after close: the receipt date counts
        (ny(2026, 12, 28, 10), ny(2027, 1, 4, 17)),  # across the year
    ],
)
def test_one_week_is_close_of_business_seven_calendar_days_later_rolled_forward(received, due):
    assert CAL.add_calendar_days(received, 7) == due


def test_zero_calendar_days_is_never_before_the_start():
    assert CAL.add_calendar_days(ny(2026, 11, 23, 10), 0) == ny(2026, 11, 23, 17)
    assert CAL.add_calendar_days(ny(2026, 11, 23, 18), 0) == ny(2026, 11, 24, 17)


# ---- DST -----------------------------------------------------------------------------------


def test_spring_forward_2026_03_08():
    fri = ny(2026, 3, 6, 16)
    mon = CAL.add_business_hours(fri, 2)
    assert mon.astimezone(UTC) == datetime(2026, 3, 9, 14, tzinfo=UTC)  # 10:00 EDT
    assert mon.utcoffset() == timedelta(hours=-4)
    assert CAL.business_hours_between(fri, mon) == 2
    assert CAL.add_business_days(ny(2026, 3, 6, 10), 1).astimezone(UTC) == datetime(
        2026, 3, 9, 21, tzinfo=UTC
    )


def test_fall_back_2026_11_01():
    fri = ny(2026, 10, 30, 16)
    mon = CAL.add_business_hours(fri, 2)
    assert mon.astimezone(UTC) == datetime(2026, 11, 2, 15, tzinfo=UTC)  # 10:00 EST
    assert CAL.business_hours_between(fri, mon) == 2


def test_round_the_clock_calendar_sees_23_and_25_hour_days():
    always = BusinessCalendar(
        open="00:00", close="24:00", hours_by_weekday={"sat": "00:00-24:00", "sun": "00:00-24:00"}
    )
    assert always.business_hours_between(ny(2026, 3, 8), ny(2026, 3, 9)) == 23
    assert always.business_hours_between(ny(2026, 11, 1), ny(2026, 11, 2)) == 25
    # Two hours after midnight on 1 Nov is the second 01:00 (EST).
    second_one_am = always.add_business_hours(ny(2026, 11, 1), 2)
    assert second_one_am.astimezone(UTC) == datetime(2026, 11, 1, 6, tzinfo=UTC)
    assert (second_one_am.hour, second_one_am.fold) == (1, 1)
    # Midnight to midnight is still one business day's close.
    assert always.add_business_days(ny(2026, 11, 1, 5), 0) == ny(2026, 11, 2)


# ---- year boundaries -----------------------------------------------------------------------


def test_year_boundaries():
    assert CAL.add_business_hours(ny(2026, 12, 31, 15), 4) == ny(2027, 1, 4, 11)  # 1 Jan closed
    assert CAL.business_hours_between(ny(2026, 12, 30, 9), ny(2027, 1, 4, 9)) == 16
    assert CAL.add_business_days(ny(2027, 12, 30, 10), 1) == ny(2028, 1, 3, 17)  # 31 Dec 2027 closed
    assert CAL.add_business_hours(ny(2028, 1, 3, 9), -1) == ny(2027, 12, 30, 16)


# ---- other zones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "zone,utc_hour", [("America/Chicago", 15), ("America/Los_Angeles", 17), ("Pacific/Honolulu", 20)]
)
def test_other_zones_after_spring_forward(zone, utc_hour):
    tz = ZoneInfo(zone)
    cal = BusinessCalendar(tz=zone)
    mon = cal.add_business_hours(datetime(2026, 3, 6, 16, tzinfo=tz), 2)
    assert mon.tzinfo is tz and (mon.hour, mon.day) == (10, 9)
    assert mon.astimezone(UTC) == datetime(2026, 3, 9, utc_hour, tzinfo=UTC)  # Honolulu has no DST


def test_one_instant_is_open_or_closed_depending_on_zone():
    instant = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 18:30 EST, 17:30 CST, 15:30 PST, 13:30 HST
    assert not BusinessCalendar("America/New_York").is_open(instant)
    assert not BusinessCalendar("America/Chicago").is_open(instant)
    assert BusinessCalendar("America/Los_Angeles").is_open(instant)
    honolulu = BusinessCalendar("Pacific/Honolulu")
    assert honolulu.is_open(instant)
    assert honolulu.add_business_days(instant, 1) == datetime(
        2026, 11, 27, 17, tzinfo=ZoneInfo("Pacific/Honolulu")
    )


# ---- closures and working hours per weekday ------------------------------------------------


def test_extra_closures_with_and_without_labels():
    cal = BusinessCalendar(
        closures=[(date(2026, 2, 10), "weather"), "2026-02-11", {"date": "2026-02-12", "reason": "shutdown"}]
    )
    assert cal.closed_days_between(ny(2026, 2, 9, 10), ny(2026, 2, 15)) == [
        (date(2026, 2, 10), "closure: weather"),
        (date(2026, 2, 11), "closure"),
        (date(2026, 2, 12), "closure: shutdown"),
        (date(2026, 2, 14), "Saturday"),
        (date(2026, 2, 15), "Sunday"),
    ]
    assert cal.add_business_days(ny(2026, 2, 9, 10), 1) == ny(2026, 2, 13, 17)


def test_hours_by_weekday():
    cal = BusinessCalendar(hours_by_weekday={"fri": "09:00-13:00", "wed": None, 5: ("10:00", "12:00")})
    assert cal.add_business_hours(ny(2026, 11, 6, 12), 2) == ny(2026, 11, 7, 11)  # Fri short, Sat open
    assert cal.add_business_days(ny(2026, 11, 6, 10), 0) == ny(2026, 11, 6, 13)
    assert cal.closed_days_between(date(2026, 11, 4), date(2026, 11, 4)) == [
        (date(2026, 11, 4), "Wednesday (no working hours)")
    ]
    assert cal.facts()["hours"] == {
        "mon": "09:00-17:00",
        "tue": "09:00-17:00",
        "wed": None,
        "thu": "09:00-17:00",
        "fri": "09:00-13:00",
        "sat": "10:00-12:00",
        "sun": None,
    }


def test_close_at_24_00_is_allowed():
    late = BusinessCalendar(open="16:00", close="24:00")
    assert late.add_business_hours(ny(2026, 11, 23, 23), 1) == ny(2026, 11, 24, 0)
    assert late.is_open(ny(2026, 11, 23, 23, 59))


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"tz": "Mars/Olympus_Mons"}, ["tz", "'Mars/Olympus_Mons'"]),
        ({"open": "17:00", "close": "09:00"}, ["close", "'09:00'", "open", "'17:00'"]),
        ({"open": "09:00", "close": "09:00"}, ["close", "'09:00'"]),
        ({"open": "25:00"}, ["open", "'25:00'", "00:00–24:00"]),
        ({"close": "24:30"}, ["close", "'24:30'", "00:00–24:00"]),
        ({"open": "9am"}, ["open", "'9am'", "HH:MM"]),
        ({"open": "09:75"}, ["open", "'09:75'"]),
        ({"closures": ["2026-13-01"]}, ["closures[0]", "'2026-13-01'"]),
        ({"hours_by_weekday": {"funday": "09:00-17:00"}}, ["hours_by_weekday", "'funday'"]),
        ({"hours_by_weekday": {"fri": "nine to five"}}, ["hours_by_weekday['fri']", "'nine to five'"]),
        ({"hours_by_weekday": {"fri": "13:00-09:00"}}, ["hours_by_weekday['fri']", "'09:00'"]),
    ],
)
def test_bad_settings_name_the_field_and_value(kwargs, words):
    with pytest.raises(ConfigError) as caught:
        BusinessCalendar(**kwargs)
    for word in words:
        assert word in str(caught.value)


def test_naive_datetimes_are_refused_not_guessed():
    naive = datetime(2026, 11, 23, 10)
    for call in (
        lambda: CAL.add_business_hours(naive, 1),
        lambda: CAL.business_hours_between(naive, naive),
        lambda: CAL.add_business_days(naive, 1),
        lambda: CAL.add_calendar_days(naive, 7),
        lambda: CAL.next_opening(naive),
        lambda: CAL.is_open(naive),
    ):
        with pytest.raises(InputError, match="2026-11-23T10:00:00"):
            call()
    assert issubclass(InputError, ValueError)


@pytest.mark.parametrize("hours", ["8", None, True, float("nan"), float("inf")])
def test_bad_hours(hours):
    with pytest.raises(InputError, match="hours"):
        CAL.add_business_hours(ny(2026, 11, 23, 10), hours)


@pytest.mark.parametrize("days", [-1, 1.5, "2", True])
def test_bad_day_counts(days):
    with pytest.raises(InputError, match="days"):
        CAL.add_business_days(ny(2026, 11, 23, 10), days)
