"""The words of disputes (docs/outcomes.md): replies, notices to supervisors and the disputer, and
the lines in App Home and in a report's evidence."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.rendering import format as fmt
from bot.rendering.replies import Reply
from storage.refs import inquiry_ref

if TYPE_CHECKING:
    from bot.lifecycle.views import DisputeView
    from storage.queries.outcome_disputes import DisputeRow

KIND_WORDS = {
    "first_response": "first-response",
    "resolution": "promised-resolution",
    "status_update": "status-update",
}
OUTCOME_WORDS = {"on_time": "on time", "missed": "missed", "late": "late"}


def kind(value: str) -> str:
    return KIND_WORDS.get(value, value)


def when(instant: datetime | None, tz: str | None) -> str:
    return fmt.when(instant, tz)


def _what(view: DisputeView, tz: str | None = None) -> str:
    return (
        f"*{view.ref}* {kind(view.kind)} outcome ({OUTCOME_WORDS.get(view.outcome, view.outcome)}, "
        f"deadline {fmt.when(view.deadline, tz)}, {fmt.user(view.holder)})"
    )


def disputed(view: DisputeView, tz: str | None) -> Reply:
    return Reply(
        f":speech_balloon: You disputed the {_what(view, tz)}: “{fmt.escape(view.reason)}”. "
        f"{_who_decides(view)}; the outcome counts as it stands until then."
    )


def _who_decides(view: DisputeView) -> str:
    """Who was asked: the team's supervisors; when the disputer is its only one, the admins."""
    asked = f"{', '.join(fmt.user(p) for p in view.told)} {'was' if len(view.told) == 1 else 'were'} asked"
    if view.told_as == "supervisor":
        return f"A supervisor of your team decides ({asked})"
    if view.told:
        return f"You are the team's only supervisor, so an admin decides ({asked})"
    return "You are the team's only supervisor and no admin is set up, so it waits until one is"


def decided(view: DisputeView, tz: str | None) -> Reply:
    if view.action == "voided":
        return Reply(
            f":wastebasket: Voided the {_what(view, tz)}: “{fmt.escape(view.reason)}”. "
            "It no longer counts in any rate and stays in the evidence."
        )
    return Reply(f":scales: Upheld the {_what(view, tz)}: “{fmt.escape(view.reason)}”. It counts as decided.")


def already_decided(actor: str, action: str, kind_: str, at: datetime, tz: str | None, reason: str) -> str:
    """The tail of a refusal to decide a dispute someone decided first (two supervisors at once)."""
    return (
        f": {fmt.user(actor)} already {action} its {kind(kind_)} outcome on {fmt.when(at, tz)} "
        f"(“{fmt.escape(reason)}”); nothing changed"
    )


def opened_notice(view: DisputeView) -> str:
    return (
        f":speech_balloon: {fmt.user(view.actor)} disputes the {_what(view)}: “{fmt.escape(view.reason)}”. "
        f"Decide with `/inquiry uphold {view.ref} <reason>` or `/inquiry void {view.ref} <reason>`."
    )


def decided_notice(view: DisputeView) -> str:
    """The disputer's DM. Upholding and voiding are said of the outcome, never of the dispute:
    "upheld your dispute" would read as the opposite of what happened."""
    if view.action == "voided":
        result = "voided it: it no longer counts in any rate, and stays in the evidence with both reasons"
    else:
        result = "upheld it: it counts as decided"
    return (
        f":scales: Your dispute of the {_what(view)} is decided. {fmt.user(view.actor)} {result}. "
        f"Their reason: “{fmt.escape(view.reason)}”."
    )


def evidence_line(row: DisputeRow, tz: str | None) -> str:
    """One dispute in a report's evidence: the outcome, both reasons and who decided."""
    head = (
        f"*{inquiry_ref(row.inquiry_id)}* {kind(row.kind)} {OUTCOME_WORDS.get(row.outcome, row.outcome)} "
        f"({fmt.user(row.holder)}, deadline {fmt.when(row.deadline, tz)}) — disputed by {fmt.user(row.disputed_by)}: "
        f"“{fmt.escape(row.reason)}”"
    )
    if row.decision is None:
        return head + " — *open*, awaiting a supervisor"
    return head + (
        f" — *{row.decision}* by {fmt.user(row.decided_by)} on {fmt.day(row.decided_on, tz)}: "
        f"“{fmt.escape(row.decision_reason)}”"
    )
