"""Modals: the new-inquiry form (also prefilled by the message shortcut) and the small forms behind
the card's buttons. Field names double as block_id and action_id so the reader finds each value at
state.values[name][name], and inline errors (response_action=errors) are keyed by the same name."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.rendering import disputes as dispute_words
from bot.rendering import format as fmt
from bot.rendering.actions import View
from storage.refs import inquiry_ref

if TYPE_CHECKING:
    from bot.lifecycle.views import InquiryView


Block = dict[str, Any]

KIND = "kind"
SUBJECT = "subject"
CUSTOMER_NAME = "customer_name"
CUSTOMER_CONTACT = "customer_contact"
RECEIVED = "received_at"
COMPLEXITY = "complexity"
NEEDS_RESEARCH = "needs_research"
ASSIGNEE = "assignee"
DUE = "due"
DUE_REASON = "due_reason"
EXPECT = "expect"
NOTE = "note"
REASSIGN_TO = "reassign_to"
SCORE = "score"
COMMENT = "comment"
AWAY_START = "away_start"
AWAY_END = "away_end"
ALTERNATE = "alternate"

KIND_OPTIONS = (
    ("email", "Email"),
    ("phone", "Phone"),
    ("written", "Written (letter, mail, form)"),
    ("in-person", "In person"),
    ("slack", "Slack"),
    ("other", "Other"),
)
COMPLEXITY_OPTIONS = (
    ("simple", "Simple — stays with me"),
    ("standard", "Standard"),
    ("complex", "Complex — to specialists, announced"),
)


def _text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": fmt.plain(text, 75), "emoji": True}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


def _input(
    name: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": name,
        "label": _text(label),
        "element": {**element, "action_id": name},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": fmt.plain(hint, 150)}
    return block


def _plain(
    *,
    initial: str | None = None,
    multiline: bool = False,
    max_length: int = 500,
    placeholder: str | None = None,
) -> Block:
    element: Block = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = _text(placeholder)
    return element


def _modal(callback: View, title: str, submit: str, blocks: list[Block], metadata: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": str(callback),
        "title": _text(fmt.plain(title, 24)),
        "submit": _text(submit),
        "close": _text("Cancel"),
        "blocks": blocks,
        "private_metadata": metadata[:3000],
    }


def new_inquiry_modal(
    *,
    user_id: str,
    now: datetime,
    subject: str | None = None,
    kind: str = "email",
    received_at: datetime | None = None,
    source_link: str | None = None,
    metadata: str = "",
) -> dict[str, Any]:
    kind_options = [_option(v, label) for v, label in KIND_OPTIONS]
    initial_kind = next((o for o in kind_options if o["value"] == kind), kind_options[0])
    complexity_options = [_option(v, label) for v, label in COMPLEXITY_OPTIONS]
    blocks: list[Block] = [
        _input(
            KIND, "Kind", {"type": "static_select", "options": kind_options, "initial_option": initial_kind}
        ),
        _input(
            SUBJECT,
            "Subject",
            _plain(
                initial=subject,
                multiline=bool(source_link),
                max_length=500,
                placeholder="Export license status",
            ),
        ),
        _input(CUSTOMER_NAME, "Customer name", _plain(max_length=200), optional=True),
        _input(
            CUSTOMER_CONTACT,
            "Customer contact",
            _plain(max_length=200, placeholder="jane@example.gov or 202-555-0100"),
            optional=True,
        ),
        _input(
            RECEIVED,
            "Received",
            {"type": "datetimepicker", "initial_date_time": int((received_at or now).timestamp())},
            hint="When the inquiry arrived; the deadline is counted from here.",
        ),
        _input(
            COMPLEXITY,
            "Complexity",
            {"type": "static_select", "options": complexity_options, "initial_option": complexity_options[1]},
        ),
        _input(
            NEEDS_RESEARCH,
            "Research",
            {
                "type": "checkboxes",
                "options": [_option("yes", "Needs research (information not readily available)")],
            },
            optional=True,
        ),
        _input(
            ASSIGNEE,
            "Assignee",
            {"type": "users_select", "initial_user": user_id},
            optional=True,
            hint="Simple items stay with you; complex ones go to the team's specialists.",
        ),
        _input(
            DUE,
            "Established deadline",
            {"type": "datetimepicker"},
            optional=True,
            hint="Only when a supervisor or program set one; it overrides the rule.",
        ),
        _input(DUE_REASON, "Reason for the established deadline", _plain(max_length=500), optional=True),
    ]
    if source_link:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"Source: <{source_link}|the message>"}],
            }
        )
    return _modal(View.NEW_INQUIRY, "Log an inquiry", "Log", blocks, metadata)


def current_deadline(view: InquiryView, tz: str | None) -> str:
    """The deadline the item is working to now: the first response until it is given, then the
    resolution promised (or that none was)."""
    if view.first_response_at is None:
        return f"first response due {fmt.when(view.first_response_due, tz)}"
    if view.promised_resolution is None:
        return "acknowledged, no resolution date promised"
    passed = " (passed)" if view.overdue else ""
    return f"resolution promised by {fmt.when(view.promised_resolution, tz)}{passed}"


def _about(view: InquiryView, tz: str | None) -> Block:
    text = f"*{view.ref}*: {fmt.escape(view.subject)[:2500]}; {current_deadline(view, tz)}"
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def acknowledge_modal(view: InquiryView, tz: str | None, metadata: str) -> dict[str, Any]:
    blocks = [
        _about(view, tz),
        _input(
            EXPECT,
            "Resolution expected by",
            {"type": "datetimepicker"},
            optional=True,
            hint="The date you gave the customer, if any.",
        ),
        _input(NOTE, "Note", _plain(multiline=True, max_length=2000), optional=True),
    ]
    return _modal(View.ACKNOWLEDGE, f"Acknowledge {view.ref}", "Acknowledge", blocks, metadata)


def update_modal(view: InquiryView, tz: str | None, metadata: str) -> dict[str, Any]:
    blocks = [
        _about(view, tz),
        _input(NOTE, "What's the status?", _plain(multiline=True, max_length=2000)),
        _input(EXPECT, "Resolution now expected by", {"type": "datetimepicker"}, optional=True),
    ]
    return _modal(View.POST_UPDATE, f"Update {view.ref}", "Post update", blocks, metadata)


def resolve_modal(view: InquiryView, tz: str | None, metadata: str) -> dict[str, Any]:
    blocks = [
        _about(view, tz),
        _input(NOTE, "Resolution note", _plain(multiline=True, max_length=2000), optional=True),
    ]
    return _modal(View.RESOLVE, f"Resolve {view.ref}", "Resolve", blocks, metadata)


def reassign_modal(view: InquiryView, tz: str | None, metadata: str) -> dict[str, Any]:
    blocks = [_about(view, tz), _input(REASSIGN_TO, "New assignee", {"type": "users_select"})]
    return _modal(View.REASSIGN, f"Reassign {view.ref}", "Reassign", blocks, metadata)


def rate_modal(view: InquiryView, tz: str | None, metadata: str) -> dict[str, Any]:
    scores = [
        _option(str(n), f"{n} — {label}")
        for n, label in ((5, "excellent"), (4, "good"), (3, "fair"), (2, "poor"), (1, "very poor"))
    ]
    blocks = [
        _about(view, tz),
        _input(SCORE, "Customer's rating", {"type": "static_select", "options": scores}),
        _input(COMMENT, "Comment", _plain(multiline=True, max_length=2000), optional=True),
    ]
    return _modal(View.RATE, f"Rate {view.ref}", "Save", blocks, metadata)


def away_modal(now: datetime) -> dict[str, Any]:
    """Approved absence from App Home: the period and the alternate who covers it."""
    blocks = [
        _input(
            AWAY_START, "Away from", {"type": "datetimepicker", "initial_date_time": int(now.timestamp())}
        ),
        _input(
            AWAY_END,
            "Back on",
            {"type": "datetimepicker"},
            hint="Your open and new inquiries go to the alternate until then.",
        ),
        _input(ALTERNATE, "Alternate contact", {"type": "users_select"}),
    ]
    return _modal(View.AWAY, "Set away", "Set away", blocks, "{}")


DISPUTE_REASON = "dispute_reason"


def dispute_modal(inquiry_id: int, kind: str | None = None) -> dict[str, Any]:
    """Contest one of your outcomes (docs/outcomes.md): a supervisor decides, with the reason given here."""
    which = f"{dispute_words.kind(kind)} outcome" if kind else "outcome"
    what = (
        f"Dispute your {which} on {inquiry_ref(inquiry_id)}. A supervisor of your team upholds or voids it."
    )
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": fmt.escape(what)[:3000]}},
        _input(
            DISPUTE_REASON,
            "Why is this outcome wrong?",
            _plain(multiline=True, max_length=2000),
            hint="Your supervisor reads this and upholds or voids the outcome.",
        ),
    ]
    return _modal(
        View.DISPUTE,
        f"Dispute {inquiry_ref(inquiry_id)}",
        "Dispute",
        blocks,
        json.dumps({"i": inquiry_id, "k": kind}),
    )


DECISION_REASON = "decision_reason"


def decide_modal(inquiry_id: int, kind: str | None, decision: str) -> dict[str, Any]:
    """A supervisor's decision on an open dispute (docs/outcomes.md): uphold keeps the outcome, void
    takes it out of every rate; the reason is kept with it and sent to the person who disputed."""
    which = (
        f"the {inquiry_ref(inquiry_id)} {dispute_words.kind(kind)} outcome"
        if kind
        else inquiry_ref(inquiry_id)
    )
    verb = "Uphold" if decision == "uphold" else "Void"
    effect = (
        "It keeps counting as decided."
        if decision == "uphold"
        else "It leaves every rate and stays in the evidence."
    )
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": fmt.escape(f"{verb} {which}. {effect}")[:3000]},
        },
        _input(
            DECISION_REASON,
            "Your reason",
            _plain(multiline=True, max_length=2000),
            hint="The person who disputed it reads this, and the report's evidence keeps it.",
        ),
    ]
    title = f"{verb} {inquiry_ref(inquiry_id)}"
    return _modal(View.DECIDE, title, verb, blocks, json.dumps({"i": inquiry_id, "k": kind, "d": decision}))


def notice_modal(text: str) -> dict[str, Any]:
    """A modal with one message and no submit: where an App Home click has no channel to answer in."""
    return {
        "type": "modal",
        "title": _text("inquirybot"),
        "close": _text("OK"),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": fmt.escape(text)[:3000]}}],
    }
