"""Plain-English account of an inquiry's deadlines, from what was stored when each was given
(rule and calendar facts), never recomputed from today's config."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.rendering.format import when
from storage.queries.inquiries import DeadlineRecord, InquiryRecord


def _at(instant: datetime, zone: ZoneInfo) -> str:
    return when(instant, zone, clock24=True)


TITLES = {
    "first_response": "First response due",
    "target": "First-response target (first nudge)",
    "promised_resolution": "Resolution promised for",
}


def explain_lines(row: InquiryRecord, zone: ZoneInfo) -> list[str]:
    lines = [
        f"{row.ref} ({row.kind}, {row.complexity}{', needs research' if row.needs_research else ''}): "
        f"received {_at(row.received_at, zone)}, team {row.team}, policy {row.policy}",
    ]
    for deadline in row.deadlines:
        lines.extend(deadline_lines(deadline, zone))
    lines.append(_outcome(row, zone))
    return lines


def deadline_lines(deadline: DeadlineRecord, zone: ZoneInfo) -> list[str]:
    title = TITLES.get(deadline.name, deadline.name.replace("_", " "))
    lines = [f"{title} {_at(deadline.due_at, zone)} — rule: {deadline.rule} (set by <@{deadline.set_by}> "
             f"{_at(deadline.set_at, zone)})"]
    lines.extend(f"  {line}" for line in fact_lines(deadline.facts or {}))
    return lines


def fact_lines(facts: dict[str, Any]) -> Iterable[str]:
    """The policy's own explanation (rule, clock start, closed days skipped, calendar) as stored;
    for other deadlines (a promise) the stored facts as they are."""
    explanation = facts.get("explanation")
    if isinstance(explanation, (list, tuple)) and explanation:
        yield from (str(line) for line in explanation)
        calendar = facts.get("calendar")
        if isinstance(calendar, dict):
            yield from _calendar_lines(calendar)
        return
    for key, value in facts.items():
        if key not in ("promised_at", "promised_by") and not isinstance(value, (dict, list)):  # in the title
            yield f"{key.replace('_', ' ')}: {value}"


def _calendar_lines(calendar: dict[str, Any]) -> Iterable[str]:
    if calendar.get("holidays"):
        yield f"Holidays: {calendar['holidays']}" + ("; Inauguration Day" if calendar.get("inauguration_day") else "")
    closures = calendar.get("closures") or []
    if closures:
        yield "Extra closures: " + ", ".join(
            f"{c.get('date')} ({c.get('reason')})" if isinstance(c, dict) else str(c) for c in closures
        )


def _outcome(row: InquiryRecord, zone: ZoneInfo) -> str:
    if row.first_response_at is None:
        return f"Status: {row.status}, no first response yet"
    on_time = "on time" if row.first_response_at <= row.first_response_due else "late"
    hours = row.first_response_business_hours
    took = f", {hours:.2f} business hours after receipt" if hours is not None else ""
    by = f" (accountable: <@{row.first_response_by}>)" if row.first_response_by else ""
    return f"Status: {row.status}; first response {_at(row.first_response_at, zone)}{took}, {on_time}{by}"
