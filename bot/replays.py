"""A request delivered twice changes nothing the second time (docs/record.md).

Each signed request is known by up to three keys: its signature (Slack signs the timestamp and the
body, and refuses a timestamp more than five minutes off, so an equal signature inside that window
is the same request), its trigger_id (one per user gesture), and for a modal submission the view
id with its hash (the same form state submitted twice). The first delivery claims all of its keys
in the database before it is acted on; a delivery that finds any of them claimed is a replay.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from storage.queries.request_receipts import claim_all, forget_all_before, release_all
from storage.session import SessionFactory

# Signatures older than Slack's window are refused before they get here, so a key need only
# outlive it; an hour leaves room for clock skew between replicas.
KEEP = timedelta(hours=1)
PRUNE_EVERY = 500


def request_keys(body: Mapping[str, Any], signature: str | None) -> list[str]:
    """The keys that identify this request (none for events: they are deduplicated by event_id)."""
    if body.get("type") in ("event_callback", "url_verification") or body.get("ssl_check"):
        return []
    keys = []
    if signature:
        keys.append("sig:" + hashlib.sha256(signature.encode()).hexdigest())
    trigger = body.get("trigger_id")
    if trigger:
        keys.append(f"trigger:{str(trigger)[:180]}")
    view = body.get("view") if body.get("type") == "view_submission" else None
    if isinstance(view, Mapping) and view.get("id") and view.get("hash"):
        keys.append(f"view:{str(view['id'])[:60]}:{str(view['hash'])[:120]}")
    return keys


class Receipts:
    """Claims and releases request keys; old keys are forgotten now and then. One per app, built by
    the composition root (inquirybot/bootstrap.py)."""

    def __init__(self, sessions: SessionFactory):
        self.sessions = sessions
        self._count = itertools.count(1)

    def first_delivery(self, keys: list[str], now: datetime) -> bool:
        if not keys:
            return True
        if not claim_all(self.sessions, keys, now):
            return False
        if next(self._count) % PRUNE_EVERY == 0:
            forget_all_before(self.sessions, now - KEEP)
        return True

    def release(self, keys: list[str]) -> None:
        if keys:
            release_all(self.sessions, keys)
