"""A report's per-person figures counted from events (the evidence rows are in report_evidence.py):
the items escalated in the period, by a person or by the bot's level-2 step, and the hand-overs —
reassignments by hand, or to an alternate during an absence — per person who gave or took the item,
and in all. Everyone's hand-overs over months come from their tallies (tally_reads.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, union
from sqlalchemy.orm import Session

from storage.expressions import json_text, scope_params
from storage.models import HANDOVER_EVENTS, Event, Inquiry
from storage.queries import tally_reads
from storage.queries.reports import Scope, Window, accountable, between, escalations_in, escalations_of_people


def escalation_counts(*, session: Session, scope: Scope, window: Window) -> dict[str, int]:
    """Items escalated (by a person or by the bot's level-2 step) in the period, per accountable person."""
    if scope.users is not None:
        params = scope_params(scope.teams, scope.users, start=window.start, end=window.end)
        rows = session.execute(_people_escalation_counts(scope.teams is not None), params)
    else:
        query = select(accountable(), func.count(Event.inquiry_id.distinct())).group_by(accountable())
        rows = session.execute(escalations_in(query, scope, window))
    return {person: int(n) for person, n in rows}


@cache
def _people_escalation_counts(by_teams: bool) -> Select[Any]:
    query = select(accountable(), func.count(Event.inquiry_id.distinct()))
    return escalations_of_people(query, by_teams).group_by(accountable())


Pairs = list[tuple[str | None, str | None, int]]  # (from, to, events)


def reassignment_counts(*, session: Session, scope: Scope, window: Window) -> tuple[dict[str, int], int]:
    """Reassignments (by hand, or to an alternate during an absence) in the period: per person who
    gave or received the item, and the number of events in scope (a team's items; a person's
    hand-overs either way)."""
    if scope.users is None and scope.teams is None:
        return _tallied_hand_overs(session, window)
    pairs = (
        _hand_overs(session, scope.users, window)
        if scope.users is not None
        else _hand_over_pairs(session, scope.teams, window)
    )
    return _per_person(pairs)


def _per_person(pairs: Pairs) -> tuple[dict[str, int], int]:
    per: dict[str, int] = {}
    total = 0
    for frm, to, n in pairs:
        total += n
        for person in {frm, to}:
            if person is not None:
                per[person] = per.get(person, 0) + n
    return per, total


def _tallied_hand_overs(session: Session, window: Window) -> tuple[dict[str, int], int]:
    """Everyone's hand-overs: the period's months from their tallies (each person's gave + took -
    to_self), and the events of the rest of the period, less those of its months that fall
    outside it (tally_reads.month_cut). A team's are counted from the events: they belong to the
    item's team as it is now, which a tally could not follow."""
    cut = tally_reads.month_cut(window.start, window.end)
    if cut.months is None:
        return _per_person(_hand_over_pairs(session, None, window))
    per: dict[str, int] = {}
    total = 0
    for person, v in tally_reads.handover_sums(session, *cut.months).items():
        total += v["gave"]
        if person:
            per[person] = v["gave"] + v["took"] - v["to_self"]
    for sign, stretches in ((1, cut.added), (-1, cut.less)):
        for start, end in stretches:
            edge, n = _per_person(_hand_over_pairs(session, None, Window(start, end, window.now)))
            total += sign * n
            for person, k in edge.items():
                per[person] = per.get(person, 0) + sign * k
    return {person: n for person, n in per.items() if n}, total


def _hand_over_pairs(session: Session, teams: Sequence[str] | None, window: Window) -> Pairs:
    """(from, to, events) of every hand-over in the period, or of the teams' items."""
    giver, taker = Event.payload["from"].as_string(), Event.payload["to"].as_string()
    query = select(giver, taker, func.count()).where(
        Event.type.in_(HANDOVER_EVENTS), between(Event.at, window.start, window.end)
    )
    if teams is not None:
        query = query.join(Inquiry, Inquiry.id == Event.inquiry_id).where(Inquiry.team.in_(teams))
    return [(frm, to, int(n)) for frm, to, n in session.execute(query.group_by(giver, taker))]


def _hand_overs(session: Session, users: Sequence[str], window: Window) -> Pairs:
    """The people's hand-overs either way: the events they gave, union those they received (an
    event both ways counts once). Each side is one seek of a partial index on the payload's key,
    Index(f"ix_events_handed_{key}", json_text(Event.payload, key), "at", WHERE type IN
    HANDOVER_EVENTS) for "from" and "to": the query writes the same json_text, and the types
    into the SQL as the index's WHERE does (bound, neither database could prove the WHERE).
    SQLite does not combine two expression indexes for an OR, hence the UNION."""
    frm, to = json_text(Event.payload, "from"), json_text(Event.payload, "to")
    handed = Event.type.in_(bindparam("handed", HANDOVER_EVENTS, expanding=True, literal_execute=True))
    sides = (
        select(Event.id, frm, to).where(handed, between(Event.at, window.start, window.end), side.in_(users))
        for side in (frm, to)
    )
    counted: dict[tuple[str | None, str | None], int] = {}
    for _, giver, taker in session.execute(union(*sides)):
        counted[giver, taker] = counted.get((giver, taker), 0) + 1
    return [(giver, taker, n) for (giver, taker), n in counted.items()]
