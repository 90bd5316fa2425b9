"""Which claimed outbox rows go out together as one message (docs/messages.md).

The scheduler's reminders (nudges, status-update reminders, stale nudges, overdue notices) to one
person are sent as one list, however many items fell due at that moment. Each row keeps its own
dedupe key, so it is still stored once and marked sent once; only the message is shared. Rows
that may already be in Slack (a lost claim, a send without an answer) go alone, so the look-up
before a resend finds them by their key (a list's rows note the key their list went out with)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from bot.config.quiet import is_user
from bot.delivery.rows import ClaimedRow

R = TypeVar("R")

BUNDLED_KINDS = frozenset({"nudge", "overdue", "update", "stale"})
# How many claims one pass takes at most to gather a moment's rows (a claim holds `batch` rows).
MAX_CLAIMS = 20


@dataclass
class Bundle(Generic[R]):
    """One recipient's rows drawn as one message (bot/lifecycle/bundles.py draws it)."""

    keep: list[R] = field(default_factory=list)  # rows the message stands for, in order
    dropped: list[R] = field(default_factory=list)  # rows no longer worth sending
    # A kept row's text worded again at delivery, by row id: what it says depends on when it goes
    # (the 50% nudge's "8 business hours left"); a row sent alone goes with this text.
    texts: dict[int, str] = field(default_factory=dict)
    text: str = ""
    blocks: list[dict[str, Any]] | None = None  # Block Kit


def bundlable(row: ClaimedRow) -> bool:
    return row.kind in BUNDLED_KINDS and is_user(row.channel) and not row.maybe_sent and row.thread_ts is None


def group_rows(rows: Sequence[ClaimedRow]) -> list[list[ClaimedRow]]:
    """The rows as units to send, in queue order: one unit per recipient for bundlable rows
    (placed where its first row was), every other row alone."""
    units: list[list[ClaimedRow]] = []
    by_channel: dict[str, list[ClaimedRow]] = {}
    for row in rows:
        if not bundlable(row):
            units.append([row])
        elif row.channel in by_channel:
            by_channel[row.channel].append(row)
        else:
            by_channel[row.channel] = [row]
            units.append(by_channel[row.channel])
    return units


def claim_whole_moment(
    rows: list[ClaimedRow], batch: int, claim: Callable[[], list[ClaimedRow]]
) -> list[ClaimedRow]:
    """Keep claiming while claims come back full, so one person's rows of one moment are not split
    between two claims (and so two messages)."""
    claims = 1
    last = len(rows)
    while last >= batch and claims < MAX_CLAIMS:
        more = claim()
        if not more:
            break
        rows = rows + more
        last, claims = len(more), claims + 1
    return rows
