"""An inquiry's status, as stored: a StrEnum, so the stored strings ("open", ...) stay what they were
and every comparison with a plain string still holds. Here in storage/ because the queries filter
on it; bot/ imports it from here (imports run bot -> storage, never back)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    OPEN = "open"  # logged, no first response yet
    ACKNOWLEDGED = "acknowledged"  # first response given, not yet resolved
    RESOLVED = "resolved"
    CLOSED = "closed"  # ended without a resolution (duplicate, withdrawn, ...): has a close_reason


LIVE = (Status.OPEN, Status.ACKNOWLEDGED)  # still being worked: reminders run, lists show them
DONE = (Status.RESOLVED, Status.CLOSED)
