"""Claims on the keys of a signed request (docs/record.md, "Replays change nothing"). The keys are
primary keys, so of two deliveries of one request, on any replicas, exactly one claims them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import RequestReceipt
from storage.session import SessionFactory, transaction


def claim(*, session: Session, keys: Sequence[str], now: datetime) -> None:
    """Record every key, in the caller's transaction; a key recorded before makes the commit (or
    this flush) raise IntegrityError, and then nothing of the transaction is kept. No read first:
    the first delivery, by far the common case, costs one INSERT."""
    session.add_all([RequestReceipt(key=key, received_at=now) for key in keys])
    session.flush()


def claim_all(sessions: SessionFactory, keys: Sequence[str], now: datetime) -> bool:
    """Claim every key in a transaction of its own: True if this delivery claimed them, False if
    any was claimed before (then none of them is recorded again: the whole claim rolled back).
    Other database errors (busy, down) are the caller's to handle."""
    try:
        with transaction(sessions) as session:
            claim(session=session, keys=keys, now=now)
    except IntegrityError:
        return False
    return True


def release(*, session: Session, keys: Sequence[str]) -> None:
    """Forget keys of a request that changed nothing (a form answered with errors), so the
    corrected form can be sent again."""
    if keys:
        session.execute(delete(RequestReceipt).where(RequestReceipt.key.in_(keys)))


def release_all(sessions: SessionFactory, keys: Sequence[str]) -> None:
    with transaction(sessions) as session:
        release(session=session, keys=keys)


def forget_before(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(RequestReceipt).where(RequestReceipt.received_at < before))
    return cast(CursorResult[Any], result).rowcount or 0  # a DELETE's result is a cursor's


def forget_all_before(sessions: SessionFactory, before: datetime) -> int:
    with transaction(sessions) as session:
        return forget_before(session=session, before=before)
