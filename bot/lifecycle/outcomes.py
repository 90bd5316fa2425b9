"""Deciding outcomes (docs/outcomes.md): every deadline has one outcome, decided at one instant —
the answer if it came by the deadline, else the deadline itself — and it belongs to whoever held
the item then. Called inside the lifecycle's transactions (the inquiry row is locked) and by the
scheduler's job, so an outcome is stored exactly once, in the same commit as what decided it.

`catch_up` runs before anything changes an item: deadlines fallen since the last change are decided
first, as missed, for the holder and team the item had at the deadline (nothing changed since). An
item logged after its deadline had fallen has its miss decided at the logging instead (`missed_at`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from bot.rendering.explain import OutcomeNote
from storage.queries import outcomes as q
from storage.queries.inquiries import InquiryRecord
from storage.queries.outcome_disputes import disputes_of
from storage.session import Session

FIRST_RESPONSE, RESOLUTION, STATUS_UPDATE = q.FIRST_RESPONSE, q.RESOLUTION, q.STATUS_UPDATE
Hours = Callable[[datetime, datetime], float]  # business hours between two instants (the item's team)


def arm(s: Session, row: InquiryRecord, kind: str, due: datetime) -> None:
    """A new deadline: its outcome is pending until answered or fallen."""
    q.add_pending(s, inquiry_id=row.id, deadlines=[(kind, due)])


def arm_promise(s: Session, row: InquiryRecord, promise: datetime) -> None:
    """A promised resolution date is two deadlines: the resolution itself, and keeping the customer
    informed (a status update, or the resolution, by that date)."""
    q.add_pending(s, inquiry_id=row.id, deadlines=[(RESOLUTION, promise), (STATUS_UPDATE, promise)])


def move_first_responses(s: Session, moves: list[tuple[int, datetime]]) -> None:
    """First-response deadlines a closure moved, (inquiry id, new deadline) each: their outcome is
    decided at the new one (docs/closures.md). Only undecided deadlines are ever moved."""
    q.move_pending(s, kind=FIRST_RESPONSE, moves=moves)


def catch_up(
    s: Session, row: InquiryRecord, now: datetime, hours: Hours, *, actor: str, through: bool = False
) -> int:
    """Decide, as missed at their deadline, the pending deadlines that fell before `now` — and, with
    `through`, one falling at `now` itself. An answer at the deadline instant is on time (it calls
    this without `through`); a hand-over at that instant comes after it, so the miss stays with
    whoever held the item up to the deadline (docs/outcomes.md)."""
    decided = 0
    fallen = [p for p in q.pending_of(s, row.id) if p.due_at < now or (through and p.due_at == now)]
    for p in fallen:
        business = round(hours(row.received_at, p.due_at), 4) if p.kind == FIRST_RESPONSE else None
        if _decide(s, row, p.kind, p.due_at, missed_at(p.due_at, row), "missed", business, now, actor):
            decided += 1
    q.drop_pending(s, [p.key for p in fallen])
    return decided


def missed_at(due: datetime, row: InquiryRecord) -> datetime:
    """The instant a missed deadline is decided: the deadline itself, or — when the item was logged
    only after its deadline had fallen (a receipt given as two weeks ago) — the logging, the first
    instant the record knew of the deadline. So a miss never lands in a period that had already
    ended when the item was logged: a finished week stays as it ended (docs/outcomes.md)."""
    return max(due, row.logged_at)


def answer(
    s: Session, row: InquiryRecord, kinds: Iterable[str], now: datetime, hours: Hours, *, actor: str
) -> None:
    """An answer of the given kinds at `now`: pending deadlines not yet fallen are met now; missed
    ones become late (same holder, team and instant). Call catch_up first."""
    kinds = set(kinds)
    met = [p for p in q.pending_of(s, row.id) if p.kind in kinds and p.due_at >= now]
    for p in met:
        business = round(hours(row.received_at, now), 4) if p.kind == FIRST_RESPONSE else None
        _decide(s, row, p.kind, p.due_at, now, "on_time", business, now, actor)
    q.drop_pending(s, [p.key for p in met])
    facts = q.facts_of(s, row.id)
    late_for = {f.corrects for f in facts if f.fact == "late"}
    voided = {f.corrects for f in facts if f.fact == "void"}
    for f in facts:
        if f.fact == "decided" and f.outcome == "missed" and f.kind in kinds and f.id not in late_for:
            business = round(hours(row.received_at, now), 4) if f.kind == FIRST_RESPONSE else None
            q.insert_fact(
                s,
                dict(
                    key=q.fact_key(row.id, f.kind, f.deadline, "late"),
                    inquiry_id=row.id,
                    kind=f.kind,
                    fact="late",
                    deadline=f.deadline,
                    decided_at=f.decided_at,
                    holder=f.holder,
                    team=f.team,
                    outcome="late",
                    # A late answer to a voided miss is recorded but, like the miss, never counted.
                    weight=0 if f.id in voided else 1,
                    business_hours=business,
                    corrects=f.id,
                    recorded_at=now,
                    recorded_by=actor,
                ),
            )


def cancel(s: Session, row: InquiryRecord) -> None:
    """The item was closed (duplicate / withdrawn): deadlines not yet fallen need no outcome."""
    q.drop_pending(s, [p.key for p in q.pending_of(s, row.id)])


def void(s: Session, fact_id: int, *, actor: str, now: datetime) -> int:
    """Take a fact (and the late fact that corrects it) out of the rates: new facts of weight -1."""
    voided = 0
    target = q.fact(s, fact_id)
    assert target is not None, f"no outcome #{fact_id}"  # callers pass a fact they just read
    facts = q.facts_of(s, target.inquiry_id)
    for f in facts:
        if (f.id == fact_id or (f.fact == "late" and f.corrects == fact_id)) and f.weight:
            q.insert_fact(
                s,
                dict(
                    key=f"void:{f.id}",
                    inquiry_id=f.inquiry_id,
                    kind=f.kind,
                    fact="void",
                    deadline=f.deadline,
                    decided_at=f.decided_at,
                    holder=f.holder,
                    team=f.team,
                    outcome=f.outcome,
                    weight=-f.weight,
                    business_hours=f.business_hours,
                    corrects=f.id,
                    recorded_at=now,
                    recorded_by=actor,
                ),
            )
            voided += 1
    return voided


def outcome_notes(s: Session, inquiry_id: int) -> list[OutcomeNote]:
    """The item's decided outcomes as the reports count them, for `explain`: each `decided` fact,
    turned late by a `late` fact, with its disputes (a void among them); docs/outcomes.md."""
    facts = q.facts_of(s, inquiry_id)
    late = {f.corrects for f in facts if f.fact == "late"}
    decided = [f for f in facts if f.fact == "decided"]
    disputes = disputes_of(s, [f.id for f in decided])
    return [
        OutcomeNote(
            kind=f.kind,
            deadline=f.deadline,
            outcome="late" if f.id in late else f.outcome,
            holder=f.holder,
            decided_at=f.decided_at,
            disputes=tuple((d.action, d.actor, d.reason) for d in disputes if d.outcome_id == f.id),
        )
        for f in decided
    ]


def _decide(
    s: Session,
    row: InquiryRecord,
    kind: str,
    deadline: datetime,
    at: datetime,
    outcome: str,
    business: float | None,
    now: datetime,
    actor: str,
) -> bool:
    return (
        q.insert_fact(
            s,
            dict(
                key=q.fact_key(row.id, kind, deadline, "decided"),
                inquiry_id=row.id,
                kind=kind,
                fact="decided",
                deadline=deadline,
                decided_at=at,
                holder=row.assignee,
                team=row.team,
                outcome=outcome,
                weight=1,
                business_hours=business,
                corrects=None,
                recorded_at=now,
                recorded_by=actor,
            ),
        )
        is not None
    )
