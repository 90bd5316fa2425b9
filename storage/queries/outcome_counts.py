"""A report's outcome counts, read from the outcome facts and their tallies (docs/outcomes.md
"Reading facts fast"; bot/reports/facts.py turns them into a report's numbers): deadlines met,
missed and late, promises kept, status updates made, and the misses whose item a person escalated
by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from storage.expressions import in_scope, scope_params
from storage.models import MISSED_FIRST_RESPONSE, Event, Outcome, OutcomeTally
from storage.queries import tallies, tally_reads
from storage.queries.outcomes import FIRST_RESPONSE, RESOLUTION, STATUS_UPDATE
from storage.queries.reports import bare, escalated

CountRows = list[tuple[str, str, dict[str, int]]]  # (team, holder, counts)


def outcome_counts(
    *,
    session: Session,
    teams: Sequence[str] | None,
    users: Sequence[str] | None,
    start: datetime,
    end: datetime,
) -> CountRows:
    """Per team and holder, the sums of fact weights decided in [start, end) that a report needs
    (bot/reports/metrics.py). The UTC months of the period come from the month tallies, a row per
    person-month, its other UTC days from the day tallies; the hours at either end, added or taken
    back (tally_reads.split), from the facts themselves, each a walk of one covering index (team,
    decided_at, …) or (holder, decided_at, …) over those hours only. One statement, built once per
    shape (activity.py says why)."""
    return _counts(session, teams, users, tally_reads.split(start, end))


def counts_from_facts(
    session: Session, teams: Sequence[str] | None, users: Sequence[str] | None, start: datetime, end: datetime
) -> CountRows:
    """outcome_counts read from every fact of the period, no tally: what the tallies must add up to."""
    return _counts(session, teams, users, tally_reads.Split(None, (), ((start, end),) if start < end else ()))


def _counts(
    session: Session, teams: Sequence[str] | None, users: Sequence[str] | None, cut: tally_reads.Split
) -> CountRows:
    if not cut.months and not cut.days and not cut.edges:  # an empty period
        return []
    params = scope_params(teams, users, **cut.params())
    statement = _counts_statement(teams is not None, users is not None, cut.shape)
    tallies.ready_to_read(session)
    return [  # a row per holder already (tally_reads.added_up)
        (team, holder, {name: int(value or 0) for name, value in zip(_COUNTED, values)})
        for team, holder, *values in session.execute(statement, params)
    ]


_COUNTED = ("deadlines", "on_time", "missed", "late", "promises", "promises_kept", "updates", "updates_ok")


def _tallied(c: Any) -> list[ColumnElement[Any]]:
    """_COUNTED as sums of an outcome tally's columns."""
    columns = {
        "deadlines": c.first_response_on_time + c.first_response_missed,
        "on_time": c.first_response_on_time,
        "missed": c.first_response_missed,
        "late": c.first_response_late,
        "promises": c.resolution_on_time + c.resolution_missed,
        "promises_kept": c.resolution_on_time,
        "updates": c.status_update_on_time + c.status_update_missed,
        "updates_ok": c.status_update_on_time,
    }
    return [func.sum(columns[name]) for name in _COUNTED]


@cache
def _counts_statement(by_teams: bool, by_users: bool, shape: tuple[bool, int, int, int, int]) -> Select[Any]:
    """Rows of (team, holder, *_COUNTED) from the tallies' months and days (tally_reads.Split) and
    the facts of the hours at the period's ends (:s0, :e0, …; taken back: :ls0, :le0, …), a row per
    holder (tally_reads.added_up)."""
    parts = tally_reads.tally_branches(OutcomeTally, shape, _tallied, by_teams=by_teams, by_users=by_users)
    o = Outcome
    fr, res, su = o.kind == FIRST_RESPONSE, o.kind == RESOLUTION, o.kind == STATUS_UPDATE

    def total(*conditions: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.coalesce(func.sum(o.weight).filter(and_(*conditions)), 0)

    facts = {
        # A void fact repeats the outcome it cancels with weight -1, so these sums leave it out.
        "deadlines": total(fr, o.outcome.in_(("on_time", "missed"))),
        "on_time": total(fr, o.outcome == "on_time"),
        "missed": total(fr, o.outcome == "missed"),
        "late": total(fr, o.outcome == "late"),
        "promises": total(res, o.outcome.in_(("on_time", "missed"))),
        "promises_kept": total(res, o.outcome == "on_time"),
        "updates": total(su, o.outcome.in_(("on_time", "missed"))),
        "updates_ok": total(su, o.outcome == "on_time"),
    }
    stretches = [(f"s{k}", f"e{k}", 1) for k in range(shape[2])]
    stretches += [(f"ls{k}", f"le{k}", -1) for k in range(shape[4])]  # taken back
    for first, last, sign in stretches:
        sums = [facts[name] if sign > 0 else -facts[name] for name in _COUNTED]
        query = select(o.team, o.holder, *sums).where(
            o.decided_at >= bindparam(first), o.decided_at < bindparam(last)
        )
        parts.append(in_scope(query, by_teams, by_users, o.team, o.holder).group_by(o.team, o.holder))
    return tally_reads.added_up(parts)


def missed_escalated_by_hand(
    *,
    session: Session,
    teams: Sequence[str] | None,
    users: Sequence[str] | None,
    start: datetime,
    end: datetime,
    bot_actor: str,
) -> dict[str, int]:
    """Missed first-response outcomes decided in the period whose item a person escalated by hand
    before the period's end: an escalation made after it never changes a finished period."""
    params = scope_params(teams, users, start=start, end=end, bot=bot_actor)
    query = _by_hand_statement(teams is not None, users is not None)
    return {holder: int(n or 0) for holder, n in session.execute(query, params)}


@cache
def _by_hand_statement(by_teams: bool, by_users: bool) -> Select[Any]:
    # A person's misses are few: walk them in ix_outcomes_missed_holder (`bare`: not every fact of
    # theirs in ix_outcomes_holder), each item's escalations looked up by item in
    # ix_events_escalated (index only). For a team or everyone, start from the items escalated by
    # hand (a few percent: IN (subquery), which both engines build once, from that index alone) and
    # seek their facts by item; `bare` keeps SQLite from walking every fact of the year in the team
    # index instead (a join once walked the events per fact: minutes).
    o = Outcome
    by_hand: ColumnElement[bool]
    decided_at: Any
    team: Any
    if by_users:
        by_hand = (
            select(Event.inquiry_id)
            .where(
                Event.inquiry_id == o.inquiry_id,
                escalated(),
                Event.actor != bindparam("bot"),
                Event.at < bindparam("end"),
            )
            .exists()
        )
        decided_at, team = bare(o.decided_at), o.team
    else:
        manual = select(Event.inquiry_id).where(
            escalated(), Event.actor != bindparam("bot"), Event.at < bindparam("end")
        )
        by_hand = o.inquiry_id.in_(manual)
        decided_at, team = bare(o.decided_at), bare(o.team)
    query = select(o.holder, func.sum(o.weight)).where(
        by_hand,
        MISSED_FIRST_RESPONSE,  # the misses from ix_outcomes_missed(_holder)
        decided_at >= bindparam("start"),
        decided_at < bindparam("end"),
    )
    return in_scope(query, by_teams, by_users, team, o.holder).group_by(o.holder)
