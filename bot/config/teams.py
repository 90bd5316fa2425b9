"""The teams configuration as the bot reads it: frozen Team and Config values (a team's calendar,
policy, people, channels, digest, thresholds and reminders) and the look-ups on them — a user's
team, who is an admin, who supervises whom, who may see whose record. Built from the TOML file by
loading.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from bot.errors import ConfigError
from bot.time.calendar import BusinessCalendar
from bot.time.durations import Duration, parse_duration
from bot.time.policies import Policy


@dataclass(frozen=True)
class Reminders:
    """When nudges and escalations fire (all in the team's business time)."""

    nudge_fraction: float = 0.5  # first nudge at this share of the first-response window
    nudge_before: Duration = field(default_factory=lambda: parse_duration("1 business hours"))
    level2_after: Duration = field(default_factory=lambda: parse_duration("1 business days"))
    update_before_promised: Duration = field(default_factory=lambda: parse_duration("1 business days"))
    stale_after: Duration = field(default_factory=lambda: parse_duration("5 business days"))
    # Nudges due within this many minutes of a pass go with it, so a person's reminders of one
    # afternoon arrive as a few lists (docs/messages.md). 0: each at its own instant.
    gather_minutes: int = 0


@dataclass(frozen=True)
class Digest:
    enabled: bool = True
    weekday: int = 0  # Monday
    at: time = time(9, 0)


@dataclass(frozen=True)
class Thresholds:
    meets: float = 0.90
    exceeds: float = 0.98


@dataclass(frozen=True)
class Team:
    name: str
    calendar: BusinessCalendar
    policy: Policy
    members: tuple[str, ...] = ()
    supervisors: tuple[str, ...] = ()
    specialists: tuple[str, ...] = ()
    channel: str | None = None
    escalation_channel: str | None = None
    digest: Digest = field(default_factory=Digest)
    thresholds: Thresholds = field(default_factory=Thresholds)
    reminders: Reminders = field(default_factory=Reminders)

    @property
    def timezone(self) -> str:
        return self.calendar.tz_name

    def everyone(self) -> tuple[str, ...]:
        seen = dict.fromkeys(self.members + self.supervisors + self.specialists)
        return tuple(seen)


@dataclass(frozen=True)
class Config:
    teams: Mapping[str, Team]
    default_team: str
    admins: frozenset[str] = frozenset()
    primary_team: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # [names]: user id -> display name

    def team(self, name: str) -> Team:
        try:
            return self.teams[name]
        except KeyError:
            known = ", ".join(sorted(self.teams))
            raise ConfigError(f"unknown team {name!r}; known teams: {known}") from None

    def team_or_default(self, name: str) -> Team:
        """The team an inquiry or message was stored under; one since removed from the config falls
        back to the default team (stored rows outlive configuration changes)."""
        return self.teams.get(name) or self.teams[self.default_team]

    def team_of(self, user_id: str) -> Team:
        """A user's primary team; users not listed anywhere belong to the default team."""
        return self.teams[self.primary_team.get(user_id, self.default_team)]

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    def on_a_team(self, user_id: str) -> bool:
        """Someone work may be handed to (docs/decisions.md "Work goes only to people of a team"):
        listed in a team or an admin; when the default team lists no members it takes everyone the
        config does not list elsewhere, so then anyone is."""
        return (
            self.is_admin(user_id)
            or not self.teams[self.default_team].members
            or any(user_id in team.everyone() for team in self.teams.values())
        )

    def supervises(self, user_id: str, team: str) -> bool:
        return user_id in self.teams[team].supervisors or self.is_admin(user_id)

    def can_see_user(self, viewer: str, subject: str) -> bool:
        """Employees see their own record, supervisors their team's, admins everyone's."""
        return (
            viewer == subject or self.is_admin(viewer) or self.supervises(viewer, self.team_of(subject).name)
        )
