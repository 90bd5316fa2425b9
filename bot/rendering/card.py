"""The inquiry card: what an inquiry looks like wherever it appears (reply, DM, channel, App Home),
with the buttons that fit its current state. Pure functions of a view and the viewer's zone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.rendering import format as fmt
from bot.rendering.actions import Action
from storage.inquiry_status import LIVE, Status

if TYPE_CHECKING:
    from bot.lifecycle.views import InquiryView


Block = dict[str, Any]
HEADLINE_BLOCK = "inquiry_headline"


def button(
    text: str, action: Action, value: str, style: str | None = None, *, about: str | None = None
) -> Block:
    """`about` names what the button acts on ("INQ-12"): a screen reader moving from button to button
    hears "Acknowledge INQ-12", not a row of bare "Acknowledge"s (Slack's accessibility_label)."""
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": str(action),
        "value": value,
    }
    if about:
        element["accessibility_label"] = f"{text} {about}"[:75]
    if style:
        element["style"] = style
    return element


def buttons(view: InquiryView) -> list[Block]:
    """Buttons for the state the inquiry is in now: no button offers something that would fail."""
    value, ref = str(view.id), view.ref
    if view.status in LIVE:
        first = (
            button("Acknowledge", Action.ACKNOWLEDGE, value, "primary", about=ref)
            if view.status == Status.OPEN
            else button("Post update", Action.POST_UPDATE, value, "primary", about=ref)
        )
        return [
            first,
            button("Resolve", Action.RESOLVE, value, about=ref),
            button("Snooze 1h", Action.SNOOZE_1H, value, about=ref),
            button("Reassign", Action.REASSIGN, value, about=ref),
        ]
    # Never on the card of whom the rating would count for (docs/record.md, "Feedback").
    if view.status == Status.RESOLVED and view.viewer != view.rated_person:
        return [button("Rate this", Action.RATE, value, about=ref)]
    return []


def title(view: InquiryView) -> str:
    flag = "  :red_circle: *Overdue*" if view.overdue else ""
    return f"*{view.ref}*: {fmt.escape(view.subject)}{flag}"


def deadline_field(view: InquiryView, tz: str | None) -> str:
    if view.first_response_at is not None:
        on_time = "on time" if view.first_response_at <= view.first_response_due else "late"
        return f"*First response*\n{fmt.when(view.first_response_at, tz)} ({on_time})"
    return f"*First response due*\n{fmt.when(view.first_response_due, tz)}"


def fields(view: InquiryView, tz: str | None) -> list[Block]:
    items = [
        f"*Status*\n{fmt.status(view.status, view.close_reason)}",
        f"*Assignee*\n{fmt.user(view.assignee)}",
        deadline_field(view, tz),
        f"*Received*\n{fmt.when(view.received_at, tz)} ({fmt.kind(view.kind)})",
    ]
    customer = ", ".join(fmt.escape(part) for part in (view.customer_name, view.customer_contact) if part)
    if customer:
        items.append(f"*Customer*\n{customer}")
    if view.promised_resolution is not None:
        items.append(f"*Resolution promised*\n{fmt.when(view.promised_resolution, tz)}")
    if view.resolved_at is not None:
        items.append(f"*Resolved*\n{fmt.when(view.resolved_at, tz)}")
    return [{"type": "mrkdwn", "text": text[:2000]} for text in items]


def context(view: InquiryView, tz: str | None) -> str:
    parts = [view.complexity.capitalize()]
    if view.needs_research:
        parts.append("needs research")
    if view.established_reason:
        parts.append(f"established deadline: {fmt.escape(view.established_reason)}")
    else:
        parts.append(fmt.escape(view.rule))
    parts.append(f"logged by {fmt.user(view.logged_by)}")
    if view.escalated:
        parts.append(f"escalated (level {view.escalation_level})")
    if view.snoozed_until is not None and view.live and not getattr(view, "snooze_ended", False):
        parts.append(f"reminders snoozed until {fmt.when(view.snoozed_until, tz)}")
    if view.source_link:
        parts.append(f"<{view.source_link}|source message>")
    if getattr(view, "feedback_url", None):
        parts.append(f"customer feedback link: <{view.feedback_url}>")
    return "; ".join(parts)


def card_blocks(view: InquiryView, tz: str | None, *, headline: str | None = None) -> list[Block]:
    blocks: list[Block] = []
    if headline:
        blocks.append(
            {
                "type": "section",
                "block_id": HEADLINE_BLOCK,
                "text": {"type": "mrkdwn", "text": headline[:3000]},
            }
        )
    blocks += [
        {
            "type": "section",
            "block_id": f"inquiry_{view.id}_title",
            "text": {"type": "mrkdwn", "text": title(view)[:3000]},
        },
        {"type": "section", "block_id": f"inquiry_{view.id}_fields", "fields": fields(view, tz)},
        {
            "type": "context",
            "block_id": f"inquiry_{view.id}_context",
            "elements": [{"type": "mrkdwn", "text": context(view, tz)[:3000]}],
        },
    ]
    actions = buttons(view)
    if actions:
        blocks.append({"type": "actions", "block_id": f"inquiry_{view.id}_actions", "elements": actions})
    return blocks


def card_text(view: InquiryView, tz: str | None) -> str:
    """The one-line fallback (notifications, screen readers)."""
    if view.live:
        state = f"first response due {fmt.when(view.first_response_due, tz)}"
        if view.first_response_at is not None:
            state = "acknowledged"
            if view.promised_resolution is not None:
                state += f", resolution promised {fmt.when(view.promised_resolution, tz)}"
        if view.overdue:
            state += " — overdue"
    else:
        state = fmt.status(view.status, view.close_reason).lower()
    return f"{view.ref}: {fmt.escape(view.subject)} — {state} ({fmt.user(view.assignee)})"


def card_for(view: InquiryView, viewer_tz: str | None, headline: str | None = None) -> list[Block]:
    """The live card for an outbox message that carries an inquiry_id and no blocks (the deliverer
    calls this at delivery time, so buttons match the inquiry's state when the message goes out).
    `headline` is the message's own text shown above the card (e.g. "INQ-12 is now yours")."""
    return card_blocks(view, viewer_tz, headline=headline)
