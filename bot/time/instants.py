"""How an instant is written for people: the one time formatter (bot/rendering/format.py hands it to
the renderers; deadline plans use it for the explanations stored with a deadline)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "America/New_York"


@lru_cache(maxsize=256)
def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


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
