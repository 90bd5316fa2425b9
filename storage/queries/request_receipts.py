"""Claims on the keys of a signed request (docs/record.md, "Replays change nothing"). The keys are
primary keys, so of two deliveries of one request, on any replicas, exactly one claims them."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import RequestReceipt


def claim(*, session: Session, keys: Sequence[str], now: datetime) -> bool:
    """Record every key; True only if none was recorded before. A SAVEPOINT keeps a losing
    concurrent insert from spoiling the caller's transaction; on a loss nothing is recorded."""
    if not keys:
        return True
    if session.scalars(select(RequestReceipt.key).where(RequestReceipt.key.in_(keys)).limit(1)).first():
        return False
    try:
        with session.begin_nested():
            session.add_all([RequestReceipt(key=key, received_at=now) for key in keys])
    except IntegrityError:
        return False
    return True


def release(*, session: Session, keys: Sequence[str]) -> None:
    """Forget keys of a request that changed nothing (a form answered with errors), so the
    corrected form can be sent again."""
    if keys:
        session.execute(delete(RequestReceipt).where(RequestReceipt.key.in_(keys)))


def forget_before(*, session: Session, before: datetime) -> int:
    result = session.execute(delete(RequestReceipt).where(RequestReceipt.received_at < before))
    return result.rowcount or 0
