"""Reading a calendar's settings (zone, working hours, closures) into checked values.

Every error names the field and the bad value, and says what a good value looks like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_KEYS = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}
_WEEKDAY_KEYS.update({name[:3].lower(): i for i, name in enumerate(WEEKDAY_NAMES)})
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_RANGE = re.compile(r"^\s*([0-9:]+)\s*[-–]\s*([0-9:]+)\s*$")

# (open, close) in minutes after local midnight; close may be 1440 (24:00). None = closed.
DayHours = tuple[int, int] | None


def parse_zone(tz: str | ZoneInfo) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigError(
            f"tz: unknown time zone {tz!r}; use an IANA name such as 'America/New_York'"
        ) from None


def parse_clock(field: str, value: str | time) -> int:
    """'09:00' -> 540 minutes. 24:00 is allowed (a close at midnight)."""
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f"{field}: {value!r} is not a time of day; write HH:MM, e.g. '09:00'")
    hour, minute = int(match[1]), int(match[2])
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise ConfigError(f"{field}: {value!r} is outside 00:00–24:00")
    return hour * 60 + minute


def parse_day_hours(field: str, open_: str | time, close: str | time) -> tuple[int, int]:
    start = parse_clock(f"{field} open" if field else "open", open_)
    end = parse_clock(f"{field} close" if field else "close", close)
    if end <= start:
        where = f"{field} " if field else ""
        raise ConfigError(
            f"{where}close {close!r} is not after open {open_!r}; working hours run open -> close "
            "within one day (close may be 24:00)"
        )
    return start, end


def parse_week(
    open_: str | time, close: str | time, hours_by_weekday: Mapping | None
) -> tuple[DayHours, ...]:
    """Monday..Sunday hours. Mon–Fri get open–close, Sat/Sun are closed, and hours_by_weekday
    overrides single days: {"fri": "09:00-13:00", "sat": ("10:00", "14:00"), "wed": None}."""
    default = parse_day_hours("", open_, close)
    week: list[DayHours] = [default] * 5 + [None, None]
    for key, value in (hours_by_weekday or {}).items():
        day = _weekday_index(key)
        field = f"hours_by_weekday[{key!r}]"
        if value is None or value is False or (isinstance(value, str) and value.strip().lower() == "closed"):
            week[day] = None
        elif isinstance(value, str) and (match := _RANGE.match(value)):
            week[day] = parse_day_hours(field, match[1], match[2])
        elif isinstance(value, Mapping) and set(value) == {"open", "close"}:
            week[day] = parse_day_hours(field, value["open"], value["close"])
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            week[day] = parse_day_hours(field, value[0], value[1])
        else:
            raise ConfigError(
                f"{field}: {value!r} is not working hours; write '09:00-17:00', "
                "['09:00', '17:00'] or 'closed'"
            )
    if not any(week):
        raise ConfigError("hours_by_weekday: every weekday is closed; at least one day needs hours")
    return tuple(week)


def _weekday_index(key: object) -> int:
    if isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 6:
        return key
    if isinstance(key, str) and key.strip().lower() in _WEEKDAY_KEYS:
        return _WEEKDAY_KEYS[key.strip().lower()]
    raise ConfigError(
        f"hours_by_weekday: {key!r} is not a weekday; use 'mon'..'sun', full names, or 0 (Monday)..6"
    )


def parse_closures(closures: Iterable) -> dict[date, str]:
    """Extra closed days -> reason. Entries: date, 'YYYY-MM-DD', (day, label), {date=, reason=}."""
    if isinstance(closures, (str, date)):
        closures = (closures,)
    found: dict[date, str] = {}
    for i, entry in enumerate(closures):
        field = f"closures[{i}]"
        label = None
        if isinstance(entry, Mapping):
            unknown = set(entry) - {"date", "reason", "label"}
            if "date" not in entry or unknown:
                raise ConfigError(f"{field}: {dict(entry)!r} needs 'date' and optionally 'reason'")
            day, label = entry["date"], entry.get("reason", entry.get("label"))
        elif isinstance(entry, (tuple, list)) and len(entry) == 2:
            day, label = entry
        else:
            day = entry
        day = _parse_date(field, day)
        reason = f"closure: {label.strip()}" if isinstance(label, str) and label.strip() else "closure"
        found[day] = f"{found[day]}; {reason}" if day in found else reason
    return found


def _parse_date(field: str, value: object) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{field}: {value!r} is not a date; write YYYY-MM-DD, e.g. '2026-01-27'")


def format_week(week: tuple[DayHours, ...]) -> dict[str, str | None]:
    return {WEEKDAY_NAMES[i][:3].lower(): format_hours(h) if h else None for i, h in enumerate(week)}


def format_hours(hours: tuple[int, int]) -> str:
    return f"{_fmt_minutes(hours[0])}-{_fmt_minutes(hours[1])}"


def _fmt_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def open_hours_from_facts(calendar: Mapping, day: date, hours: str) -> str | None:
    """A partial day's actual open hours, from a calendar's stored facts: the closure's hours
    ('00:00-15:00', an early dismissal) within that weekday's usual ones ('09:00-17:00') ->
    '09:00-15:00'; None when nothing is left (the day is closed)."""
    usual = (calendar.get("hours") or {}).get(WEEKDAY_NAMES[day.weekday()][:3].lower())
    kept, week = _RANGE.match(hours or ""), _RANGE.match(usual or "")
    if kept is None or week is None:
        return None
    start = max(parse_clock("hours", week[1]), parse_clock("hours", kept[1]))
    end = min(parse_clock("hours", week[2]), parse_clock("hours", kept[2]))
    return format_hours((start, end)) if end > start else None


def short_days_from_facts(calendar: Mapping, first: date, last: date) -> list[tuple[date, str, str]]:
    """The days from first to last (both included) shortened by a delayed arrival or an early
    dismissal: (day, actual open hours, reason), read from a calendar's stored facts."""
    found = []
    entries = [c for c in calendar.get("closures") or () if isinstance(c, Mapping)]
    # A whole-day closure wins, and so does a day closed anyway (a holiday: 'closed' says why).
    whole = {str(c.get("date")) for c in entries if not c.get("hours") or c.get("closed")}
    for closure in entries:
        if not closure.get("hours") or str(closure.get("date")) in whole:
            continue
        try:
            day = date.fromisoformat(str(closure.get("date")))
        except ValueError:
            continue
        if first <= day <= last and (hours := open_hours_from_facts(calendar, day, closure["hours"])):
            found.append((day, hours, str(closure.get("reason") or "")))
    return sorted(found)
