"""Wording for closures declared while the bot runs: the reason a deadline moved, the holder's DM,
the team channel's note, and the list (docs/closures.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.rendering.format import when as _when
from bot.time.instants import date_range, time_of_day

if TYPE_CHECKING:
    from bot.time.closures import Closure

MAX_ITEMS_IN_DM = 10


def days(first: date, last: date) -> str:
    """'Thu 10 Dec 2026' or 'Thu 1 Oct – Thu 12 Nov 2026'."""
    return date_range(first, last)


def when(t: datetime, zone: ZoneInfo) -> str:
    return _when(t, zone, clock24=True)  # the one formatter; notices read as a record


def who(actor: str | None) -> str:
    """A Slack user as a mention; anyone else (the CLI's `cli:alice`) by name, as Slack cannot mention them."""
    actor = actor or "someone"
    return f"<@{actor}>" if re.fullmatch(r"[UW][A-Z0-9]+", actor) else actor


def headline(closure: Closure) -> str:
    """'Office closed Thu 10 Dec 2026 (weather)' / 'Delayed arrival (opens 11:00) Thu 10 Dec 2026 (weather)'."""
    what = "Office closed" if not closure.partial else closure.what()[0].upper() + closure.what()[1:]
    scope = f" for team {closure.team}" if closure.team else ""
    return f"{what} {days(closure.first_day, closure.last_day)}{scope} ({closure.reason})"


def move_reason(closure: Closure, action: str, actor: str, at: datetime, zone: ZoneInfo) -> str:
    """Why a deadline moved, as stored with the new version and shown by `explain`:
    'office closed: weather, declared by <@U1> at 05:10'."""
    clock = time_of_day(at, zone)
    what = "office closed" if not closure.partial else closure.what()
    if action == "cancelled":
        return (
            f"closure #{closure.id} ({what}: {closure.reason}, {days(closure.first_day, closure.last_day)}) "
            f"cancelled by {who(actor)} at {clock}"
        )
    return f"{what}: {closure.reason}, declared by {who(actor)} at {clock}"


def holder_dm(reason: str, moves: Sequence[tuple[str, datetime, datetime]], zone: ZoneInfo) -> str:
    """One message per holder: each moved item (ref, was, now)."""
    n = len(moves)
    lines = [
        f"{'An item' if n == 1 else f'{n} items'} of yours got a new first-response deadline ({reason}):"
    ]
    for ref, was, now in list(moves)[:MAX_ITEMS_IN_DM]:
        lines.append(f"• {ref}: now due {when(now, zone)} (was {when(was, zone)})")
    if n > MAX_ITEMS_IN_DM:
        lines.append(f"…and {n - MAX_ITEMS_IN_DM} more; see `/inquiry list`")
    return "\n".join(lines)


def team_note(
    closure: Closure,
    action: str,
    moved: int,
    earliest: datetime | None,
    latest: datetime | None,
    actor: str,
    zone: ZoneInfo,
) -> str:
    """The team channel's note: how many items moved and to when."""
    head = headline(closure)
    head = (
        f"{head}, declared by {who(actor)}"
        if action == "declared"
        else f"Cancelled: {head[0].lower()}{head[1:]}, by {who(actor)}"
    )
    if moved == 0 or earliest is None or latest is None:
        return f"{head}. No pending deadline moved."
    items = "1 item" if moved == 1 else f"{moved} items"
    span = (
        f"now due {when(earliest, zone)}"
        if earliest == latest
        else f"now due between {when(earliest, zone)} and {when(latest, zone)}"
    )
    return f"{head}. {items} moved; first responses {span}."


def declared(closure: Closure, action: str, moved: int, teams: Sequence[str]) -> str:
    """The reply to whoever declared or cancelled it."""
    verb = "Declared" if action == "declared" else "Cancelled"
    where = "every team" if closure.team is None else f"team {closure.team}"
    return (
        f"{verb} closure #{closure.id}: {headline(closure)} — {where}; "
        f"{moved} pending deadline{'s' if moved != 1 else ''} re-planned."
    )


def already_declared(closure: Closure) -> str:
    """Refusing a closure identical to a live one (same team, days and times), naming that one."""
    return (
        f"closure #{closure.id} already declares that: {headline(closure)}, declared by "
        f"{who(closure.declared_by)}; nothing stored (to change its reason, cancel #{closure.id} "
        "and declare it again)"
    )


def listing(closures: Sequence[Closure], zone: ZoneInfo) -> str:
    if not closures:
        return "No closures have been declared. Declare one with `/inquiry closure add <date> <reason>`."
    lines = []
    for c in closures:
        state = (
            f"cancelled by {who(c.cancelled_by)} {when(c.cancelled_at, zone)}" if c.cancelled_at else "live"
        )
        lines.append(
            f"#{c.id} {headline(c)} — declared by {who(c.declared_by)} {when(c.declared_at, zone)}; {state}"
        )
    return "\n".join(lines)


def done(message: str) -> str:
    """The Slack reply to the admin who declared or cancelled a closure (the CLI prints the message bare)."""
    return f":white_check_mark: {message}"
