"""The customer's feedback link and ratings (docs/customer-feedback.md). No business rules here."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import CustomerFeedbackLink, CustomerRating, Inquiry
from storage.queries.reports import Scope, Window, accountable, between, scoped


class LinkedInquiry(NamedTuple):
    """What the feedback page may know of an inquiry: no subject, no customer."""

    id: int
    team: str
    status: str
    assignee: str
    resolved_at: datetime | None


class RatingRow(NamedTuple):
    id: int
    score: int
    comment: str | None
    given_at: datetime


def token_of(*, session: Session, inquiry_id: int) -> str | None:
    return session.scalar(
        select(CustomerFeedbackLink.token).where(CustomerFeedbackLink.inquiry_id == inquiry_id)
    )


def tokens_of(*, session: Session, inquiry_ids: list[int]) -> dict[int, str]:
    """The links the given items already have (no link is made here)."""
    if not inquiry_ids:
        return {}
    rows = session.execute(
        select(CustomerFeedbackLink.inquiry_id, CustomerFeedbackLink.token).where(
            CustomerFeedbackLink.inquiry_id.in_(inquiry_ids)
        )
    )
    return {inquiry_id: token for inquiry_id, token in rows}


def add_link(*, session: Session, inquiry_id: int, token: str, at: datetime, by: str) -> str:
    """Store the item's token, or return the one another request stored first (one per inquiry):
    INSERT … ON CONFLICT DO NOTHING on both databases, so a race costs no error and no savepoint."""
    dialect = session.get_bind().dialect.name
    make = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        make(CustomerFeedbackLink)
        .values(inquiry_id=inquiry_id, token=token, created_at=at, created_by=by)
        .on_conflict_do_nothing()
    )
    return token_of(session=session, inquiry_id=inquiry_id) or token


def inquiry_by_token(*, session: Session, token: str, for_update: bool = False) -> LinkedInquiry | None:
    query = (
        select(Inquiry.id, Inquiry.team, Inquiry.status, Inquiry.assignee, Inquiry.resolved_at)
        .join(CustomerFeedbackLink, CustomerFeedbackLink.inquiry_id == Inquiry.id)
        .where(CustomerFeedbackLink.token == token)
    )
    if for_update:  # submissions for one item queue here (PostgreSQL; SQLite has one writer anyway)
        query = query.with_for_update(of=Inquiry)
    row = session.execute(query).first()
    return None if row is None else LinkedInquiry(*row)


def latest_rating(*, session: Session, inquiry_id: int) -> RatingRow | None:
    row = session.execute(
        select(CustomerRating.id, CustomerRating.score, CustomerRating.comment, CustomerRating.given_at)
        .where(CustomerRating.inquiry_id == inquiry_id)
        .order_by(CustomerRating.id.desc())
        .limit(1)
    ).first()
    return None if row is None else RatingRow(*row)


def add_rating(*, session: Session, inquiry_id: int, score: int, comment: str | None, at: datetime) -> int:
    return session.execute(
        insert(CustomerRating)
        .values(inquiry_id=inquiry_id, score=score, comment=comment, given_at=at)
        .returning(CustomerRating.id)
    ).scalar_one()


def ratings_of(*, session: Session, inquiry_id: int) -> list[RatingRow]:
    return [
        RatingRow(*r)
        for r in session.execute(
            select(CustomerRating.id, CustomerRating.score, CustomerRating.comment, CustomerRating.given_at)
            .where(CustomerRating.inquiry_id == inquiry_id)
            .order_by(CustomerRating.id)
        )
    ]


# ---- reports ------------------------------------------------------------------------------------


def _current() -> ColumnElement[bool]:
    """The ratings that count: the newest of each inquiry (a resubmission replaces the earlier one)."""
    newest = select(func.max(CustomerRating.id)).group_by(CustomerRating.inquiry_id)
    return CustomerRating.id.in_(newest)


def customer_stats(*, session: Session, scope: Scope, window: Window) -> dict[str, tuple[int, int]]:
    """(count, sum of scores) of customers' current ratings given in the period, per accountable person."""
    person = accountable()
    query = (
        select(person, func.count(), func.sum(CustomerRating.score))
        .join(Inquiry, Inquiry.id == CustomerRating.inquiry_id)
        .where(between(CustomerRating.given_at, window.start, window.end), _current())
    )
    query = scoped(query, scope).group_by(person)
    return {p: (int(n), int(total or 0)) for p, n, total in session.execute(query)}


def customer_quotes(*, session: Session, scope: Scope, window: Window, limit: int) -> list:
    """Customers' current ratings with a comment given in the period, newest first."""
    query = (
        select(
            CustomerRating.id,
            CustomerRating.inquiry_id,
            CustomerRating.score,
            CustomerRating.comment,
            CustomerRating.given_at,
            accountable().label("person"),
        )
        .join(Inquiry, Inquiry.id == CustomerRating.inquiry_id)
        .where(
            between(CustomerRating.given_at, window.start, window.end),
            _current(),
            CustomerRating.comment.is_not(None),
        )
        .order_by(CustomerRating.given_at.desc(), CustomerRating.id.desc())
        .limit(limit)
    )
    return list(session.execute(scoped(query, scope)))
