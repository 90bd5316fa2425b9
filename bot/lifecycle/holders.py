"""Nudges go to whoever holds the item when they are sent (docs/outcomes.md): a reminder queued for
the assignee (quiet hours, pacing, a retry) may wait while the item changes hands — a reassignment,
an absence beginning — so the deliverer readdresses it, just before sending, to the holder then."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.delivery.rows import ClaimedRow
from storage.queries.holders import holders_now, readdress
from storage.session import SessionFactory, transaction

ASSIGNEE_ROLE = (
    ":assignee"  # the outbox key's last part for the assignee's copy (bot/scheduling/reminder_pass.py)
)


def to_holders(
    sessions: SessionFactory, rows: list[ClaimedRow], now: datetime, worker: str
) -> list[ClaimedRow]:
    """The claimed rows, each assignee reminder addressed to the item's holder at `now`."""
    personal = [r for r in rows if r.inquiry_id is not None and r.key.endswith(ASSIGNEE_ROLE)]
    if not personal:
        return rows
    with transaction(sessions) as s:
        holders = holders_now(s, [r.inquiry_id for r in personal if r.inquiry_id is not None], now)
        moved = {}
        for r in personal:
            holder = holders.get(r.inquiry_id) if r.inquiry_id is not None else None
            if holder is not None and holder != r.channel:
                readdress(s, r.id, holder, worker)
                moved[r.id] = replace(r, channel=holder)
    return [moved.get(r.id, r) for r in rows]
