"""The wording of a bundled reminder: everything the scheduler has for one person at one moment,
as one message (docs/messages.md). bot/lifecycle/bundles.py decides which items are still worth
saying; this module only words them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.rendering.card import buttons
from bot.rendering.format import escape, when

if TYPE_CHECKING:
    from bot.lifecycle.views import InquiryView


# How many items one message lists in full (subject, deadline, time left, buttons); the rest are
# counted and left to App Home, so a busy morning is one readable message, not a wall.
SHOWN = 5

_HEADINGS = {
    "nudge": "needs a first response",
    "overdue": "is overdue",
    "update": "needs a status update",
    "stale": "has had no update for a while",
}


@dataclass(frozen=True)
class BundleItem:
    view: InquiryView  # bot.lifecycle.views.InquiryView
    kind: str  # the outbox kind: nudge | overdue | update | stale
    deadline: datetime | None  # the deadline the reminder is about
    left: str  # "3 business hours left", "overdue by 2 business hours", "" if none
    quiet_for: str = ""  # a 'no update' reminder: the team's stale_after ("5 business days")


def time_left(hours: float) -> str:
    """Business hours to a deadline (negative: past it), in words."""
    if hours <= 0:
        return "deadline passed" if hours == 0 else f"overdue by {_hours(-hours)}"
    return f"{_hours(hours)} left"


def _hours(hours: float) -> str:
    if hours >= 16:
        days = hours / 8
        return f"{days:.1f}".rstrip("0").rstrip(".") + " business days"
    rounded = round(hours, 1)
    return f"{rounded:g} business hour" + ("" if rounded == 1 else "s")


def _need(n: int) -> str:
    return "1 inquiry needs you" if n == 1 else f"{n} inquiries need you"


def _more(n: int) -> str:
    return "1 more inquiry" if n == 1 else f"{n} more inquiries"


def bundle_text(items: Sequence[BundleItem], tz: str | None) -> str:
    """The notification text (what a phone shows): how many, and the first few refs."""
    refs = ", ".join(i.view.ref for i in items[:SHOWN])
    more = f" and {_more(len(items) - SHOWN)}" if len(items) > SHOWN else ""
    return f":bell: {_need(len(items))}: {refs}{more}."


def bundle_blocks(items: Sequence[BundleItem], tz: str | None) -> list[dict[str, Any]]:
    """A short list: each shown item's line (subject, deadline, time left) and its buttons, then
    'and N more' pointing to App Home."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f":bell: *{_need(len(items))} now*"},
        },
    ]
    for item in items[:SHOWN]:
        view = item.view
        what = _HEADINGS.get(item.kind, "needs attention")
        if item.kind == "stale" and item.quiet_for:  # as the reminder sent alone says it
            what = (
                f"has had no update for {item.quiet_for}"
                if view.first_response_at is not None
                else f"has had nothing for {item.quiet_for} and no first response yet"
            )
        due = f", due {when(item.deadline, tz, clock24=True)}" if item.deadline is not None else ""
        left = f", {item.left}" if item.left else ""
        line = f"*{view.ref}* “{escape(view.subject)}” {what}{due}{left}"
        blocks.append(
            {"type": "section", "block_id": f"bundle_{view.id}", "text": {"type": "mrkdwn", "text": line}}
        )
        actions = buttons(view)
        if actions:
            blocks.append({"type": "actions", "block_id": f"inquiry_{view.id}_actions", "elements": actions})
    if len(items) > SHOWN:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"…and {_more(len(items) - SHOWN)}. Open the bot's *Home* tab to see {'it' if len(items) - SHOWN == 1 else 'them all'}.",
                    }
                ],
            }
        )
    return blocks
