"""Ratings of an inquiry: the staff rating (one per inquiry), and the customer's, given on the page
their private feedback link opens (docs/customer-feedback.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        # One staff rating per inquiry: a later one replaces it (both stay in the events; docs/record.md).
        Index("ix_feedback_inquiry", "inquiry_id", unique=True),
        Index("ix_feedback_given_at", "given_at"),  # a report's feedback quotes, newest first
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    given_by: Mapped[str] = mapped_column(String(32))
    given_at: Mapped[datetime]


class CustomerFeedbackLink(Base):
    """The customer's private feedback link of one inquiry: a random token, nothing derived from
    the id or the customer (docs/customer-feedback.md). Created when first shown; never changed."""

    __tablename__ = "customer_feedback_links"

    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(32))


class CustomerRating(Base):
    """A rating the customer gave on the feedback page. Append-only: a later one replaces an
    earlier one in reports (the newest per inquiry counts), both stay here and in the events."""

    __tablename__ = "customer_ratings"
    __table_args__ = (
        Index("ix_customer_ratings_inquiry", "inquiry_id", "id"),
        Index("ix_customer_ratings_given_at", "given_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    given_at: Mapped[datetime]
