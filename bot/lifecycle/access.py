"""Who may act on an inquiry and who may see it (docs/decisions.md: only supervisors see others' records)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.config.teams import Config
from bot.errors import Forbidden
from bot.lifecycle import inputs
from storage.queries.absences import alternate_of
from storage.queries.inquiries import InquiryRecord
from storage.session import Session


def supervises(config: Config, user: str, team: str) -> bool:
    """Like Config.supervises, but a team since removed from the config has only admins."""
    if team not in config.teams:
        return config.is_admin(user)
    return config.supervises(user, team)


# What the logger may still do on an item they do not hold: raise the alarm. Everything that
# writes the item's record (first response, update, resolution, close, hand-over, snooze, rating)
# is for the holder, their supervisors and admins (docs/record.md, "Who may act").
LOGGER_MAY = frozenset({"escalate"})
RATING = "record feedback on"  # what `feedback` and the Rate button do (require_not_own_rating)


def holds(session: Session, actor: str, row: InquiryRecord, now: datetime) -> bool:
    """The assignee, or the alternate covering the assignee's absence right now."""
    return actor == row.assignee or alternate_of(session=session, user_id=row.assignee, at=now) == actor


def may_act(
    session: Session, config: Config, actor: str, row: InquiryRecord, now: datetime, doing: str = "change"
) -> bool:
    """The holder, a supervisor of the item's team or of the assignee, an admin; for `escalate`
    also whoever logged it."""
    if supervises(config, actor, row.team) or (
        actor != row.assignee and can_see_user(config, actor, row.assignee)
    ):
        return True
    if doing in LOGGER_MAY and actor == row.logged_by:
        return True
    return holds(session, actor, row, now)


def require_act(
    session: Session, config: Config, actor: str, row: InquiryRecord, now: datetime, doing: str
) -> None:
    if not may_act(session, config, actor, row, now, doing):
        logged = " (logging an item does not make it yours)" if actor == row.logged_by else ""
        raise Forbidden(
            f"you may not {doing} {row.ref}{logged}: only whoever holds it — its assignee <@{row.assignee}> "
            "or the alternate covering their absence — a supervisor of its team or an admin may; "
            f"ask <@{row.assignee}> or a supervisor"
        )
    if doing == RATING:
        require_not_own_rating(actor, row)


def require_not_own_rating(actor: str, row: InquiryRecord) -> None:
    """A staff-entered rating counts for the person accountable for the item; that person may not
    enter it (docs/record.md, "Feedback"). Their supervisor or an admin may, relaying what the
    customer said; the customer rates through their own link."""
    person = row.counted_for()[1]
    if actor == person:
        raise Forbidden(
            f"you may not rate {row.ref}: a rating counts for you, so it must come from someone else. "
            f"Give the customer their link to rate it themselves (`/inquiry link {row.ref}`), or ask a "
            "supervisor to enter what the customer told you"
        )


def may_see(session: Session, config: Config, viewer: str, row: InquiryRecord, now: datetime) -> bool:
    if viewer in (row.first_response_by, row.logged_by) or may_act(session, config, viewer, row, now):
        return True
    return can_see_user(config, viewer, row.assignee)


def can_see_user(config: Config, viewer: str, subject: str) -> bool:
    """Employees see themselves, supervisors their teams' people, admins everyone."""
    if viewer == subject or config.is_admin(viewer):
        return True
    return any(
        subject in team.everyone() and viewer in team.supervisors for team in config.teams.values()
    ) or config.can_see_user(viewer, subject)


def list_filters(config: Config, actor: str, scope: str, now: datetime) -> dict[str, Any]:
    """What `list <scope>` shows `actor`, as filters on the live items; Forbidden for a list of
    someone they may not see. scope: "mine" | "team" | "overdue" | a user id."""
    team = config.team_of(actor)
    lead = supervises(config, actor, team.name)
    key = scope.lower()
    if key == "mine":
        return {"assignee": actor}
    if key == "team":
        if not lead:
            raise Forbidden("only the team's supervisors see the team list; try `list mine`")
        return {"team": team.name}
    if key == "overdue":
        if config.is_admin(actor):
            return {"overdue_at": now}
        return {"overdue_at": now, **({"team": team.name} if lead else {"assignee": actor})}
    user = inputs.user(scope, "list scope")
    if not can_see_user(config, actor, user):
        raise Forbidden(f"only <@{user}>'s supervisors and admins may list their items; try `list mine`")
    return {"assignee": user}
