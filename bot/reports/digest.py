"""The weekly team digest's content (PRODUCT §4). The scheduler (bot/digest_schedule.py) decides when
and queues it once through the outbox; this module only says what it contains.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Config, Team
from bot.rendering.report import MAX_BLOCKS, digest_blocks, digest_text
from bot.reports.build import Report, build_report
from bot.reports.metrics import Metrics
from bot.reports.periods import Period

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


def collect_digest(session: Session, config: Config, team: str | Team, week_start: date | datetime,
                   now: datetime) -> Digest:
    team = config.team(team) if isinstance(team, str) else team
    week = week_period(week_start, team)
    report = build_report(session, config, kind="team", subject=team.name, period=week, now=now,
                          evidence_limit=EVIDENCE_LIMIT)
    before = build_report(session, config, kind="team", subject=team.name, period=week.previous(), now=now,
                          detail=False)
    return Digest(team.name, report, before.totals)


def build_digest(session: Session, config: Config, team: str | Team, week_start: date | datetime,
                 now: datetime) -> tuple[str, list[dict[str, Any]]]:
    """(text, blocks) of a team's digest for the week starting `week_start` (its Monday), the
    chart (12-week trend, each person's week) among the blocks as a file to upload (bot/uploads.py)."""
    from bot.reports.chart import chart_file_block

    digest = collect_digest(session, config, team, week_start, now)
    blocks = digest_blocks(digest)
    chart = chart_file_block(session, config, digest.report, now)
    if chart is not None:  # after the figures, before the lists; the last block (the band) stays
        blocks = [*blocks[:4], chart, *blocks[4:]]
        if len(blocks) > MAX_BLOCKS:
            blocks = [*blocks[: MAX_BLOCKS - 1], blocks[-1]]
    return digest_text(digest), blocks
