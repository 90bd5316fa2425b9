"""A DeadlinePlan: the deadlines one inquiry was given, why, and the calendar facts used.

Stored with the inquiry as `facts()` so the deadline can be defended later even if the team's
config changes; `DeadlinePlan.from_facts` reads it back without recomputing anything.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.time.calendar_settings import short_days_from_facts
from bot.time.instants import date_text
from bot.time.instants import when as format_when

_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


@dataclass(frozen=True)
class DeadlinePlan:
    policy: str
    rule: str
    received_at: datetime
    clock_start: datetime
    first_response_due: datetime
    target_due: datetime | None
    established: bool
    reason: str | None
    explanation: tuple[str, ...]
    kind: str = "other"
    needs_research: bool = False
    duration: str = ""  # the rule's window as text, e.g. "1 business day"
    target_duration: str | None = None
    policy_due: datetime | None = None  # what the rule alone gives (differs when established)
    closed_days: tuple[tuple[date, str], ...] = ()
    calendar: dict = field(default_factory=dict, compare=False, hash=False)

    def deadlines(self) -> list[tuple[str, datetime]]:
        """The deadlines this plan gives an inquiry, by name: its first response, and the target
        (the first nudge) where the rule has one."""
        named = [("first_response", self.first_response_due)]
        return named if self.target_due is None else [*named, ("target", self.target_due)]

    def with_explanation(self, lines: tuple[str, ...]) -> DeadlinePlan:
        return dataclasses.replace(self, explanation=tuple(lines))

    def facts(self) -> dict:
        """JSON-serialisable record; instants are ISO-8601 in UTC."""
        return {
            "policy": self.policy,
            "rule": self.rule,
            "kind": self.kind,
            "needs_research": self.needs_research,
            "duration": self.duration,
            "target_duration": self.target_duration,
            "received_at": _iso(self.received_at),
            "clock_start": _iso(self.clock_start),
            "first_response_due": _iso(self.first_response_due),
            "target_due": _iso(self.target_due),
            "policy_due": _iso(self.policy_due),
            "established": self.established,
            "reason": self.reason,
            "closed_days": [{"date": d.isoformat(), "reason": why} for d, why in self.closed_days],
            "calendar": self.calendar,
            "explanation": list(self.explanation),
        }

    @classmethod
    def from_facts(cls, facts: dict) -> DeadlinePlan:
        """Read a stored plan back; instants come back in the stored calendar's zone."""
        tz = ZoneInfo(facts["calendar"]["tz"]) if facts.get("calendar", {}).get("tz") else UTC

        def instant(key: str) -> datetime | None:
            value = facts.get(key)
            return datetime.fromisoformat(value).astimezone(tz) if value else None

        def required(key: str) -> datetime:  # every stored plan has these
            return datetime.fromisoformat(facts[key]).astimezone(tz)

        return cls(
            policy=facts["policy"],
            rule=facts["rule"],
            received_at=required("received_at"),
            clock_start=required("clock_start"),
            first_response_due=required("first_response_due"),
            target_due=instant("target_due"),
            established=facts["established"],
            reason=facts.get("reason"),
            explanation=tuple(facts.get("explanation", ())),
            kind=facts.get("kind", "other"),
            needs_research=facts.get("needs_research", False),
            duration=facts.get("duration", ""),
            target_duration=facts.get("target_duration"),
            policy_due=instant("policy_due"),
            closed_days=tuple(
                (date.fromisoformat(d["date"]), d["reason"]) for d in facts.get("closed_days", ())
            ),
            calendar=facts.get("calendar", {}),
        )


def explain(plan: DeadlinePlan, policy_rule: str) -> tuple[str, ...]:
    """Plain-English lines: the rule, the clock start, each closed day skipped, the deadlines."""
    lines = [f"Rule: {plan.rule}."]
    if plan.established:
        lines.append(f"Reason given for the established deadline: {plan.reason}.")
    if plan.clock_start == plan.received_at:
        lines.append(
            f"Received {when(plan.received_at)}, during business hours: the clock starts at receipt."
        )
    else:
        lines.append(
            f"Received {when(plan.received_at)}, outside business hours: the clock starts at the "
            f"next opening, {when(plan.clock_start)}."
        )
    if plan.closed_days:
        lines.append("Closed days skipped:")
        lines.extend(f"{day_name(day)}: {why}" for day, why in plan.closed_days)
    short = short_days(plan)
    if short:
        lines.append("Short days (a delayed arrival or early dismissal; the hours it was open):")
        lines.extend(f"{day_name(day)}: open {hours}; {why}" for day, hours, why in short)
    if plan.established:
        assert plan.policy_due is not None  # Policy.plan records the rule's answer beside an established one
        lines.append(f"The rule alone ({policy_rule}) would give {when(plan.policy_due)}.")
    else:
        lines.append(_how(plan))
    if plan.target_due is not None:
        lines.append(f"Target (first nudge): {plan.target_duration} -> {when(plan.target_due)}.")
    lines.append(f"First response due {when(plan.first_response_due)}.")
    cal = plan.calendar
    if cal:
        hours = _week_text(cal["hours"])
        lines.append(
            f"Calendar: {cal['tz']}; {hours}; US federal holidays as observed"
            + ("; Inauguration Day" if cal.get("inauguration_day") else "")
            + (f"; {len(cal['closures'])} extra closure(s)" if cal.get("closures") else "")
            + "."
        )
    return tuple(lines)


def short_days(plan: DeadlinePlan) -> list[tuple[date, str, str]]:
    """The days the deadline was counted across that a delayed arrival or an early dismissal
    shortened, with the hours they were open: (day, '09:00-15:00', reason). From the plan's stored
    calendar facts, so a re-planned version shows them too. An established deadline walks no days."""
    if plan.established or not plan.calendar:
        return []
    first, last = plan.received_at.date(), plan.first_response_due.date()
    amount, _, unit = plan.duration.partition(" ")
    if unit.startswith("calendar day") and amount.isdigit():
        first = date.fromordinal(first.toordinal() + int(amount))  # only the day it lands on counts
    closed = {day for day, _ in plan.closed_days}
    return [s for s in short_days_from_facts(plan.calendar, first, last) if s[0] not in closed]


def _how(plan: DeadlinePlan) -> str:
    amount, _, unit = plan.duration.partition(" ")
    due = when(plan.first_response_due)
    if unit.startswith("business day"):
        n = int(amount)
        return (
            f"{plan.duration} = close of business on the {_ordinal(n)} business day after "
            f"{day_name(plan.clock_start.date())}: {due}."
            if n
            else f"0 business days = close of business on the day the clock starts: {due}."
        )
    if unit.startswith("calendar day"):
        rolled = " (closed, so rolled forward to the next business day)" if plan.closed_days else ""
        return f"{plan.duration} after the day of receipt{rolled}, at close of business: {due}."
    return f"{plan.duration} of working time counted from the clock start end at {due}."


def _week_text(hours: dict[str, str | None]) -> str:
    """{'mon': '09:00-17:00', ..., 'sat': None} -> 'Mon–Fri 09:00-17:00'."""
    runs: list[tuple[str, str, str]] = []  # (first day, last day, hours) of consecutive equal days
    previous = None
    for day, span in hours.items():
        if span and span == previous:
            runs[-1] = (runs[-1][0], day, span)
        elif span:
            runs.append((day, day, span))
        previous = span
    parts = [(a.title() if a == b else f"{a.title()}–{b.title()}") + f" {span}" for a, b, span in runs]
    return ", ".join(parts) or "no working hours"


def when(t: datetime) -> str:
    """'Wed 25 Nov 2026 14:00 EST', in t's own zone (the one time formatter: bot.time.instants)."""
    return format_when(t, t.tzinfo, clock24=True)


def day_name(day: date) -> str:
    """'Thu 26 Nov'."""
    return date_text(day, year=False)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else _ORDINAL_SUFFIX.get(n % 10, "th")
    return f"{n}{suffix}"


def _iso(t: datetime | None) -> str | None:
    return t.astimezone(UTC).isoformat() if t is not None else None
