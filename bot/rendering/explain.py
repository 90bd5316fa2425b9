"""Plain-English account of an inquiry's deadlines, from what was stored when each was given
(rule and calendar facts), never recomputed from today's config."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.rendering.format import when
from bot.time.calendar_settings import open_hours_from_facts
from bot.time.deadline_plan import DeadlinePlan, explain
from storage.queries.inquiries import DeadlineRecord, InquiryRecord


def _at(instant: datetime, zone: ZoneInfo) -> str:
    return when(instant, zone, clock24=True)


TITLES = {
    "first_response": "First response due",
    "target": "First-response target (first nudge)",
    "promised_resolution": "Resolution promised for",
}


@dataclass(frozen=True)
class OutcomeNote:
    """One deadline's outcome as the record holds it (docs/outcomes.md): what the reports count."""

    kind: str  # first_response | resolution | status_update
    deadline: datetime
    outcome: str  # on_time | missed | late (a missed one answered later)
    holder: str
    decided_at: datetime
    disputes: tuple[tuple[str, str, str], ...] = ()  # (disputed | upheld | voided, who, reason)


OUTCOME_TITLES = {
    "first_response": "First response",
    "resolution": "Resolution promised for",
    "status_update": "Status update for the promise of",
}
OUTCOME_WORDS = {"on_time": "on time", "missed": "missed", "late": "missed, answered late"}


def explain_lines(
    row: InquiryRecord, zone: ZoneInfo, outcomes: Sequence[OutcomeNote] | None = None
) -> list[str]:
    """outcomes: the item's decided outcomes, for `explain` (a card leaves them out)."""
    lines = [
        f"{row.ref} ({row.kind}, {row.complexity}{', needs research' if row.needs_research else ''}): "
        f"received {_at(row.received_at, zone)}, team {row.team}, policy {row.policy}",
    ]
    # A deadline given again (a closure re-planned it: docs/closures.md) shows every version, oldest
    # first; the last one is current.
    counts = Counter(d.name for d in row.deadlines)
    seen: Counter = Counter()
    for deadline in row.deadlines:
        seen[deadline.name] += 1
        version = None
        if counts[deadline.name] > 1:
            n = seen[deadline.name]
            version = f"version {n}" + (", current" if n == counts[deadline.name] else ", superseded")
        lines.extend(deadline_lines(deadline, zone, version))
    lines.append(_outcome(row, zone))
    if outcomes is not None:
        lines.extend(outcome_lines(row, outcomes, zone))
    return lines


def outcome_lines(row: InquiryRecord, outcomes: Sequence[OutcomeNote], zone: ZoneInfo) -> list[str]:
    """Each outcome the reports count for this item, whose it is and when it was decided, with
    any dispute: the same facts as the report's numbers and evidence."""
    if not outcomes:
        if row.status == "closed":
            return ["Outcomes: none — closed before any deadline fell, so no outcome counts in any rate"]
        return ["Outcomes: none decided yet (an outcome is decided at the answer, or at the deadline)"]
    lines = ["Outcomes (each decided once; these are what the reports count):"]
    for o in outcomes:
        title = OUTCOME_TITLES.get(o.kind, o.kind.replace("_", " "))
        due = "due " if o.kind == "first_response" else ""
        line = (
            f"  {title} {due}{_at(o.deadline, zone)}: {OUTCOME_WORDS.get(o.outcome, o.outcome)}; "
            f"counts for <@{o.holder}>, decided {_at(o.decided_at, zone)}"
        )
        for action, who, reason in o.disputes:
            if action == "disputed":
                line += f"; disputed by <@{who}>: “{reason}”"
            elif action == "upheld":
                line += f"; upheld by <@{who}>: “{reason}”"
            else:
                line += f"; voided by <@{who}>: “{reason}” — it counts in no rate"
        lines.append(line)
    return lines


def deadline_lines(deadline: DeadlineRecord, zone: ZoneInfo, version: str | None = None) -> list[str]:
    title = TITLES.get(deadline.name, deadline.name.replace("_", " "))
    if version:
        title = f"{title} ({version})"
    lines = [
        f"{title} {_at(deadline.due_at, zone)} — rule: {deadline.rule} (set by <@{deadline.set_by}> "
        f"{_at(deadline.set_at, zone)})"
    ]
    lines.extend(f"  {line}" for line in fact_lines(deadline.facts or {}))
    return lines


def fact_lines(facts: dict[str, Any]) -> Iterable[str]:
    """The policy's own explanation (rule, clock start, closed days skipped, calendar) as stored;
    for other deadlines (a promise) the stored facts as they are."""
    explanation = facts.get("explanation")
    replanned = facts.get("replanned")
    if isinstance(replanned, dict) and explanation is None:
        # A version a closure gave (docs/closures.md): its lines come from its stored facts.
        plan = DeadlinePlan.from_facts(facts)
        explanation = [f"Re-planned: {replanned.get('reason')}.", *explain(plan, plan.rule)]
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
        yield f"Holidays: {calendar['holidays']}" + (
            "; Inauguration Day" if calendar.get("inauguration_day") else ""
        )
    closures = calendar.get("closures") or []
    if closures:
        yield "Extra closures: " + ", ".join(_closure_days(calendar, closures))


def _closure_days(calendar: dict[str, Any], closures: list[Any]) -> Iterable[str]:
    """One entry per date, whatever closed it: a config closure and one declared while running on the
    same day (or any whole-day one beside a partial) read as one closed day, never as closed and
    open at once (docs/closures.md, "Two closures on one day")."""
    by_date: dict[str, list[dict[str, Any]]] = {}
    for c in closures:
        if isinstance(c, dict):
            by_date.setdefault(str(c.get("date")), []).append(c)
        else:
            by_date.setdefault(str(c), [])
    for day, entries in by_date.items():
        # 'closed': a partial closure on a day closed anyway (a holiday, a weekend), and why.
        standing = list(dict.fromkeys(str(c["closed"]) for c in entries if c.get("closed")))
        reasons = "; ".join([*standing, *(str(c.get("reason")) for c in entries)])
        partial = [c for c in entries if c.get("hours")]
        if not entries:
            yield day
        elif standing:
            yield f"{day} closed ({reasons})"
        elif len(partial) < len(entries):  # a whole-day closure wins
            yield f"{day} ({reasons})" if not partial else f"{day} closed ({reasons})"
        else:
            yield f"{day}{_open(calendar, partial[-1])} ({reasons})"


def _open(calendar: dict[str, Any], closure: dict[str, Any]) -> str:
    """' open 09:00-15:00' for a partial day (its actual hours, not the closure's own window
    '00:00-15:00'), ' closed' when nothing is left of it."""
    try:
        day = date.fromisoformat(str(closure.get("date")))
    except ValueError:
        return f" {closure['hours']}"
    hours = open_hours_from_facts(calendar, day, closure["hours"])
    return f" open {hours}" if hours else " closed"


def _outcome(row: InquiryRecord, zone: ZoneInfo) -> str:
    if row.first_response_at is None:
        if row.status == "closed":
            why = f" as {row.close_reason}" if row.close_reason else ""
            closed = f" {_at(row.last_update_at, zone)}" if row.last_update_at else ""
            return f"Status: closed{why}{closed}, without a first response"
        return f"Status: {row.status}, no first response yet"
    on_time = "on time" if row.first_response_at <= row.first_response_due else "late"
    hours = row.first_response_business_hours
    took = f", {hours:.2f} business hours after receipt" if hours is not None else ""
    by = f" (accountable: <@{row.first_response_by}>)" if row.first_response_by else ""
    return f"Status: {row.status}; first response {_at(row.first_response_at, zone)}{took}, {on_time}{by}"
