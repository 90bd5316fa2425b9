"""The one staff rating an inquiry has (docs/record.md, "Feedback"): a later one replaces it; the
events keep every rating that was given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Feedback


def set_rating(
    *, session: Session, inquiry_id: int, score: int, comment: str | None, given_by: str, given_at: datetime
) -> int | None:
    """Store the rating; returns the score it replaced (None if it is the first). The caller holds
    the inquiry's row lock, so two ratings of one item never race here."""
    row = session.scalars(select(Feedback).where(Feedback.inquiry_id == inquiry_id)).first()
    if row is None:
        session.add(
            Feedback(
                inquiry_id=inquiry_id, score=score, comment=comment, given_by=given_by, given_at=given_at
            )
        )
        return None
    replaced = row.score
    row.score, row.comment, row.given_by, row.given_at = score, comment, given_by, given_at
    return replaced
