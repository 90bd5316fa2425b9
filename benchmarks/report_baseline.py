"""The baseline for bench_report.py: a report's counts computed as they were before outcomes were
facts and before tallies — passes over the raw inquiry rows per team and accountable person (who
answered, else the assignee), through the covering report index, cut into runs of teams shared
out among the sessions — with each outcome put in the period of the instant that decided it (the
answer if on time, else the deadline; docs/outcomes.md), so that both ways must give identical
numbers on the benchmark's data (no hand-over after a deadline there).
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from bot.reports.readers import Readers, task
from storage.models import Event, Inquiry
from storage.queries import reference_counts as ref
from storage.queries import reports as q


def count_tasks(readers: Readers, scope: q.Scope, window: q.Window) -> list:
    """The count passes over the raw rows as tasks (bot/reports/build.py's before tallies)."""
    if scope.users is not None:
        return [
            task(count, scope=scope, window=window)
            for count in (raw_outcome_counts, ref.answered_counts, ref.unanswered_counts, raw_feedback)
        ]
    teams = scope.teams if scope.teams is not None else q.teams_in_use(session=readers.first)
    runs = 1 if len(readers) == 1 else max(1, min(len(teams), 2 * len(readers)))
    chunks = [tuple(teams[i * len(teams) // runs : (i + 1) * len(teams) // runs]) for i in range(runs)]
    named = q.Scope(teams=tuple(teams))
    return [
        task(raw_outcome_counts, scope=named, window=window),
        *(task(ref.answered_counts, scope=q.Scope(teams=chunk), window=window) for chunk in chunks),
        task(ref.unanswered_counts, scope=named, window=window),
        task(raw_feedback, scope=q.Scope(teams=scope.teams), window=window),
    ]


def raw_feedback(*, session: Session, scope: q.Scope, window: q.Window) -> list:
    """Staff ratings per accountable person, looked up item by item (no team: not a count of one)."""
    return [
        (None, person, {"feedback_count": n, "feedback_sum": total})
        for person, (n, total) in ref.feedback_stats(session=session, scope=scope, window=window).items()
    ]


def _n(condition):
    return func.count().filter(condition)


def _in(column, w: q.Window):
    return and_(q.bare(column) >= w.start, q.bare(column) < w.end, q.bare(column) < w.now)


def _answered_in(column, w: q.Window):
    """An answer's instant in the period. No cut at `now`: a real answer is never later than now,
    but the seeded data holds some after the benchmark's NOW, which the facts (decided when the
    answer is recorded) count; cutting here made the two differ on those alone."""
    return and_(q.bare(column) >= w.start, q.bare(column) < w.end)


def raw_outcome_counts(*, session: Session, scope: q.Scope, window: q.Window) -> q.CountRows:
    w, i = window, Inquiry
    on_time = i.first_response_at <= i.first_response_due
    needed = or_(i.status != "closed", i.first_response_at.is_not(None))
    fr_missed = and_(~func.coalesce(on_time, False), needed, _in(i.first_response_due, w))
    fr_on_time = and_(on_time, _answered_in(i.first_response_at, w))
    resolved = case((i.status == "resolved", i.resolved_at), else_=None)
    kept = resolved <= i.promised_resolution
    promise_missed = and_(
        i.promised_resolution.is_not(None),
        i.status != "closed",
        ~func.coalesce(kept, False),
        _in(i.promised_resolution, w),
    )
    promise_kept = and_(kept, _answered_in(i.resolved_at, w))
    informed = case(
        (
            and_(i.first_update_at.is_not(None), or_(resolved.is_(None), i.first_update_at < resolved)),
            i.first_update_at,
        ),
        else_=resolved,
    )
    updated = and_(
        i.promised_resolution.is_not(None), informed <= i.promised_resolution, _answered_in(informed, w)
    )
    not_updated = and_(
        i.promised_resolution.is_not(None),
        i.status != "closed",
        ~func.coalesce(informed <= i.promised_resolution, False),
        _in(i.promised_resolution, w),
    )
    columns = {
        "deadlines": _n(or_(fr_on_time, fr_missed)),
        "on_time": _n(fr_on_time),
        "missed": _n(fr_missed),
        "late": _n(and_(fr_missed, i.first_response_at.is_not(None))),
        "promises": _n(or_(promise_kept, promise_missed)),
        "promises_kept": _n(promise_kept),
        "updates": _n(or_(updated, not_updated)),
        "updates_ok": _n(updated),
    }
    person = q.accountable()
    query = q.scoped(select(i.team, person, *columns.values()), scope).group_by(i.team, person)
    names = list(columns)
    rows = []
    for row in session.execute(query):
        v = dict(zip(names, (int(x or 0) for x in row[2:])))
        if any(v.values()):
            rows.append(
                (
                    row[0],
                    row[1],
                    {
                        "deadlines": v["deadlines"],
                        "on_time": v["on_time"],
                        "late": v["late"],
                        "missed_open": v["missed"] - v["late"],
                        "promises": v["promises"],
                        "promises_kept": v["promises_kept"],
                        "updates": v["updates"],
                        "updates_ok": v["updates_ok"],
                    },
                )
            )
    return rows


def raw_by_hand(*, session: Session, scope: q.Scope, window: q.Window) -> dict[str, int]:
    """Missed first-response deadlines of the period whose item a person escalated by hand before
    the period's end (as the bot counts them since 2c1018d: a later escalation never changes it)."""
    w = window
    manual = (
        select(Event.inquiry_id)
        .where(Event.type.in_(q.ESCALATION_EVENTS), Event.actor != q.BOT_ACTOR, Event.at < w.end)
        .distinct()
        .subquery()
    )
    missed = or_(Inquiry.first_response_at.is_(None), Inquiry.first_response_at > Inquiry.first_response_due)
    query = (
        select(q.accountable(), func.count())
        .join(manual, manual.c.inquiry_id == Inquiry.id)
        .where(
            q.between(Inquiry.first_response_due, w.start, w.cut),
            missed,
            or_(Inquiry.status != "closed", Inquiry.first_response_at.is_not(None)),
        )
        .group_by(q.accountable())
    )
    return {person: int(n) for person, n in session.execute(q.scoped(query, scope))}
