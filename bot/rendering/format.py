"""Small text pieces shared by every renderer: escaping, instants in the viewer's zone, labels."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from bot.time.instants import DEFAULT_TZ as DEFAULT_TZ  # re-exported: renderers write fmt.when, fmt.zone
from bot.time.instants import day as day
from bot.time.instants import when as when
from bot.time.instants import zone as zone
from storage.inquiry_status import Status

KIND_LABELS = {
    "email": "Email",
    "phone": "Phone",
    "written": "Written",
    "in-person": "In person",
    "slack": "Slack",
    "other": "Other",
}
STATUS_LABELS: dict[str, str] = {
    Status.OPEN: "Open — awaiting first response",
    Status.ACKNOWLEDGED: "Acknowledged",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}
# Slack markup we produce ourselves (mentions, channels) survives escaping; everything else is text.
_KEEP = re.compile(r"(<[@#][UWC][A-Z0-9]+(?:\|[^<>]*)?>)")


def escape(text: str | None) -> str:
    """mrkdwn-safe user text: &, < and > escaped as Slack asks, our own mention markup kept."""
    if not text:
        return ""
    parts = _KEEP.split(text)
    return "".join(
        part if i % 2 else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for i, part in enumerate(parts)
    )


def plain(text: str | None, limit: int = 150) -> str:
    """For plain_text fields (buttons, titles, options): no markup, bounded length."""
    value = (text or "").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody"


def kind(value: str) -> str:
    return KIND_LABELS.get(value, value)


def status(value: str, close_reason: str | None = None) -> str:
    if value == Status.CLOSED and close_reason:
        return f"Closed ({close_reason})"
    return STATUS_LABELS.get(value, value)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def next_due(
    first_due: datetime, answered: bool, promised: datetime | None, at: Callable[[datetime], str]
) -> str:
    """What a new holder owes next: the first response, else the promised resolution (a hand-over
    of an acknowledged item names no first-response deadline, which is behind it)."""
    if not answered:
        return f"first response due {at(first_due)}"
    if promised is not None:
        return f"resolution promised for {at(promised)}"
    return "acknowledged already, no resolution date promised yet"
