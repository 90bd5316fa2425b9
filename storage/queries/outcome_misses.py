"""The evidence behind a report's missed counts: the first-response misses, and the missed
promises and status updates, decided in the period and still counted (not voided), each with its
item and, once answered late, the answer (docs/outcomes.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, case, select
from sqlalchemy.orm import Session

from storage.expressions import bare, in_scope, scope_params
from storage.models import MISSED_FIRST_RESPONSE, MISSED_PROMISE, Inquiry, Outcome
from storage.queries.outcomes import late_answers, not_voided


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
        dict(session.execute(late_answers(), {"ids": [r.id for r in rows]}).tuples().all()) if rows else {}
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
            MISSED_FIRST_RESPONSE,  # ix_outcomes_missed(_holder), in the order listed
            o.fact == "decided",
            # `bare`: SQLite would otherwise walk every fact of the period in ix_outcomes_team or
            # ix_outcomes_holder and sort the misses.
            bare(o.decided_at) >= bindparam("start"),
            bare(o.decided_at) < bindparam("end"),
            not_voided(o.id),
        )
    )
    query = in_scope(query, by_teams, by_users, o.team, o.holder)
    return query.order_by(o.team, o.deadline, o.inquiry_id).limit(bindparam("limit"))


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
            MISSED_PROMISE,  # ix_outcomes_missed_promises(_holder), in the order listed
            o.fact == "decided",
            # `bare` keeps SQLite off ix_outcomes_team (every fact of the team's year, 76 ms) and
            # ix_outcomes_holder (a person's few thousand facts, then a sort).
            bare(o.decided_at) >= bindparam("start"),
            bare(o.decided_at) < bindparam("end"),
            not_voided(o.id),
        )
    )
    query = in_scope(query, by_teams, by_users, o.team, o.holder)
    return query.order_by(o.team, o.deadline, o.inquiry_id, o.kind).limit(bindparam("limit"))
