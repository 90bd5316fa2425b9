"""The scheduler's job for outcomes (docs/outcomes.md): a deadline that falls with no answer is
decided at the deadline, as missed, for whoever held the item then.

Each pass takes items with a fallen, undecided deadline (the queue's index on due_at, never a scan)
and locks each item as the lifecycle does before deciding, so a response racing the job decides
first or finds the miss already stored; facts have unique keys, so two racing passes store one.
"""

from __future__ import annotations

from bot.config.teams import Config
from bot.lifecycle import outcomes as decide
from bot.time.clock import Clock
from storage.queries.inquiries import load_record
from storage.queries.outcomes import due_inquiries
from storage.session import SessionFactory, transaction

BOT_ACTOR = "inquirybot"


def decide_fallen(sessions: SessionFactory, config: Config, clock: Clock, *, batch: int = 200) -> int:
    """Decide every deadline fallen by now; returns how many outcomes were stored."""
    stored, seen = 0, set()
    while True:
        with transaction(sessions) as s:
            now = clock.now()
            ids = [i for i in due_inquiries(s, now, batch) if i not in seen]
            for inquiry_id in ids:
                seen.add(inquiry_id)
                row = load_record(session=s, inquiry_id=inquiry_id, for_update=True)
                if row is None:
                    continue
                team = config.team_or_default(row.team)
                stored += decide.catch_up(s, row, now, team.calendar.business_hours_between, actor=BOT_ACTOR)
        if not ids:
            return stored
