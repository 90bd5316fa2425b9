"""Cached users.info answers: a user's time zone and name, so replies show their local time
without asking Slack on every request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import UserProfile


def get_profile(*, session: Session, user_id: str) -> UserProfile | None:
    return session.get(UserProfile, user_id)


def cached_zone(*, session: Session, user_id: str, fresh_after: datetime) -> tuple[bool, str | None]:
    """(True, zone) if a profile was fetched after `fresh_after` — zone may be None when Slack had
    none for this user — else (False, None): time to ask Slack again."""
    row = session.execute(
        select(UserProfile.tz).where(UserProfile.user_id == user_id, UserProfile.fetched_at >= fresh_after)
    ).first()
    return (False, None) if row is None else (True, row.tz)


def save_profile(
    *, session: Session, user_id: str, name: str | None, tz: str | None, fetched_at: datetime
) -> None:
    """Insert or refresh one profile (a concurrent insert of the same user is harmless: last one wins)."""
    row = session.get(UserProfile, user_id)
    if row is None:
        session.add(UserProfile(user_id=user_id, name=name, tz=tz, fetched_at=fetched_at))
    else:
        row.name, row.tz, row.fetched_at = name, tz, fetched_at


def display_names(*, session: Session, user_ids: list[str]) -> dict[str, str]:
    """The cached names of these users (those we know), for labels a screen reader reads aloud."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(UserProfile.user_id, UserProfile.name).where(
            UserProfile.user_id.in_(user_ids), UserProfile.name.is_not(None)
        )
    )
    return {user: name for user, name in rows}


def known_names(*, session: Session, user_ids: list[str]) -> dict[str, str]:
    """Display names from cached profiles, for the ids that have one."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(UserProfile.user_id, UserProfile.name).where(UserProfile.user_id.in_(user_ids))
    )
    return {user_id: name for user_id, name in rows if name}


def cached_zones(*, session: Session, user_ids: list[str]) -> dict[str, str | None]:
    """The cached time zone of each of these users that has a profile."""
    rows = session.execute(
        select(UserProfile.user_id, UserProfile.tz).where(UserProfile.user_id.in_(user_ids))
    )
    return {user_id: tz for user_id, tz in rows}
