"""What the report chart shows (docs/federal.md, "Charts"): a team's on-time first-response rate in
each of the last 12 weeks, and each person's rate in the report's own period. Counts only (no
percentiles, no evidence), one report per week, so the numbers are the ones the reports give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.config.teams import Config, Team
from bot.reports.build import Report, build_report
from bot.reports.periods import Period
from storage.session import Session

WEEKS = 12


@dataclass(frozen=True)
class Rate:
    label: str  # "W36" for a week, a user id for a person
    on_time: int
    due: int

    @property
    def fraction(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class Chart:
    team: str
    period_label: str  # the period the people's rates are for
    weeks: tuple[Rate, ...]  # oldest first, the last one the week containing `last_week`
    people: tuple[Rate, ...]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_rates(
    session: Session, config: Config, team: Team, last_week: date, now: datetime, weeks: int = WEEKS
) -> tuple[Rate, ...]:
    """The team's on-time counts in the `weeks` Monday-to-Sunday weeks ending with the one holding `last_week`."""
    end = _monday(last_week)
    rates = []
    for back in range(weeks - 1, -1, -1):
        start = end - timedelta(weeks=back)
        period = Period(start, start + timedelta(days=6), f"week {start.isocalendar().week}")
        totals = build_report(
            session, config, kind="team", subject=team.name, period=period, now=now, detail=False
        ).totals
        rates.append(Rate(f"W{start.isocalendar().week}", totals.on_time, totals.deadlines))
    return tuple(rates)


def chart_for(session: Session, config: Config, report: Report, now: datetime) -> Chart | None:
    """The chart for a team report (or a digest's week); None for a person's or all teams' report."""
    if report.kind != "team":
        return None
    team = config.team(report.subject)
    last_day = min(report.period.end, now.astimezone(team.calendar.tz).date())
    people = tuple(Rate(line.user, line.metrics.on_time, line.metrics.deadlines) for line in report.people)
    return Chart(team.name, report.period.label, week_rates(session, config, team, last_day, now), people)
