"""Small text pieces shared by every renderer: escaping, instants in the viewer's zone, labels."""
from __future__ import annotations

import re
from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "America/New_York"
KIND_LABELS = {
    "email": "Email", "phone": "Phone", "written": "Written", "in-person": "In person", "slack": "Slack",
    "other": "Other",
}
STATUS_LABELS = {
    "open": "Open — awaiting first response", "acknowledged": "Acknowledged", "resolved": "Resolved",
    "closed": "Closed",
}
# Slack markup we produce ourselves (mentions, channels) survives escaping; everything else is text.
_KEEP = re.compile(r"(<[@#][UWC][A-Z0-9]+(?:\|[^<>]*)?>)")


@lru_cache(maxsize=256)
def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


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


def when(instant: datetime | None, tz: str | tzinfo | None, *, clock24: bool = False) -> str:
    """The one formatter of instants shown to people, in the given zone (a name, or a zone itself).

    'Fri 6 Mar 2026, 5:00 PM CST' in replies and cards; clock24: 'Fri 6 Mar 2026 17:00 CST' in
    what reads as a record — deadline explanations (stored with the deadline), notices, reminders,
    errors. Both forms are pinned by tests and by explanations already stored, so both stay.
    """
    if instant is None:
        return "—"
    local = instant.astimezone(tz if isinstance(tz, tzinfo) else zone(tz))
    if clock24:
        return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local:%a} {local.day} {local:%b %Y}, {hour}:{local:%M} {local:%p} {local.tzname()}"


def day(instant: datetime | None, tz: str | None) -> str:
    """'Fri 6 Mar 2026' in the viewer's zone."""
    if instant is None:
        return "—"
    local = instant.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b %Y}"


def user(user_id: str | None) -> str:
    return f"<@{user_id}>" if user_id else "nobody"


def kind(value: str) -> str:
    return KIND_LABELS.get(value, value)


def status(value: str, close_reason: str | None = None) -> str:
    if value == "closed" and close_reason:
        return f"Closed ({close_reason})"
    return STATUS_LABELS.get(value, value)


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction * 100:.0f}%"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"
