"""Outcome facts, the queue of undecided deadlines, and disputes: reads and writes (docs/outcomes.md).

Facts are inserted, never updated or deleted; each has a unique key, so the same fact can never be
stored twice whoever races to store it. The pending queue is work, not record: a row goes when the
deadline's outcome is decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, delete, event, exists, func, select
from sqlalchemy.orm import Session, aliased

from storage.conflicts import insert_ignoring
from storage.expressions import in_scope, scope_params
from storage.models import (
    MISSED_FIRST_RESPONSE,
    MISSED_PROMISE,
    Event,
    Inquiry,
    Outcome,
    OutcomeDispute,
    OutcomePending,
    OutcomeTally,
)
from storage.queries import tallies
from storage.queries.reports import bare, escalated
from storage.tables import table_of

FIRST_RESPONSE, RESOLUTION, STATUS_UPDATE = "first_response", "resolution", "status_update"


def fact_key(inquiry_id: int, kind: str, deadline: datetime, fact: str, extra: str = "") -> str:
    stamp = deadline.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%f")
    return f"{inquiry_id}:{kind}:{stamp}:{fact}{extra}"


# ---- the queue of undecided deadlines --------------------------------------------------------


_PENDING = "inquirybot_pending"  # session.info: what pending_of read in this transaction, by item


def add_pending(session: Session, *, inquiry_id: int, deadlines: Sequence[tuple[str, datetime]]) -> None:
    """Queue an item's new deadlines, (kind, due_at) each, in one statement."""
    writes = [
        insert_ignoring(
            table_of(OutcomePending),
            {
                "key": fact_key(inquiry_id, kind, due, "pending"),
                "inquiry_id": inquiry_id,
                "kind": kind,
                "due_at": due,
            },
            conflict=["key"],
        )
        for kind, due in deadlines
    ]
    if writes:
        session.info.pop(_PENDING, None)
        session.execute(writes[0][0], [params for _, params in writes])  # one statement, its rows


@dataclass(frozen=True)
class Pending:
    key: str
    kind: str
    due_at: datetime


_PENDING_OF = (
    select(OutcomePending.key, OutcomePending.kind, OutcomePending.due_at)
    .where(OutcomePending.inquiry_id == bindparam("inquiry_id"))
    .order_by(OutcomePending.due_at, OutcomePending.key)
)
_DROP_PENDING = delete(OutcomePending).where(OutcomePending.key.in_(bindparam("keys", expanding=True)))


def pending_of(session: Session, inquiry_id: int) -> list[Pending]:
    """An item's undecided deadlines. Read once per transaction (a change reads them to catch up,
    then to answer): add_pending and drop_pending, the queue's only writers, forget the reading."""
    read: dict[int, list[Pending]] = session.info.setdefault(_PENDING, {})
    if inquiry_id not in read:
        rows = session.connection().execute(_PENDING_OF, {"inquiry_id": inquiry_id})  # Core: no ORM dispatch
        read[inquiry_id] = [Pending(*row) for row in rows]
    return list(read[inquiry_id])


def drop_pending(session: Session, keys: Sequence[str]) -> None:
    if keys:
        session.info.pop(_PENDING, None)
        session.connection().execute(_DROP_PENDING, {"keys": list(keys)})


_DROP_KIND = delete(OutcomePending).where(
    OutcomePending.inquiry_id == bindparam("inquiry_id"), OutcomePending.kind == bindparam("kind")
)


def move_pending(session: Session, *, kind: str, moves: Sequence[tuple[int, datetime]]) -> None:
    """Items' undecided deadline of one kind moved (a closure re-planned it): (inquiry_id, new due)
    each. The old queue row goes and the new one comes, so the outcome is decided at the deadline
    that stands, never at one a closure moved."""
    if not moves:
        return
    session.info.pop(_PENDING, None)
    session.connection().execute(_DROP_KIND, [{"inquiry_id": item, "kind": kind} for item, _ in moves])
    writes = [
        insert_ignoring(
            table_of(OutcomePending),
            {"key": fact_key(item, kind, due, "pending"), "inquiry_id": item, "kind": kind, "due_at": due},
            conflict=["key"],
        )
        for item, due in moves
    ]
    session.execute(writes[0][0], [params for _, params in writes])


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: Any) -> None:
    session.info.pop(_PENDING, None)  # another transaction reads the queue afresh


def due_inquiries(session: Session, now: datetime, limit: int) -> list[int]:
    """Items with a deadline fallen before `now` and not yet decided, earliest first (index on due_at)."""
    query = (
        select(OutcomePending.inquiry_id)
        .where(OutcomePending.due_at < now)
        .order_by(OutcomePending.due_at)
        .limit(limit)
    )
    return list(dict.fromkeys(session.scalars(query)))


# ---- facts -----------------------------------------------------------------------------------


def insert_fact(session: Session, values: dict[str, Any]) -> int | None:
    """Store one fact; its id, or None when a fact with the same key is stored already. A stored
    fact is added to its tally in the same commit (tallies.py)."""
    fact_id = session.scalar(*insert_ignoring(table_of(Outcome), values, conflict=["key"], returning="id"))
    if fact_id is not None:
        tallies.count_fact(session, values)
    return fact_id


_FACTS_OF = select(Outcome).where(Outcome.inquiry_id == bindparam("inquiry_id")).order_by(Outcome.id)


def facts_of(session: Session, inquiry_id: int) -> list[Outcome]:
    return list(session.scalars(_FACTS_OF, {"inquiry_id": inquiry_id}))


def fact(session: Session, fact_id: int) -> Outcome | None:
    return session.get(Outcome, fact_id)


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
    (bot/reports/metrics.py). The whole UTC months of the period come from the month tallies, a
    row per person-month, its other whole UTC days from the day tallies; the part-days at either
    end from the facts themselves, each a walk of one covering index (team, decided_at, …) or
    (holder, decided_at, …) over those hours only. One statement, built once per shape
    (activity.py says why)."""
    return _counts(session, teams, users, tallies.split(start, end))


def counts_from_facts(
    session: Session, teams: Sequence[str] | None, users: Sequence[str] | None, start: datetime, end: datetime
) -> CountRows:
    """outcome_counts read from every fact of the period, no tally: what the tallies must add up to."""
    return _counts(session, teams, users, tallies.Split(None, (), ((start, end),) if start < end else ()))


def _counts(
    session: Session, teams: Sequence[str] | None, users: Sequence[str] | None, cut: tallies.Split
) -> CountRows:
    if not cut.months and not cut.days and not cut.edges:
        return []
    params = scope_params(teams, users, **cut.params())
    statement = _counts_statement(teams is not None, users is not None, cut.shape)
    tallies.ready_to_read(session)
    return [  # a row per holder already (tallies.added_up)
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
def _counts_statement(by_teams: bool, by_users: bool, shape: tuple[bool, int, int]) -> Select[Any]:
    """Rows of (team, holder, *_COUNTED) from the tallies' whole months and days (tallies.Split)
    and the facts of the part-days (:s0, :e0, …), a row per holder (tallies.added_up)."""
    parts = tallies.tally_branches(OutcomeTally, shape, _tallied, by_teams=by_teams, by_users=by_users)
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
    for k in range(shape[2]):
        query = select(o.team, o.holder, *(facts[name] for name in _COUNTED)).where(
            o.decided_at >= bindparam(f"s{k}"), o.decided_at < bindparam(f"e{k}")
        )
        parts.append(in_scope(query, by_teams, by_users, o.team, o.holder).group_by(o.team, o.holder))
    return tallies.added_up(parts)


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
    # A person's facts are few: walk them by holder, each item's escalations looked up by item in
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
        decided_at, team = o.decided_at, o.team
        missed = and_(o.kind == FIRST_RESPONSE, o.outcome == "missed")
    else:
        manual = select(Event.inquiry_id).where(
            escalated(), Event.actor != bindparam("bot"), Event.at < bindparam("end")
        )
        by_hand = o.inquiry_id.in_(manual)
        decided_at, team = bare(o.decided_at), bare(o.team)
        missed = MISSED_FIRST_RESPONSE  # the misses from ix_outcomes_missed alone
    query = select(o.holder, func.sum(o.weight)).where(
        by_hand,
        missed,
        decided_at >= bindparam("start"),
        decided_at < bindparam("end"),
    )
    return in_scope(query, by_teams, by_users, team, o.holder).group_by(o.holder)


def _not_voided(fact_id: Any) -> ColumnElement[bool]:
    """No void fact cancels this one: a seek in ix_outcomes_corrects per fact (NOT IN a list of
    every void fact made both databases read the whole table first)."""
    void = aliased(Outcome)
    return ~exists().where(void.corrects == fact_id, void.fact == "void")


# ---- disputes --------------------------------------------------------------------------------


def add_dispute_row(session: Session, values: dict[str, Any]) -> None:
    session.add(OutcomeDispute(**values))
    session.flush()


def disputes_of(session: Session, outcome_ids: Iterable[int]) -> list[OutcomeDispute]:
    ids = list(outcome_ids)
    if not ids:
        return []
    query = select(OutcomeDispute).where(OutcomeDispute.outcome_id.in_(ids)).order_by(OutcomeDispute.id)
    return list(session.scalars(query))


@dataclass(frozen=True)
class DisputeRow:
    outcome_id: int
    inquiry_id: int
    kind: str
    outcome: str
    deadline: datetime
    decided_at: datetime
    holder: str
    team: str
    disputed_by: str
    disputed_at: datetime
    reason: str
    decision: str | None = None  # upheld | voided | None (open)
    decided_by: str | None = None
    decided_on: datetime | None = None
    decision_reason: str | None = None
    subject: str = ""


def dispute_rows(
    session: Session,
    *,
    teams: Sequence[str] | None = None,
    users: Sequence[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    open_only: bool = False,
    limit: int = 100,
) -> list[DisputeRow]:
    """Disputes with their outcome and decision, newest first: of the teams' or people's outcomes,
    optionally only those whose outcome was decided in [start, end) or still undecided."""
    period = start is not None and end is not None
    params = scope_params(teams, users, **({"start": start, "end": end} if period else {}))
    opened = list(session.execute(_disputes_statement(teams is not None, users is not None, period), params))
    decisions = (
        {
            r.outcome_id: r
            for r in session.scalars(_decisions_statement(), {"ids": [row[0].outcome_id for row in opened]})
        }
        if opened
        else {}
    )
    out = []
    for dispute, outcome, subject in opened:
        decision = decisions.get(dispute.outcome_id)
        if open_only and decision is not None:
            continue
        out.append(
            DisputeRow(
                outcome.id,
                outcome.inquiry_id,
                outcome.kind,
                outcome.outcome,
                outcome.deadline,
                outcome.decided_at,
                outcome.holder,
                outcome.team,
                dispute.actor,
                dispute.at,
                dispute.reason,
                decision.action if decision else None,
                decision.actor if decision else None,
                decision.at if decision else None,
                decision.reason if decision else None,
                subject,
            )
        )
        if len(out) >= limit:
            break
    return out


@cache
def _disputes_statement(by_teams: bool, by_users: bool, period: bool) -> Select[Any]:
    d = OutcomeDispute
    query = (
        select(d, Outcome, Inquiry.subject)
        .join(Outcome, Outcome.id == d.outcome_id)
        .join(Inquiry, Inquiry.id == d.inquiry_id)
        .where(d.action == "disputed")
    )
    query = in_scope(query, by_teams, by_users, d.team, Outcome.holder)
    if period:
        query = query.where(Outcome.decided_at >= bindparam("start"), Outcome.decided_at < bindparam("end"))
    return query.order_by(d.id.desc())


@cache
def _decisions_statement() -> Select[Any]:
    d = OutcomeDispute
    return (
        select(d)
        .where(d.action.in_(("upheld", "voided")), d.outcome_id.in_(bindparam("ids", expanding=True)))
        .order_by(d.id)
    )


def disputable(
    session: Session, *, holder: str, start: datetime, end: datetime, limit: int = 5
) -> list[Outcome]:
    """The holder's missed outcomes decided in [start, end), still counted and never disputed."""
    disputed = select(OutcomeDispute.outcome_id)
    query = (
        select(Outcome)
        .where(
            Outcome.holder == holder,
            Outcome.fact == "decided",
            Outcome.outcome == "missed",
            Outcome.decided_at >= start,
            Outcome.decided_at < end,
            Outcome.id.not_in(disputed),
            _not_voided(Outcome.id),
        )
        # Newest first; misses decided at one instant (a deadline many items shared) by item,
        # newest first, so that which ones App Home lists never depends on the database.
        .order_by(Outcome.decided_at.desc(), Outcome.inquiry_id.desc(), Outcome.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def answered_late(session: Session, ids: Sequence[int]) -> set[int]:
    """Of these missed facts, those a late answer has since turned into late."""
    if not ids:
        return set()
    return {corrects for corrects, _ in session.execute(_late_answers(), {"ids": list(ids)})}


@dataclass(frozen=True)
class MissedRow:
    id: int
    subject: str
    holder: str
    deadline: datetime
    responded_at: datetime | None
    business_hours: float | None
    source_link: str | None
    # What the evidence's "logged N business days after receipt" mark needs (docs/record.md).
    team: str | None = None
    logged_by: str | None = None
    logged_at: datetime | None = None
    received_at: datetime | None = None


def missed_first_responses(
    *,
    session: Session,
    teams: Sequence[str] | None,
    users: Sequence[str] | None,
    start: datetime,
    end: datetime,
    limit: int,
) -> list[MissedRow]:
    """The evidence behind the missed count: first-response misses decided in [start, end), still
    counted (not voided), each with its holder and, once answered late, the answer."""
    params = scope_params(teams, users, start=start, end=end, limit=limit)
    rows = session.execute(_missed_statement(teams is not None, users is not None), params).all()
    late: dict[int | None, float | None] = (
        dict(session.execute(_late_answers(), {"ids": [r.id for r in rows]}).tuples().all()) if rows else {}
    )
    return [
        MissedRow(
            r.inquiry_id,
            r.subject,
            r.holder,
            r.deadline,
            r.first_response_at if r.id in late else None,
            late.get(r.id),
            r.source_link,
            r.team,
            r.logged_by,
            r.logged_at,
            r.received_at,
        )
        for r in rows
    ]


@cache
def _missed_statement(by_teams: bool, by_users: bool) -> Select[Any]:
    o = Outcome
    query = (
        select(
            o.id,
            o.inquiry_id,
            o.holder,
            o.deadline,
            Inquiry.subject,
            Inquiry.source_link,
            Inquiry.first_response_at,
            Inquiry.team,
            Inquiry.logged_by,
            Inquiry.logged_at,
            Inquiry.received_at,
        )
        .join(Inquiry, Inquiry.id == o.inquiry_id)
        .where(
            MISSED_FIRST_RESPONSE,  # ix_outcomes_missed, in the order listed
            o.fact == "decided",
            o.decided_at >= bindparam("start"),
            o.decided_at < bindparam("end"),
            _not_voided(o.id),
        )
    )
    query = in_scope(query, by_teams, by_users, o.team, o.holder)
    return query.order_by(o.team, o.deadline, o.inquiry_id).limit(bindparam("limit"))


@cache
def _late_answers() -> Select[Any]:
    """(the missed fact, hours taken) of the late answers to the facts :ids."""
    o = Outcome
    return select(o.corrects, o.business_hours).where(
        o.fact == "late", o.corrects.in_(bindparam("ids", expanding=True))
    )


@dataclass(frozen=True)
class MissedPromiseRow:
    """A promise missed: its resolution, or the status update due by it, not made by the date."""

    inquiry_id: int
    kind: str  # resolution | status_update
    subject: str
    holder: str
    deadline: datetime
    source_link: str | None
    resolved_at: datetime | None  # the item resolved since (later than promised), else None


def missed_promises(
    *,
    session: Session,
    teams: Sequence[str] | None,
    users: Sequence[str] | None,
    start: datetime,
    end: datetime,
    limit: int,
) -> list[MissedPromiseRow]:
    """The evidence behind the promise and status-update rates: resolution and status-update misses
    decided in [start, end), still counted (not voided), from ix_outcomes_missed_promises."""
    params = scope_params(teams, users, start=start, end=end, limit=limit)
    rows = session.execute(_missed_promises(teams is not None, users is not None), params).all()
    return [MissedPromiseRow(*row) for row in rows]


@cache
def _missed_promises(by_teams: bool, by_users: bool) -> Select[Any]:
    o, i = Outcome, Inquiry
    resolved = case((i.status == "resolved", i.resolved_at), else_=None)
    query = (
        select(o.inquiry_id, o.kind, i.subject, o.holder, o.deadline, i.source_link, resolved)
        .join(i, i.id == o.inquiry_id)
        .where(
            MISSED_PROMISE,  # ix_outcomes_missed_promises, in the order listed
            o.fact == "decided",
            # A team's: `bare` keeps SQLite off ix_outcomes_team (every fact of the team's year,
            # 76 ms); a person's few thousand facts are quicker through ix_outcomes_holder.
            (o.decided_at if by_users else bare(o.decided_at)) >= bindparam("start"),
            (o.decided_at if by_users else bare(o.decided_at)) < bindparam("end"),
            _not_voided(o.id),
        )
    )
    query = in_scope(query, by_teams, by_users, o.team, o.holder)
    return query.order_by(o.team, o.deadline, o.inquiry_id, o.kind).limit(bindparam("limit"))
