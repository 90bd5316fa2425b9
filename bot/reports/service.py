"""Reports for the Slack layer (`/inquiry report [me|team|@user] [period]`, App Home), with authorization.

An employee sees their own numbers; a supervisor sees their team's, and each person's who belongs
to a team they supervise; an admin sees everyone's. A refused request raises Forbidden saying why.
"""

from __future__ import annotations

import re

from bot.config.teams import Config
from bot.errors import Forbidden, InputError
from bot.reports.build import Report, build_report, report_zone
from bot.reports.periods import Period, parse_period
from bot.reports.readers import open_readers
from bot.time.clock import Clock
from storage.queries.report_people import in_record
from storage.session import Session, SessionFactory, read_only

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>|@?([A-Za-z0-9._-]+)")


def require_known(session: Session, config: Config, user: str) -> None:
    """A report on someone the config and the record have never heard of is a mistyped id, not a
    person with "No rating": say so rather than show an empty report that reads as a real one."""
    known = config.is_admin(user) or any(user in team.everyone() for team in config.teams.values())
    if not known and not in_record(session=session, user=user):
        raise InputError(
            f"{user} is in no team and has nothing in the record; check the id (a Slack user id, e.g. U0ALICE)"
        )


class ReportService:
    def __init__(self, sessions: SessionFactory, config: Config, clock: Clock):
        self.factory = sessions
        self.sessions = read_only(sessions)  # a long report must not hold SQLite's write lock
        self.config = config
        self.clock = clock

    def report(
        self, *, actor: str, subject: str = "me", period_text: str | None = None, evidence_limit: int = 20
    ) -> Report:
        """subject: "me" | "team" | "all" | a team name | a user id ("U123", "@U123", "<@U123|bob>")."""
        kind, name = self.authorize(actor, subject)
        if kind == "person" and name != actor:
            with self.sessions() as session:
                require_known(session, self.config, name)
        period = self.period(kind, name, period_text)
        with open_readers(self.factory) as readers:
            return build_report(
                readers,
                self.config,
                kind=kind,
                subject=name,
                period=period,
                now=self.clock.now(),
                evidence_limit=evidence_limit,
            )

    def on_time(self, *, actor: str) -> Report:
        """The actor's own counts for the current rating period (App Home): no evidence, no percentiles."""
        period = self.period("person", actor, None)
        with self.sessions() as session:
            return build_report(
                session,
                self.config,
                kind="person",
                subject=actor,
                period=period,
                now=self.clock.now(),
                detail=False,
            )

    def period(self, kind: str, name: str, text: str | None) -> Period:
        tz = report_zone(self.config, kind, name).calendar.tz
        return parse_period(text, today=self.clock.now().astimezone(tz).date())

    def authorize(self, actor: str, subject: str) -> tuple[str, str]:
        """(kind, name) the actor may see, or Forbidden naming the rule."""
        config = self.config
        word = (subject or "me").strip()
        key = word.lower()
        if key in ("me", "mine", "my", "self", ""):
            return "person", actor
        if key in ("all", "everyone", "all teams"):
            if config.is_admin(actor):
                return "all", "all"
            raise Forbidden(
                "only admins see every team's numbers; try `/inquiry report team` or `/inquiry report me`"
            )
        if key == "team" or word in config.teams:
            team = config.team_of(actor).name if key == "team" else word
            if config.supervises(actor, team):
                return "team", team
            raise Forbidden(
                f"only supervisors of team {team} and admins see the team's numbers; "
                "you can see your own with `/inquiry report me`"
            )
        match = _MENTION.fullmatch(word)
        if not match:
            raise InputError(
                f"report for {word!r}: say me, team or an @person", example="/inquiry report @bob last week"
            )
        user = match.group(1) or match.group(2)
        if user == actor:
            return "person", actor
        if self.can_see(actor, user):
            return "person", user
        raise Forbidden(
            f"only <@{user}> themselves, a supervisor of their team and admins see their numbers; "
            "you can see your own with `/inquiry report me`"
        )

    def can_see(self, viewer: str, subject: str) -> bool:
        config = self.config
        if config.can_see_user(viewer, subject):
            return True
        return any(
            subject in team.everyone() and viewer in team.supervisors for team in config.teams.values()
        )
