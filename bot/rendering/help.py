"""`/inquiry help`: every subcommand with a working example."""

from __future__ import annotations

from typing import Any

from bot.rendering import format as fmt
from bot.rendering.examples import USAGE, usage
from bot.rendering.replies import Reply

GROUPS = (
    ("Log", ("log", "new")),
    (
        "Work an inquiry",
        ("ack", "update", "resolve", "close", "snooze", "reassign", "escalate", "feedback", "link"),
    ),
    ("Look", ("list", "show", "explain", "report", "help")),
    ("Absence", ("away", "back")),
    ("Outcomes: contest one that is yours; supervisors decide", ("dispute", "uphold", "void")),
    ("Admins", ("closure",)),
)
LOG_DETAIL = (
    "*Quick log*: segments separated by `;` — first `<kind> <subject>` (kind: email, phone, written, "
    "in-person, slack, other), then in any order: `from <name> <contact>`, `received <when>`, "
    "`due <when> because <reason>` (an established deadline), `assign @user`, and the words "
    "`simple`, `standard`, `complex`, `needs research`. Dates are read in your Slack time zone: "
    "“yesterday 3pm”, “Friday 5pm”, “in 3 days”, “2026-03-10 14:00”."
)


def help_reply(topic: str | None = None) -> Reply:
    if topic and topic in USAGE:
        usage_line, example = USAGE[topic]
        text = f"*/inquiry {fmt.escape(usage_line)}*\nExample: `{fmt.escape(example)}`"
        if topic == "log":
            text += "\n" + LOG_DETAIL
        return Reply(
            f"/inquiry {usage_line}", [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        )
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*inquirybot* keeps customer inquiries on their federal business-day deadlines. "
                "`/inquiry` alone opens a form.",
            },
        }
    ]
    for heading, names in GROUPS:
        lines = "\n".join(f"`{fmt.escape(usage(name))}`" for name in names)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{heading}*\n{lines}"}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": LOG_DETAIL}]})
    return Reply("inquirybot commands: " + ", ".join(USAGE), blocks)
