"""Assemble a Report from the database aggregates: no authorization here (see service.py)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.config.teams import Config, Team, Thresholds
from bot.lifecycle.replan import sync_calendars
from bot.reports import evidence as ev
from bot.reports import evidence_parts
from bot.reports.facts import escalated_by_hand, fact_counts
from bot.reports.metrics import Band, Metrics, rating_band
from bot.reports.periods import Period
from bot.reports.readers import Readers, task
from storage.queries import customer_feedback as customer
from storage.queries import report_people
from storage.queries import reports as q
from storage.queries import response_hours as hq
from storage.queries.activity import activity_counts
from storage.queries.report_events import escalation_counts, reassignment_counts
from storage.session import Session

DEFAULT_EVIDENCE_LIMIT = 100
HOURS_BATCH = 50  # people whose percentiles one statement finds


@dataclass(frozen=True)
class PersonLine:
    user: str
    team: str  # the person's primary team in the config
    metrics: Metrics
    band: Band


@dataclass(frozen=True)
class Report:
    kind: str  # "person" | "team" | "all"
    subject: str  # the user id, the team name, or "all"
    period: Period
    start: datetime  # the period as aware UTC instants [start, end)
    end: datetime
    generated_at: datetime
    tz: str  # the zone the period's days were read in
    thresholds: Thresholds
    totals: Metrics
    band: Band
    people: tuple[PersonLine, ...]
    evidence: ev.Evidence

    @property
    def title(self) -> str:
        if self.kind == "person":
            return f"<@{self.subject}>"
        return "All teams" if self.kind == "all" else f"Team {self.subject}"


def report_zone(config: Config, kind: str, subject: str) -> Team:
    """The team whose zone and thresholds a report uses."""
    if kind == "person":
        return config.team_of(subject)
    if kind == "team":
        return config.team(subject)
    return config.teams[config.default_team]


def build_report(
    source: Session | Readers,
    config: Config,
    *,
    kind: str,
    subject: str,
    period: Period,
    now: datetime,
    evidence_limit: int = DEFAULT_EVIDENCE_LIMIT,
    detail: bool = True,
) -> Report:
    """kind "person" (subject = user id), "team" (subject = team name) or "all". `detail=False`
    skips percentiles and evidence (the App Home line needs only the counts). `source` is one
    session, or Readers (bot/reports/readers.py) to run the independent queries side by side."""
    readers = Readers.of(source)
    if detail:
        # The evidence counts business time (logged days after receipt, hours left at a hand-over)
        # on the calendars with the closures declared while the bot runs, in this process as in any
        # other. The counts alone (App Home's line) read no calendar.
        sync_calendars(readers.first, config)
    team = report_zone(config, kind, subject)
    start, end = period.bounds(team.calendar.tz)
    window = q.Window(start, end, now)
    scope = _scope(readers.first, kind, subject)
    # The counts first: the percentiles need them. Then the rest, longest first; the percentiles
    # are queued as soon as the counts are in, while the rest may still be running.
    count_jobs = [readers.submit(fn) for fn in _count_tasks(readers, scope, window)]
    jobs: dict[str, Future[Any]] = {}  # each its own result type
    evidence_jobs: list[Future[evidence_parts.Part]] = []
    if detail:
        parts = [
            task(part, scope=scope, window=window, limit=evidence_limit, config=config)
            for part in evidence_parts.PARTS
        ]
        evidence_jobs = [readers.submit(parts[0])]
        jobs = {
            name: readers.submit(task(fn, scope=scope, window=window))
            for name, fn in _EXTRAS.items()
            if not (name == "escalations" and scope.users is not None)  # see _escalations_of
        }
        evidence_jobs += [readers.submit(part) for part in parts[1:]]
    jobs["absences"] = readers.submit(
        task(_absences, config=config, kind=kind, subject=subject, window=window)
    )
    counted: dict[str, q.PersonCounts] = {}
    for job in count_jobs:
        q.merge_counts(counted, job.result())
    hour_jobs = (
        [readers.submit(fn) for fn in _hours_tasks(scope, window, counted, kind, subject)] if detail else []
    )
    evidence = ev.Evidence(**{key: value for job in evidence_jobs for key, value in job.result().items()})
    extras = {}
    if detail:
        found = {name: job.result() for name, job in jobs.items() if name in _EXTRAS}
        if "escalations" not in found:
            found["escalations"] = _escalations_of(readers, evidence, scope, window)
        extras = _extras(found)
    absences = jobs["absences"].result()
    people_absent: dict[str, int] = {}
    for a in absences:
        people_absent[a.user] = people_absent.get(a.user, 0) + 1

    members: set[str] = set()
    if kind == "team":
        members = set(team.members) | set(team.specialists)
    elif kind == "all":
        members = {u for t in config.teams.values() for u in (*t.members, *t.specialists)}
    names = (
        {subject}
        if kind == "person"
        else set(counted) | set(people_absent) | extras.get("people", set()) | members
    )
    lines = []
    for user in sorted(names):
        metrics = _metrics(counted.get(user), extras, user, people_absent.get(user, 0))
        if kind != "person" and user not in members and metrics == Metrics():
            continue  # someone with items only outside the period (a former member, say)
        # In a team's report every outcome counted is that team's, so its thresholds band each
        # person: a move to another team later never rebands a finished week (docs/decisions.md).
        home = team if kind == "team" else config.team_of(user)
        lines.append(PersonLine(user, home.name, metrics, rating_band(metrics, home.thresholds)))

    totals = Metrics.total(line.metrics for line in lines)
    if kind != "person":  # a reassignment between two people is one event, not two
        totals = replace(totals, reassignments=extras.get("reassignments_total", 0), absences=len(absences))
    if kind == "person":
        totals = lines[0].metrics
    if detail:
        lines, totals = _with_hours([job.result() for job in hour_jobs], lines, totals, kind)
    evidence = replace(evidence, absences=tuple(absences))
    return Report(
        kind=kind,
        subject=subject,
        period=period,
        start=start,
        end=end,
        generated_at=now,
        tz=team.timezone,
        thresholds=team.thresholds,
        totals=totals,
        band=rating_band(totals, team.thresholds),
        people=tuple(lines) if kind != "person" else (),
        evidence=evidence,
    )


def _count_tasks(readers: Readers, scope: q.Scope, window: q.Window) -> list:
    """The count passes as tasks: outcome facts, and what happened and is live (both read their
    tallies for the period's whole months and days; storage/queries/tally_reads.py). A team or every-team report
    names its teams, so that the part-days at the period's ends are index ranges per team."""
    if scope.users is None:
        scope = q.Scope(
            teams=scope.teams if scope.teams is not None else q.teams_in_use(session=readers.first)
        )
    return [task(fact_counts, scope=scope, window=window), task(activity_counts, scope=scope, window=window)]


def _hours_tasks(
    scope: q.Scope, window: q.Window, counted: dict[str, q.PersonCounts], kind: str, subject: str
) -> list:
    """Median and 90th percentile of business hours to first response: the whole scope's (the
    longest walks: one task per percentile), then people's, HOURS_BATCH to a statement."""
    people = [subject] if kind == "person" else sorted(counted)
    queries = [
        hq.HoursQuery(user, tuple(_within(scope, counted[user].teams)), user, counted[user].counts["timed"])
        for user in people
        if user in counted and counted[user].counts["timed"]
    ]
    tasks = [
        task(_hours_of, window=window, queries=queries[i : i + HOURS_BATCH])
        for i in range(0, len(queries), HOURS_BATCH)
    ]
    if kind != "person":
        everyone = hq.HoursQuery("", scope.teams, None, sum(c.counts["timed"] for c in counted.values()))
        tasks = [*(task(_hours_of, window=window, queries=[everyone], ps=(p,)) for p in (50, 90)), *tasks]
    return tasks


def _with_hours(
    parts: list[dict], lines: list[PersonLine], totals: Metrics, kind: str
) -> tuple[list[PersonLine], Metrics]:
    found: dict[str, dict[int, float | None]] = {}
    for part in parts:
        for key, values in part.items():
            found.setdefault(key, {}).update(values)

    def hours(metrics: Metrics, key: str) -> Metrics:
        values = found.get(key)
        return replace(metrics, median_hours=values[50], p90_hours=values[90]) if values else metrics

    lines = [replace(line, metrics=hours(line.metrics, line.user)) for line in lines]
    totals = lines[0].metrics if kind == "person" else hours(totals, "")
    return lines, totals


def _hours_of(
    session: Session, *, window: q.Window, queries: list[hq.HoursQuery], ps: tuple[int, ...] = (50, 90)
) -> dict[str, dict[int, float | None]]:
    return hq.response_hours(session=session, window=window, queries=queries, ps=ps, batch=HOURS_BATCH)


def _scope(session: Session, kind: str, subject: str) -> q.Scope:
    if kind == "person":
        return q.Scope(teams=q.teams_in_use(session=session), users=(subject,))
    if kind == "team":
        return q.Scope(teams=(subject,))
    return q.Scope()


def _within(scope: q.Scope, teams: set[str]) -> list[str]:
    return sorted(teams if scope.teams is None else teams & set(scope.teams))


def _metrics(entry: q.PersonCounts | None, extras: dict, user: str, absences: int) -> Metrics:
    counts = dict(entry.counts) if entry is not None else dict.fromkeys(q.COUNTS, 0)
    missed = counts["late"] + counts["missed_open"]
    return Metrics(
        **counts,
        unescalated_missed=missed - extras.get("by_hand", {}).get(user, 0),
        escalations=extras.get("escalations", {}).get(user, 0),
        reassignments=extras.get("reassignments", {}).get(user, 0),
        absences=absences,
        customer_count=extras.get("customer", {}).get(user, (0, 0))[0],
        customer_sum=extras.get("customer", {}).get(user, (0, 0))[1],
    )


def _reassignments(session: Session, *, scope: q.Scope, window: q.Window) -> tuple[dict[str, int], int]:
    per, total = reassignment_counts(session=session, scope=scope, window=window)
    if scope.users is not None:
        per = {u: n for u, n in per.items() if u in scope.users}
    return per, total


_EXTRAS: dict[str, Callable[..., Any]] = {  # the per-person figures beside the counts, each its own query
    "reassignments": _reassignments,
    "escalations": escalation_counts,
    "by_hand": escalated_by_hand,
    "customer": customer.customer_stats,
}


def _escalations_of(
    readers: Readers, evidence: ev.Evidence, scope: q.Scope, window: q.Window
) -> dict[str, int]:
    """A person's escalated items, counted from their escalation evidence when it is all there: the
    same events (storage.queries.reports.escalations_of_people), read once instead of twice. Else
    the database counts them."""
    if evidence.escalations_truncated:
        return readers.submit(task(escalation_counts, scope=scope, window=window)).result()
    items: dict[str, set[int]] = {}
    for item in evidence.escalations:
        items.setdefault(item.person, set()).add(item.id)
    return {person: len(ids) for person, ids in items.items()}


def _extras(found: dict) -> dict:
    reassignments, total = found["reassignments"]
    return {
        **found,
        "reassignments": reassignments,
        "reassignments_total": total,
        "people": set(found["escalations"]) | set(found["customer"]) | set(reassignments),
    }


def _absences(
    session: Session, *, config: Config, kind: str, subject: str, window: q.Window
) -> list[ev.AbsenceItem]:
    if kind == "person":
        rows = report_people.absences(session=session, window=window, users=(subject,), teams=None)
    elif kind == "team":
        team = config.team(subject)
        rows = report_people.absences(session=session, window=window, users=team.everyone(), teams=(subject,))
    else:
        rows = report_people.absences(session=session, window=window, users=None, teams=None)
    items = []
    for row in rows:
        end = row.ends_at if row.ended_at is None else min(row.ends_at, row.ended_at)
        items.append(ev.AbsenceItem(row.user_id, row.starts_at, end, row.alternate, end < row.ends_at))
    return items
