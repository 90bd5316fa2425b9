"""The deliverer's statements, built once (Core; their compiled SQL is cached): claiming due outbox
rows and recording a send. What they mean is told in bot/delivery/deliverer.py and docs/delivery.md."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Update, and_, bindparam, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import OutboxMessage
from storage.session import transaction
from storage.tables import table_of
from storage.types import TZDateTime

CLAIM_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.dedupe_key,
    OutboxMessage.team,
    OutboxMessage.kind,
    OutboxMessage.channel,
    OutboxMessage.text,
    OutboxMessage.blocks,
    OutboxMessage.thread_ts,
    OutboxMessage.inquiry_id,
    OutboxMessage.attempts,
    OutboxMessage.created_at,
    OutboxMessage.give_up_at,
    OutboxMessage.last_error,
    OutboxMessage.next_attempt_at,
)
_NEXT_ATTEMPT = len(CLAIM_COLUMNS) - 1


@lru_cache(maxsize=4)
def claim_statements(dialect: str) -> tuple[Update, Update]:
    """The two claim statements, built once (Core, cached): expired leases, then due pending rows.

    UPDATE outbox SET status='sending', claimed_by=:worker, claim_expires_at=:lease_end,
           give_up_at=COALESCE(give_up_at, :give_up)
    WHERE id IN (SELECT id FROM outbox WHERE <due> AND channel NOT IN (:hot)
                 ORDER BY next_attempt_at, id LIMIT :room [FOR UPDATE SKIP LOCKED])
    RETURNING …
    """
    t = table_of(OutboxMessage)
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
    t = table_of(OutboxMessage)
    return (
        update(t)
        .where(t.c.id == bindparam("row_id"), t.c.claimed_by == bindparam("worker"), t.c.status == "sending")
        .values(
            status="sent",
            sent_at=bindparam("at", type_=TZDateTime()),
            slack_ts=bindparam("ts"),
            attempts=t.c.attempts + 1,
            claimed_by=None,
            claim_expires_at=None,
            last_error=None,
        )
    )


MARK_SENT = _mark_sent_statement()


def _mark_attempt_statement() -> Update:
    """Right before a send: the row says an attempt began (and when), so that if this deliverer
    dies now, whoever takes the row over looks in Slack first — and only for such rows; and with
    what words, when they are not the queued ones (sent_text: so a message found in Slack after a
    crash is recorded with what it said)."""
    t = table_of(OutboxMessage)
    return (
        update(t)
        .where(t.c.id == bindparam("row_id"), t.c.claimed_by == bindparam("worker"), t.c.status == "sending")
        .values(last_error=bindparam("note"), sent_text=bindparam("sent_text"))
    )


MARK_ATTEMPT = _mark_attempt_statement()


def _outcome_statement(*, row_id: int, worker: str, count_attempt: bool, values: dict[str, Any]) -> Update:
    t = table_of(OutboxMessage)
    if count_attempt:
        values = {**values, "attempts": t.c.attempts + 1}
    return (
        update(t).where(t.c.id == row_id, t.c.claimed_by == worker, t.c.status == "sending").values(**values)
    )


def next_due(*, session: Session) -> datetime | None:
    """When the earliest pending row may be tried."""
    return session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == "pending")
    )


class OutboxLedger:
    """Where one deliverer's claims and outcomes are written (bot/delivery/deliverer.py says what
    they mean). Claims are committed durably, each in its own transaction. During a pass
    (`outcomes_pass`) on PostgreSQL, each outcome is one atomic UPDATE on one autocommit connection
    that need not wait for the disk flush (docs/delivery.md, "What holds": a mark lost in a database
    crash leaves the row claimed, and the lease path takes it from there)."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions
        self._conn: Connection | None = None

    @property
    def dialect(self) -> str:
        return str(self.sessions.kw["bind"].dialect.name)

    @contextmanager
    def outcomes_pass(self) -> Iterator[None]:
        engine = self.sessions.kw["bind"]
        if engine.dialect.name != "postgresql":
            yield
            return
        with engine.connect() as conn:
            self._conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            self._conn.exec_driver_sql("SET synchronous_commit TO off")
            try:
                yield
            finally:
                self._conn = None
                try:
                    conn.exec_driver_sql("RESET synchronous_commit")
                except Exception:  # a broken connection: never hand it back to the pool
                    conn.invalidate()

    def _execute(
        self, stmt: Any, params: dict[str, Any] | list[dict[str, Any]] | None = None, *, durable: bool = False
    ) -> Any:
        """Run one statement atomically; rows for RETURNING statements, else the row count."""
        if durable or self._conn is None:
            with self.sessions.kw["bind"].begin() as conn:  # SQLite: BEGIN IMMEDIATE … COMMIT
                result = conn.execute(stmt, params or {})
                return result.all() if result.returns_rows else result.rowcount
        result = self._conn.execute(stmt, params or {})
        return result.all() if result.returns_rows else result.rowcount

    def claim(
        self,
        *,
        reclaim: bool,
        now: datetime,
        lease_end: datetime,
        give_up: datetime,
        worker: str,
        hot: list[str],
        room: int,
    ) -> list[tuple[Any, ...]]:
        """Claim up to `room` rows (CLAIM_COLUMNS each): expired leases (reclaim) or due pending rows,
        leaving the channels in `hot` alone."""
        expired, pending = claim_statements(self.dialect)
        params = {
            "now": now,
            "lease_end": lease_end,
            "give_up": give_up,
            "worker": worker,
            "hot": hot,
            "room": room,
        }
        rows = [tuple(r) for r in self._execute(expired if reclaim else pending, params, durable=True)]
        # RETURNING gives the rows in the order the UPDATE met them on disk, not the subquery's
        # ORDER BY: put them back in queue order (next_attempt_at, id), so a list reads the same
        # whichever pages the rows were written to.
        rows.sort(key=lambda r: (r[_NEXT_ATTEMPT], r[0]))
        return rows

    def mark_sent(self, *, row_id: int, worker: str, at: datetime, ts: str | None) -> bool:
        return bool(self._execute(MARK_SENT, {"row_id": row_id, "worker": worker, "at": at, "ts": ts}))

    def mark_attempt(self, *, row_id: int, worker: str, note: str, sent_text: str | None = None) -> bool:
        """Note on a row, right before its send, that an attempt began (MARK_ATTEMPT), and the text
        going to Slack when it is not the queued one (None: as queued)."""
        params = {"row_id": row_id, "worker": worker, "note": note, "sent_text": sent_text}
        return bool(self._execute(MARK_ATTEMPT, params))

    def mark_attempts(self, *, notes: dict[int, str], worker: str, sent_text: str) -> None:
        """mark_attempt for the rows of one list, in one transaction: each went out as `sent_text`."""
        params = [
            {"row_id": row_id, "worker": worker, "note": note, "sent_text": sent_text}
            for row_id, note in notes.items()
        ]
        self._execute(MARK_ATTEMPT, params, durable=True)

    def record(
        self,
        *,
        row_id: int,
        worker: str,
        values: dict[str, Any],
        count_attempt: bool = False,
        then: Callable[[Session], None] | None = None,
    ) -> bool:
        """Write an outcome if `worker` still holds the row; `then` runs in the same transaction
        (it is then not the hot path: one ordinary transaction). False: another deliverer took it."""
        stmt = _outcome_statement(row_id=row_id, worker=worker, count_attempt=count_attempt, values=values)
        if then is None:  # the hot path: one atomic UPDATE right after each send
            return bool(self._execute(stmt))
        with transaction(self.sessions) as s:
            done = cast(CursorResult[Any], s.execute(stmt)).rowcount  # an UPDATE's result is a cursor's
            if done:
                then(s)
        return bool(done)
