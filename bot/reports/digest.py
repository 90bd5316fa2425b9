"""The weekly team digest's content (docs/reports.md). The scheduler (bot/scheduling/digests.py) decides when
and queues it once through the outbox; this module only says what it contains; its words are in bot/rendering/digest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.config.teams import Config, Team
from bot.reports.build import Report, build_report
from bot.reports.metrics import Metrics
from bot.reports.periods import Period
from storage.session import Session

EVIDENCE_LIMIT = 15  # a digest is a glance; the full lists are in `/inquiry report team`


@dataclass(frozen=True)
class Digest:
    team: str
    report: Report  # the week: Monday to Sunday in the team's zone
    previous: Metrics  # the week before, for the change


def week_period(week_start: date | datetime, team: Team) -> Period:
    """The Monday-to-Sunday week starting on `week_start` (a date, or an instant read in the team's zone)."""
    day = week_start.astimezone(team.calendar.tz).date() if isinstance(week_start, datetime) else week_start
    return Period(day, day + timedelta(days=6), f"week {day.isocalendar().week}")


def collect_digest(
    session: Session, config: Config, team: str | Team, week_start: date | datetime, now: datetime
) -> Digest:
    team = config.team(team) if isinstance(team, str) else team
    week = week_period(week_start, team)
    report = build_report(
        session, config, kind="team", subject=team.name, period=week, now=now, evidence_limit=EVIDENCE_LIMIT
    )
    before = build_report(
        session, config, kind="team", subject=team.name, period=week.previous(), now=now, detail=False
    )
    return Digest(team.name, report, before.totals)
