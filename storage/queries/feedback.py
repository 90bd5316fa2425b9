"""The one staff rating an inquiry has (docs/record.md, "Feedback"): a later one replaces it; the
events keep every rating that was given."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Feedback
from storage.queries import tallies


def set_rating(
    *,
    session: Session,
    inquiry_id: int,
    owner: tuple[str, str],
    score: int,
    comment: str | None,
    given_by: str,
    given_at: datetime,
) -> int | None:
    """Store the rating; returns the score it replaced (None if it is the first). `owner` is the
    item's (team, accountable person) as stored: reports count the rating for them (tallies.py).
    The caller holds the inquiry's row lock, so two ratings of one item never race here."""
    row = session.scalars(select(Feedback).where(Feedback.inquiry_id == inquiry_id)).first()
    tallies.count_rating(session, owner, given_at, score, 1)
    if row is None:
        session.add(
            Feedback(
                inquiry_id=inquiry_id, score=score, comment=comment, given_by=given_by, given_at=given_at
            )
        )
        return None
    replaced = row.score
    tallies.count_rating(session, owner, row.given_at, replaced, -1)
    row.score, row.comment, row.given_by, row.given_at = score, comment, given_by, given_at
    return replaced
