"""US federal holidays as OPM lists them, plus one-off Executive Order closures and Inauguration Day.

The list comes from the `holidays` package with exactly this call (tests pin it against OPM):

    holidays.country_holidays("US", years=..., categories=("government",), observed=True)

The "government" category is the federal list of 5 U.S.C. 6103 (New Year's Day, Birthday of
Martin Luther King Jr., Washington's Birthday, Memorial Day, Juneteenth, Independence Day, Labor
Day, Columbus Day, Veterans Day, Thanksgiving Day, Christmas Day) with the in-lieu rule
Saturday -> Friday before, Sunday -> Monday after, and the one-off closures ordered by Executive
Order, which the package's default "public" category leaves out.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

# Closures ordered by Executive Order that OPM lists with the holidays. The `holidays` package
# carries them too (category "government"), but the dates are kept here so that an older or
# newer package cannot silently drop a closure that a stored deadline relied on.
EXECUTIVE_ORDER_CLOSURES: dict[date, str] = {
    date(2024, 12, 24): "Christmas Eve (Executive Order 14129)",
    date(2025, 1, 9): "National Day of Mourning for President Jimmy Carter (Executive Order 14133)",
    date(2025, 12, 24): "Christmas Eve (Executive Order 14371)",
    date(2025, 12, 26): "Day after Christmas (Executive Order 14371)",
}

SOURCE = 'holidays.country_holidays("US", categories=("government",), observed=True)'


def federal_closed_days(first_year: int, last_year: int) -> dict[date, str]:
    """Every federal holiday (actual and observed dates) and EO closure in [first_year, last_year].

    The package is asked for one year more on each side: an observed New Year's Day can fall in
    the previous year (1 Jan 2028 is a Saturday, so 31 Dec 2027 is closed), and asking only for
    the later year would miss it.
    """
    found = holidays.country_holidays(
        "US",
        years=range(first_year - 1, last_year + 2),
        categories=("government",),
        observed=True,
    )
    days = {
        day: name
        for day, name in found.items()
        # Half-day closings (2002, 2009, 2015) are not whole closed days.
        if first_year <= day.year <= last_year and "half-day" not in name
    }
    for day, name in EXECUTIVE_ORDER_CLOSURES.items():
        if first_year <= day.year <= last_year:
            days[day] = name
    return days


def inauguration_day(year: int) -> date | None:
    """Inauguration Day (5 U.S.C. 6103(c)): a holiday for federal employees in the DC area.

    20 January of every fourth year after 1965 (2025, 2029, ...); when the 20th is a Sunday the
    holiday is Monday the 21st. There is no in-lieu day when it falls on a Saturday.
    """
    if year < 1965 or (year - 1965) % 4:
        return None
    day = date(year, 1, 20)
    if day.weekday() == 6:
        day += timedelta(days=1)
    return day


def package_version() -> str:
    return holidays.__version__
