"""What the report chart shows (docs/federal.md, "Charts"): a team's on-time first-response rate in
each of the last 12 weeks, and each person's rate in the report's own period. A week's rate is its
outcome counts alone — the same facts and statement a report's counts read (bot/reports/facts.py),
so the numbers are the ones the reports give, without a whole report per week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.config.teams import Config, Team
from bot.reports.build import Report
from bot.reports.facts import fact_counts
from bot.reports.periods import Period
from storage.queries import reports as q
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
    meets: float = 0.90  # the team's meets threshold: the alt text names who is below it


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_rates(
    session: Session, team: Team, last_week: date, now: datetime, weeks: int = WEEKS
) -> tuple[Rate, ...]:
    """The team's on-time counts in the `weeks` Monday-to-Sunday weeks ending with the one holding `last_week`."""
    end = _monday(last_week)
    rates = []
    for back in range(weeks - 1, -1, -1):
        start = end - timedelta(weeks=back)
        period = Period(start, start + timedelta(days=6), f"week {start.isocalendar().week}")
        first, last = period.bounds(team.calendar.tz)
        rows = fact_counts(
            session=session, scope=q.Scope(teams=(team.name,)), window=q.Window(first, last, now)
        )
        on_time = sum(counts["on_time"] for _, _, counts in rows)
        due = sum(counts["deadlines"] for _, _, counts in rows)
        rates.append(Rate(f"W{start.isocalendar().week}", on_time, due))
    return tuple(rates)


def chart_for(session: Session, config: Config, report: Report, now: datetime) -> Chart | None:
    """The chart for a team report (or a digest's week); None for a person's or all teams' report."""
    if report.kind != "team":
        return None
    team = config.team(report.subject)
    last_day = min(report.period.end, now.astimezone(team.calendar.tz).date())
    people = tuple(Rate(line.user, line.metrics.on_time, line.metrics.deadlines) for line in report.people)
    weeks = week_rates(session, team, last_day, now)
    return Chart(team.name, report.period.label, weeks, people, meets=team.thresholds.meets)
