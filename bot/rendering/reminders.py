"""The wording of each reminder and escalation step (bot/scheduling/reminders.py says which step
is due, bot/scheduling/reminder_pass.py to whom). Instants in the team's zone, 24-hour clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.rendering.bundles import time_left
from bot.rendering.format import escape, when

if TYPE_CHECKING:
    from bot.config.teams import Team
    from storage.queries.inquiries import InquiryRecord


def reminder_text(step: str, row: InquiryRecord, team: Team, *, hours_left: float = 0.0) -> str:
    """step: a Step's name; hours_left: business hours to the deadline (the 50% nudge says it)."""
    tz = team.calendar.tz
    item = f"*{row.ref}* “{escape(row.subject)}”"
    due = when(row.first_response_due, tz, clock24=True)
    if step == "nudge_half":
        return (
            f":hourglass_flowing_sand: Reminder: {item} needs a first response by {due} "
            f"({time_left(hours_left)})."
        )
    if step == "nudge_target":
        return (
            f":dart: Target reached: {item} should have had its first response by now; the deadline is {due}."
        )
    if step == "nudge_before":
        return f":alarm_clock: {team.reminders.nudge_before} left: {item} needs a first response by {due}."
    if step == "overdue":
        return f":red_circle: Overdue: {item} (<@{row.assignee}>) had no first response by {due}."
    if step == "escalate":
        why = "complex item" if row.complexity == "complex" else f"{team.reminders.level2_after} overdue"
        return (
            f":rotating_light: Escalation ({why}): {item}, assignee <@{row.assignee}>, "
            f"first response was due {due}."
        )
    promised = when(row.promised_resolution, tz, clock24=True) if row.promised_resolution else ""
    if step == "update_soon":
        return (
            f":memo: Status update due: {item} — resolution was promised for {promised}. Update the customer."
        )
    if step == "update_past":
        return (
            f":memo: Promised resolution passed: {item} was promised for {promised}. "
            "Post an update with a new date, or resolve it."
        )
    if row.first_response_at is None:  # an update is refused before the first response: ask for that
        return (
            f":zzz: Nothing on {item} for {team.reminders.stale_after}, and no first response yet "
            f"(first response due {due}). Acknowledge it: that records the first response."
        )
    return (
        f":zzz: No update on {item} for {team.reminders.stale_after}. Post a status update for the customer."
    )
