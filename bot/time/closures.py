"""Closures declared while the bot runs (docs/closures.md): what one is, checking a new one, and
turning the live ones into each team's calendar days.

Pure: no database, no Slack. bot/lifecycle/replan.py stores them and re-plans the deadlines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.errors import ConfigError, InputError
from bot.time.calendar import BusinessCalendar
from bot.time.calendar_settings import DayHours, parse_clock
from bot.time.years import check_day

MAX_DAYS = 366  # one declaration covers at most a year (a lapse in appropriations is weeks)


@dataclass(frozen=True)
class ClosureRequest:
    """A closure as asked for, before it is checked and stored."""

    first_day: date
    last_day: date | None = None  # None: one day
    team: str | None = None  # None: every team
    opens: str | None = None  # HH:MM: delayed arrival, the office opens then
    closes: str | None = None  # HH:MM: early dismissal, the office closes then
    reason: str = ""
    past: bool = False  # allow a closure starting before today (decided outcomes still never move)


@dataclass(frozen=True)
class Closure:
    id: int
    team: str | None
    first_day: date
    last_day: date
    opens: str | None
    closes: str | None
    reason: str
    declared_by: str
    declared_at: datetime
    cancelled_by: str | None = None
    cancelled_at: datetime | None = None

    @property
    def partial(self) -> bool:
        return self.opens is not None or self.closes is not None

    @property
    def live(self) -> bool:
        return self.cancelled_at is None

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]

    def applies_to(self, team: str) -> bool:
        return self.team is None or self.team == team

    def hours(self) -> tuple[int, int] | None:
        """The minutes left open on each day (None: closed all day); 0/1440 mean 'as usual'."""
        if not self.partial:
            return None
        return (
            parse_clock("opens", self.opens) if self.opens else 0,
            parse_clock("closes", self.closes) if self.closes else 1440,
        )

    def what(self) -> str:
        """'closed', 'delayed arrival (opens 11:00)', 'early dismissal (closes 15:00)'."""
        parts = []
        if self.opens:
            parts.append(f"opens {self.opens}")
        if self.closes:
            parts.append(f"closes {self.closes}")
        if not parts:
            return "closed"
        kind = (
            "delayed arrival and early dismissal"
            if self.opens and self.closes
            else "delayed arrival"
            if self.opens
            else "early dismissal"
        )
        return f"{kind} ({', '.join(parts)})"

    def calendar_reason(self) -> str:
        """How the closed day reads in a deadline's explanation: 'closure: weather'."""
        return f"closure: {self.reason}" if not self.partial else f"{self.what()}: {self.reason}"


def check_request(
    request: ClosureRequest, teams: Mapping[str, BusinessCalendar], today: Mapping[str, date]
) -> list[str]:
    """The teams a closure applies to, after checking it; InputError naming the problem otherwise.

    teams: every team's calendar; today: each team's local date now.
    """
    if request.team is not None and request.team not in teams:
        raise InputError(f"unknown team {request.team!r}; known teams: {', '.join(sorted(teams))}")
    names = [request.team] if request.team is not None else sorted(teams)
    reason = (request.reason or "").strip()
    if not reason:
        raise InputError("a closure needs a reason (e.g. weather, Executive Order, lapse in appropriations)")
    if len(reason) > 500:
        raise InputError(f"the reason is {len(reason)} characters; keep it under 500")
    first, last = request.first_day, request.last_day or request.first_day
    if last < first:
        raise InputError(
            f"the range ends ({last.isoformat()}) before it starts ({first.isoformat()}); "
            "put the first day first"
        )
    check_day(first, "the closure's first day")
    check_day(last, "the closure's last day")
    if (last - first).days + 1 > MAX_DAYS:
        raise InputError(
            f"the range is {(last - first).days + 1} days; declare at most {MAX_DAYS} days at once"
        )
    if not request.past:
        late = [n for n in names if first < today[n]]
        if late:
            raise InputError(
                f"{first.isoformat()} is in the past for team {late[0]} (today is {today[late[0]].isoformat()}); "
                "decided deadlines never move, so a past closure only records it: add `past` (CLI: --past) "
                "to declare it anyway"
            )
    _check_changes_something(request, first, last, names, teams)
    if request.opens is not None or request.closes is not None:
        _check_partial(request, first, last, names, teams)
    return names


def _check_changes_something(
    request: ClosureRequest, first: date, last: date, names: list[str], teams: Mapping[str, BusinessCalendar]
) -> None:
    """Refuse a closure whose every day is already closed, for every team it names, by something no
    one cancels (a weekend, a federal holiday, a closure in the config): it would change no deadline,
    and a short day on a holiday read as 'open 09:00-13:00'. A live closure does not count, as it may
    be cancelled (docs/closures.md)."""
    days = (last - first).days + 1
    closed: dict[str, dict[date, str]] = {}
    for name in names:
        closed[name] = teams[name].standing_closed_days(first, last)
        if len(closed[name]) < days:
            return
    span = _day(first) + ("" if days == 1 else f" to {_day(last)}")
    verb = "is" if days == 1 else "are"
    why = {name: "; ".join(dict.fromkeys(closed[name].values())) for name in names}
    if len(names) == 1:
        whom = f"team {names[0]} ({why[names[0]]})"
    elif len(set(why.values())) == 1:
        whom = f"every team ({why[names[0]]})"
    else:
        whom = " and ".join(f"team {name} ({why[name]})" for name in names)
    kind = (
        "a delayed arrival and early dismissal"
        if request.opens is not None and request.closes is not None
        else "a delayed arrival"
        if request.opens is not None
        else "an early dismissal"
        if request.closes is not None
        else "a closure"
    )
    raise InputError(f"{span} {verb} already closed for {whom}; {kind} there changes nothing")


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _check_partial(
    request: ClosureRequest, first: date, last: date, names: list[str], teams: Mapping[str, BusinessCalendar]
) -> None:
    try:
        opens = parse_clock("opens", request.opens) if request.opens is not None else None
        closes = parse_clock("closes", request.closes) if request.closes is not None else None
    except ConfigError as exc:
        raise InputError(str(exc)) from None
    if opens is not None and closes is not None and closes <= opens:
        raise InputError(
            f"opening at {request.opens} and closing at {request.closes} leaves no working time; "
            "declare the whole day closed instead"
        )
    for name in names:
        calendar = teams[name]
        day = first
        while day <= last:
            usual = calendar.week[day.weekday()]
            if usual is not None:
                start, end = usual
                where = f"team {name} works {_hhmm(start)}-{_hhmm(end)} on {day:%a} {day.isoformat()}"
                if opens is not None and not start < opens < end:
                    raise InputError(
                        f"a delayed arrival until {request.opens} is outside the working hours: {where}"
                    )
                if closes is not None and not start < closes < end:
                    raise InputError(
                        f"an early dismissal from {request.closes} is outside the working hours: {where}"
                    )
            day += timedelta(days=1)


def live_twin(closures: Iterable[Closure], request: ClosureRequest) -> Closure | None:
    """The live closure that already declares exactly this (team, days, opening and closing times),
    whatever its reason: declaring it again would change no day, and its double could be cancelled
    without the days opening. Overlapping but different closures are not twins (docs/closures.md)."""
    wanted = (
        request.team,
        request.first_day,
        request.last_day or request.first_day,
        request.opens,
        request.closes,
    )
    for closure in closures:
        if (
            closure.live
            and (closure.team, closure.first_day, closure.last_day, closure.opens, closure.closes) == wanted
        ):
            return closure
    return None


def live_days(closures: Iterable[Closure], team: str) -> dict[date, tuple[DayHours, str]]:
    """A team's days changed by the live closures: date -> (None, reason) or ((open, close), reason).
    Two closures on one day combine: a whole-day one wins, partial ones keep the narrower hours."""
    days: dict[date, tuple[DayHours, str]] = {}
    for closure in closures:
        if not closure.live or not closure.applies_to(team):
            continue
        hours, reason = closure.hours(), closure.calendar_reason()
        for day in closure.days():
            if day in days:
                was, why = days[day]
                reason = f"{why}; {reason}"
                if was is None or hours is None:
                    hours = None
                else:
                    hours = (max(was[0], hours[0]), min(was[1], hours[1]))
            days[day] = (hours, reason)
            hours, reason = closure.hours(), closure.calendar_reason()
    return days


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
