"""The deliverer's statements, built once (Core; their compiled SQL is cached): claiming due outbox
rows and recording a send. What they mean is told in bot/delivery.py and README "Delivery guarantee"."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Update, and_, bindparam, func, select, update

from storage.models import OutboxMessage
from storage.types import TZDateTime

CLAIM_COLUMNS = (
    OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.team, OutboxMessage.kind, OutboxMessage.channel,
    OutboxMessage.text, OutboxMessage.blocks, OutboxMessage.thread_ts, OutboxMessage.inquiry_id,
    OutboxMessage.attempts, OutboxMessage.created_at, OutboxMessage.give_up_at, OutboxMessage.last_error,
    OutboxMessage.next_attempt_at,
)


@lru_cache(maxsize=4)
def claim_statements(dialect: str) -> tuple[Update, Update]:
    """The two claim statements, built once (Core, cached): expired leases, then due pending rows.

    UPDATE outbox SET status='sending', claimed_by=:worker, claim_expires_at=:lease_end,
           give_up_at=COALESCE(give_up_at, :give_up)
    WHERE id IN (SELECT id FROM outbox WHERE <due> AND channel NOT IN (:hot)
                 ORDER BY next_attempt_at, id LIMIT :room [FOR UPDATE SKIP LOCKED])
    RETURNING …
    """
    t = OutboxMessage.__table__
    when = bindparam("now", type_=TZDateTime())
    due = (
        and_(t.c.status == "sending", t.c.claim_expires_at < when),
        and_(t.c.status == "pending", t.c.next_attempt_at <= when),
    )
    out = []
    for condition in due:
        pick = (
            select(t.c.id)
            .where(condition, t.c.channel.not_in(bindparam("hot", expanding=True)))
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(bindparam("room"))
        )
        if dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        out.append(
            update(t)
            .where(t.c.id.in_(pick.scalar_subquery()))
            .values(
                status="sending",
                claimed_by=bindparam("worker"),
                claim_expires_at=bindparam("lease_end", type_=TZDateTime()),
                give_up_at=func.coalesce(t.c.give_up_at, bindparam("give_up", type_=TZDateTime())),
            )
            .returning(*(t.c[c.key] for c in CLAIM_COLUMNS))
        )
    return out[0], out[1]


def _mark_sent_statement() -> Update:
    """The hot path's one statement, built once: sent, if this deliverer still holds the claim."""
    t = OutboxMessage.__table__
    return (
        update(t)
        .where(t.c.id == bindparam("row_id"), t.c.claimed_by == bindparam("worker"), t.c.status == "sending")
        .values(status="sent", sent_at=bindparam("at", type_=TZDateTime()), slack_ts=bindparam("ts"),
                attempts=t.c.attempts + 1, claimed_by=None, claim_expires_at=None, last_error=None)
    )


MARK_SENT = _mark_sent_statement()


def _mark_attempt_statement() -> Update:
    """Right before a send: the row says an attempt began (and when), so that if this deliverer
    dies now, whoever takes the row over looks in Slack first — and only for such rows."""
    t = OutboxMessage.__table__
    return (
        update(t)
        .where(t.c.id == bindparam("row_id"), t.c.claimed_by == bindparam("worker"), t.c.status == "sending")
        .values(last_error=bindparam("note"))
    )


MARK_ATTEMPT = _mark_attempt_statement()
