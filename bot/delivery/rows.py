"""A claimed outbox row as the deliverer holds it while sending: what bundling, the live cards and
re-addressing read (bot/delivery/bundling.py, bot/lifecycle/cards.py, bundles.py, holders.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAYBE_SENT = "no answer (maybe sent): "  # last_error prefix: look in Slack before sending again
# In the note of a row that went out in another row's list: Slack knows the message by that key.
RODE_WITH = "in the message of "
ATTEMPT_BEGAN = "attempt began "  # then the ISO instant: where a history look-up starts


@dataclass(frozen=True)
class ClaimedRow:
    id: int
    key: str
    team: str
    kind: str
    channel: str
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None
    inquiry_id: int | None
    attempts: int
    created_at: datetime
    give_up_at: datetime
    last_error: str | None
    next_attempt_at: datetime  # when it fell due: its last attempt began after this
    reclaimed: bool  # its previous owner's lease ran out mid-send

    @property
    def maybe_sent(self) -> bool:
        """Slack may already have it: an attempt began and its outcome was never recorded (the
        deliverer died mid-send, or the request got no answer). A lost claim whose row was never
        attempted is not in doubt: it is simply sent."""
        return (self.last_error or "").startswith(MAYBE_SENT)

    @property
    def carrier_key(self) -> str:
        """The key Slack knows its last attempt by: its own, or the key of the list it went in."""
        for part in (self.last_error or "").split("; "):
            if part.startswith(RODE_WITH):
                return part.removeprefix(RODE_WITH)
        return self.key


def attempt_began_after(row: ClaimedRow) -> datetime:
    """When the attempt in doubt began, as its row recorded (else when the row was queued)."""
    note = (row.last_error or "").removeprefix(MAYBE_SENT)
    if note.startswith(ATTEMPT_BEGAN):
        try:
            return datetime.fromisoformat(note.removeprefix(ATTEMPT_BEGAN).split(";")[0].strip())
        except ValueError:
            pass
    return row.created_at
