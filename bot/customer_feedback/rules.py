"""When a customer may rate an item, and what a token looks like."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from storage.inquiry_status import Status

RATING_WINDOW = timedelta(days=30)  # after resolution; until then a new rating replaces the last
TOKEN_BYTES = 24  # 192 random bits: unguessable, and nothing in it says which inquiry it is
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # what secrets.token_urlsafe(24) gives
RATEABLE = (Status.ACKNOWLEDGED, Status.RESOLVED)  # the customer has had an answer


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def well_formed(token: str) -> bool:
    return bool(_TOKEN.match(token))


def expires_at(resolved_at: datetime | None) -> datetime | None:
    return None if resolved_at is None else resolved_at + RATING_WINDOW


def accepts_ratings(status: str, resolved_at: datetime | None, now: datetime) -> bool:
    """Acknowledged items, and resolved ones up to 30 days after resolution. An item closed as a
    duplicate or withdrawn takes none (its page says it was closed, HTTP 410)."""
    if status not in RATEABLE:
        return False
    end = expires_at(resolved_at)
    return end is None or now <= end
