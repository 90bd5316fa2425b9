"""Nudges go to whoever holds the item when they are sent (docs/outcomes.md): a reminder queued for
the assignee (quiet hours, pacing, a retry) may wait while the item changes hands — a reassignment,
an absence beginning — so the deliverer readdresses it, just before sending, to the holder then.
A supervisor's copy of an overdue notice (or a level-2 DM) goes, the same way, to whoever stands in
for that supervisor then: their alternate, when an absence began while it waited."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.delivery.rows import ClaimedRow
from storage.queries.holders import holders_now, readdress, stand_ins_now
from storage.session import SessionFactory, transaction

ASSIGNEE_ROLE = (
    ":assignee"  # the outbox key's last part for the assignee's copy (bot/scheduling/reminder_pass.py)
)


def _supervisor(row: ClaimedRow) -> str | None:
    """The supervisor a scheduled reminder was meant for (its key's role), else None."""
    if row.inquiry_id is None or not row.key.startswith("inq:"):
        return None
    _, _, role = row.key.rpartition(":")
    return role.removeprefix("sup-") if role.startswith("sup-") else None


def to_holders(
    sessions: SessionFactory, rows: list[ClaimedRow], now: datetime, worker: str
) -> list[ClaimedRow]:
    """The claimed rows, each assignee reminder addressed to the item's holder at `now`, each
    supervisor's copy to whoever stands in for that supervisor at `now`."""
    personal = {
        r.id: r.inquiry_id for r in rows if r.inquiry_id is not None and r.key.endswith(ASSIGNEE_ROLE)
    }
    supervised = {r.id: sup for r in rows if (sup := _supervisor(r)) is not None}
    if not personal and not supervised:
        return rows
    with transaction(sessions) as s:
        holders = holders_now(s, personal.values(), now)
        stand_ins = stand_ins_now(s, supervised.values(), now)
        moved = {}
        for r in rows:
            if r.id in supervised:
                target: str | None = stand_ins.get(supervised[r.id])
            elif r.id in personal:
                target = holders.get(personal[r.id])
            else:
                continue
            if target is not None and target != r.channel:
                readdress(s, r.id, target, worker)
                moved[r.id] = replace(r, channel=target)
    return [moved.get(r.id, r) for r in rows]
