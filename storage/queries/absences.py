"""Absences (away / back). An absence is active at t when starts_at <= t < its effective end
(ended_at if the person came back early, else ends_at)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from storage.models import Absence
from storage.tables import table_of

_ABSENCES = table_of(Absence)


def active_at(at: datetime | BindParameter[Any]) -> ColumnElement[bool]:
    """An absence row in force at `at` (`at` a value or a bindparam)."""
    c = _ABSENCES.c  # table columns: usable in Core statements without pulling in the ORM
    return and_(c.starts_at <= at, c.ends_at > at, or_(c.ended_at.is_(None), c.ended_at > at))


# Built once: asked on every log and permission check, so its SQL cache key is computed once.
_ACTIVE_FOR_USER = (
    select(Absence)
    .where(Absence.user_id == bindparam("user_id"), active_at(bindparam("at", type_=Absence.starts_at.type)))
    .order_by(Absence.starts_at.desc(), Absence.id.desc())
    .limit(1)
)


def active_absence(*, session: Session, user_id: str, at: datetime) -> Absence | None:
    """The user's absence in force at `at` (the latest-starting one if several overlap)."""
    return session.scalars(_ACTIVE_FOR_USER, {"user_id": user_id, "at": at}).first()


# The same question when only the alternate matters (routing cover, permission checks): one Core
# statement and a string back, no ORM object to build on every log.
_ALTERNATE_FOR_USER = (
    select(_ABSENCES.c.alternate)
    .where(
        _ABSENCES.c.user_id == bindparam("user_id"),
        active_at(bindparam("at", type_=_ABSENCES.c.starts_at.type)),
    )
    .order_by(_ABSENCES.c.starts_at.desc(), _ABSENCES.c.id.desc())
    .limit(1)
)


def alternate_of(*, session: Session, user_id: str, at: datetime) -> str | None:
    """The alternate named by the user's absence in force at `at`; None when they are in."""
    return session.connection().execute(_ALTERNATE_FOR_USER, {"user_id": user_id, "at": at}).scalar()


def active_absences(*, session: Session, at: datetime) -> list[Absence]:
    return list(session.scalars(select(Absence).where(active_at(at)).order_by(Absence.id)))


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
