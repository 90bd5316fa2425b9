"""Routing by complexity (docs/configuration.md) and absence cover.

simple   -> stays with whoever logged it;
standard -> the assignee named, else the logger;
complex  -> the team's specialists round-robin (the one routing has given the fewest complex items
            so far — a stored counter per team and specialist, read and bumped under a per-team
            lock — ties by config order; those away are skipped while a colleague is in),
            else the team's first supervisor, else as standard.
Whoever that is, if they are away, the item goes to their alternate (following a chain of
alternates, never in a circle).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config.teams import Config, Team
from bot.errors import InputError
from storage.queries.absences import alternate_of
from storage.queries.inquiries import count_routed, lock_routing, routing_state
from storage.session import Session


@dataclass(frozen=True)
class Route:
    assignee: str
    reason: str
    covered_for: str | None = None  # the absent person whose alternate received it


SLACKBOT = "USLACKBOT"


def require_on_a_team(config: Config, user: str, field: str) -> None:
    """Work goes only to people of a team (docs/decisions.md): someone the config does not list has
    no supervisor who would see the item's nudges, and Slackbot answers no customer."""
    if user == SLACKBOT:
        raise InputError(f"{field} <@{user}> is a bot, and a bot answers no customer; choose a person")
    if not config.on_a_team(user):
        raise InputError(
            f"{field} <@{user}> is in no team of the configuration; ask an admin to add {user} to a "
            "team's `members` (docs/configuration.md), or choose someone in a team",
            example="@bob",
        )


def route_new(
    session: Session, team: Team, *, actor: str, complexity: str, named: str | None, now: datetime
) -> Route:
    if complexity == "simple":
        chosen = Route(actor, "simple: stays with whoever logged it")
    elif complexity == "complex" and team.specialists:
        specialist, present = _next_specialist(session, team, now)
        chosen = Route(specialist, "complex: next of the team's specialists (round-robin)")
        if present:
            return chosen
    elif complexity == "complex" and team.supervisors:
        chosen = Route(team.supervisors[0], "complex: the team's supervisor (no specialists configured)")
    elif named:
        chosen = Route(named, f"{complexity}: the assignee named")
    else:
        chosen = Route(actor, f"{complexity}: whoever logged it (no assignee named)")
    return cover(session, chosen, now)


def cover(session: Session, route: Route, now: datetime) -> Route:
    """Follow alternates while the chosen person is away."""
    person, seen = route.assignee, {route.assignee}
    absent_first = None
    while (alternate := alternate_of(session=session, user_id=person, at=now)) is not None:
        if alternate in seen:
            break
        absent_first = absent_first or person
        person = alternate
        seen.add(person)
    if absent_first is None:
        return route
    return Route(person, f"{route.reason}; <@{absent_first}> is away, so their alternate", absent_first)


def _next_specialist(session: Session, team: Team, now: datetime) -> tuple[str, bool]:
    """(the specialist whose turn it is, whether they are in)."""
    # The lock makes concurrent complex logs of one team take turns, so each sees the others' counts.
    lock_routing(session=session, team=team.name)
    counts, away = routing_state(session=session, team=team.name, users=team.specialists, at=now)
    present = [u for u in team.specialists if u not in away]
    # Specialists who are away are skipped while a colleague is in; if all are away, cover applies.
    candidates = present or list(team.specialists)
    chosen = min(candidates, key=lambda user: (counts[user], team.specialists.index(user)))
    count_routed(session=session, team=team.name, user_id=chosen)
    return chosen, bool(present)
