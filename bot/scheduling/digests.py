"""When each team's weekly digest is due, and queueing it once (its content is bot.reports').

A team's digest falls on its configured weekday and time in the team's zone (default Monday
09:00). The pass that first finds this week's instant behind it queues the digest with the key
digest:<team>:<ISO week>, so any number of ticks store it once; if that instant is outside business
hours (a Monday holiday) it goes at the next opening. It covers the previous Monday-to-Sunday week.
A digest is queued until one business day after its instant; a process that was down longer (or
a fresh install on a Thursday) skips that week's digest rather than post a stale one days late.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from bot.config.teams import Config, Team
from bot.delivery.outbox import enqueue
from bot.rendering.notices import digest_unavailable
from bot.scheduling.reminders import after
from bot.time.clock import Clock
from bot.time.durations import Duration
from storage.queries.outbox import key_stored
from storage.session import Session, SessionFactory, read_only, transaction

log = logging.getLogger("inquirybot.digests")
ONE_BUSINESS_DAY = Duration(1, "business_days")


def digest_instant(team: Team, now: datetime) -> datetime:
    """The latest scheduled digest instant at or before `now`, in the team's zone."""
    tz = team.calendar.tz
    local = now.astimezone(tz)
    day = local.date() - timedelta(days=(local.weekday() - team.digest.weekday) % 7)
    at = datetime.combine(day, team.digest.at, tz)
    if at > now:
        at = datetime.combine(day - timedelta(days=7), team.digest.at, tz)
    return at


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def reported_week_start(at: datetime) -> date:
    """Monday of the week before the digest's own week."""
    day = at.date()
    return day - timedelta(days=day.weekday() + 7)


def build_text(
    session: Session, config: Config, team: Team, week_start: date, now: datetime
) -> tuple[str, list[dict[str, Any]] | None]:
    """(text, blocks) from the reports helper, else a one-line placeholder."""
    try:
        from bot.reports.digest import collect_digest  # noqa: F401 - a build without reports says so
    except ImportError:
        return digest_unavailable(team.name, week_start), None
    return build_digest(session, config, team, week_start, now)


def build_digest(
    session: Session, config: Config, team: str | Team, week_start: date | datetime, now: datetime
) -> tuple[str, list[dict[str, Any]]]:
    """(text, blocks) of a team's digest for the week starting `week_start` (its Monday): the
    numbers from bot/reports/digest.py in the words of bot/rendering/digest.py, the chart (12-week
    trend, each person's week) among the blocks as a file to upload (bot/delivery/uploads.py)."""
    from bot.rendering.digest import digest_blocks, digest_text
    from bot.rendering.long_text import MAX_BLOCKS
    from bot.reports.chart import chart_file_block
    from bot.reports.digest import collect_digest

    digest = collect_digest(session, config, team, week_start, now)
    blocks = digest_blocks(digest)
    chart = chart_file_block(session, config, digest.report, now)
    if chart is not None:  # after the figures, before the lists; the last block (the band) stays
        blocks = [*blocks[:4], chart, *blocks[4:]]
        if len(blocks) > MAX_BLOCKS:
            blocks = [*blocks[: MAX_BLOCKS - 1], blocks[-1]]
    return digest_text(digest), blocks


def run_digests(sessions: SessionFactory, config: Config, clock: Clock) -> int:
    """Queue each team's digest for this week if its time has come; returns how many were queued."""
    queued = 0
    for team in config.teams.values():
        if not team.digest.enabled or not team.channel:
            continue
        now = clock.now()
        at = digest_instant(team, now)
        if now > after(team.calendar, ONE_BUSINESS_DAY, at):
            continue
        key = f"digest:{team.name}:{week_label(at.date())}"
        # Built on a read-only session: the digest and its chart take a moment, and on SQLite a
        # write transaction would hold every Slack command meanwhile. The key keeps it to one row.
        with read_only(sessions)() as s:
            if key_stored(session=s, key=key):
                continue
            text, blocks = build_text(s, config, team, reported_week_start(at), now)
        with transaction(sessions) as s:
            if enqueue(
                s,
                key=key,
                team=team.name,
                kind="digest",
                channel=team.channel,
                text=text,
                now=now,
                not_before=team.calendar.next_opening(now),
                blocks=blocks,
            ):
                queued += 1
                log.info("queued the digest %s", key)
    return queued
