"""Disputes of outcome facts: the append-only rows of `outcome_disputes` (one when a dispute is
opened, one when it is decided), the disputes a supervisor lists with their outcome and decision,
and the misses a person may still dispute (docs/outcomes.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from storage.expressions import ids_in, in_scope, scope_params
from storage.models import Inquiry, Outcome, OutcomeDispute
from storage.queries.outcomes import not_voided


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
    return select(d).where(d.action.in_(("upheld", "voided")), ids_in(d.outcome_id)).order_by(d.id)


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
            not_voided(Outcome.id),
        )
        # Newest first; misses decided at one instant (a deadline many items shared) by item,
        # newest first, so that which ones App Home lists never depends on the database.
        .order_by(Outcome.decided_at.desc(), Outcome.inquiry_id.desc(), Outcome.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
