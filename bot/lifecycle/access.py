"""Who may act on an inquiry and who may see it (docs/decisions.md: only supervisors see others' records)."""
from __future__ import annotations

from datetime import datetime

from bot.config.teams import Config
from bot.errors import Forbidden
from storage.queries.absences import alternate_of
from storage.queries.inquiries import InquiryRecord
from storage.session import Session


def supervises(config: Config, user: str, team: str) -> bool:
    """Like Config.supervises, but a team since removed from the config has only admins."""
    if team not in config.teams:
        return config.is_admin(user)
    return config.supervises(user, team)


def may_act(session: Session, config: Config, actor: str, row: InquiryRecord, now: datetime) -> bool:
    """The assignee, the logger, the assignee's active alternate, the team's supervisors, admins."""
    if actor in (row.assignee, row.logged_by) or supervises(config, actor, row.team):
        return True
    return alternate_of(session=session, user_id=row.assignee, at=now) == actor


def require_act(session: Session, config: Config, actor: str, row: InquiryRecord, now: datetime, doing: str) -> None:
    if not may_act(session, config, actor, row, now):
        raise Forbidden(
            f"you may not {doing} {row.ref}: only its assignee <@{row.assignee}>, whoever logged it, "
            "the assignee's alternate, a supervisor of its team or an admin may; "
            f"ask <@{row.assignee}> or a supervisor"
        )


def may_see(session: Session, config: Config, viewer: str, row: InquiryRecord, now: datetime) -> bool:
    if viewer == row.first_response_by or may_act(session, config, viewer, row, now):
        return True
    return can_see_user(config, viewer, row.assignee)


def can_see_user(config: Config, viewer: str, subject: str) -> bool:
    """Employees see themselves, supervisors their teams' people, admins everyone."""
    if viewer == subject or config.is_admin(viewer):
        return True
    return any(subject in team.everyone() and viewer in team.supervisors for team in config.teams.values()) \
        or config.can_see_user(viewer, subject)
