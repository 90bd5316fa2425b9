"""Absences (away / back). An absence is active at t when starts_at <= t < its effective end
(ended_at if the person came back early, else ends_at)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from storage.models import Absence


def _active_at(at: datetime) -> ColumnElement[bool]:
    return and_(
        Absence.starts_at <= at,
        Absence.ends_at > at,
        or_(Absence.ended_at.is_(None), Absence.ended_at > at),
    )


# Built once: asked on every log and permission check, so its SQL cache key is computed once.
_ACTIVE_FOR_USER = (
    select(Absence)
    .where(Absence.user_id == bindparam("user_id"), _active_at(bindparam("at", type_=Absence.starts_at.type)))
    .order_by(Absence.starts_at.desc(), Absence.id.desc())
    .limit(1)
)


def active_absence(*, session: Session, user_id: str, at: datetime) -> Absence | None:
    """The user's absence in force at `at` (the latest-starting one if several overlap)."""
    return session.scalars(_ACTIVE_FOR_USER, {"user_id": user_id, "at": at}).first()


def absent_among(*, session: Session, users: Sequence[str], at: datetime) -> set[str]:
    """Which of these users are away at `at` (one query for a whole list)."""
    query = select(Absence.user_id).where(Absence.user_id.in_(list(users)), _active_at(at))
    return set(session.scalars(query))


def active_absences(*, session: Session, at: datetime) -> list[Absence]:
    return list(session.scalars(select(Absence).where(_active_at(at)).order_by(Absence.id)))


def overlapping_absences(*, session: Session, user_id: str, start: datetime, end: datetime) -> list[Absence]:
    """Absences of the user that still cover some instant of [start, end)."""
    query = select(Absence).where(
        Absence.user_id == user_id,
        Absence.starts_at < end,
        Absence.ends_at > start,
        or_(Absence.ended_at.is_(None), Absence.ended_at > start),
        or_(Absence.ended_at.is_(None), Absence.ended_at > Absence.starts_at),
    )
    return list(session.scalars(query.order_by(Absence.starts_at)))

