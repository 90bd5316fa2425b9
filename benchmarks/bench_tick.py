"""The scheduler pass at scale: 1,000,000 open inquiries of which 1,000 are due; a tick must find
them through ix_inquiries_next_action_at (not a scan) and act on them in <= 1 s. Also shows the
deliverer's per-channel pacing (about one message per second per channel).

    /work/venv/bin/python benchmarks/bench_tick.py [URL] [--rows 1000000] [--due 1000] [--rounds 5]

URL (or DATABASE_URL): sqlite:///path.db or postgresql://user@host/db; default a SQLite file in the
temp folder (deleted afterwards). PostgreSQL: everything happens in a new schema
`bench_tick_<random>`, dropped at the end.

Each round moves a FixedClock ten minutes on; exactly `--due` inquiries have a nudge falling due in
those ten minutes (their 50% point), the rest wait days ahead. A round is the scheduling jobs of one
tick — cover_absences, reminders (claim, plan, one outbox row and one event per nudge, the next
action time stored) and digests — in a warm process, as in `serve`; the cold `inquirybot tick`
start-up (imports, ~1 s) is printed separately.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, event, func, select, text  # noqa: E402

from benchmarks.scratch import machine_line, scratch_engine  # noqa: E402
from bot.config.loading import default_config  # noqa: E402
from bot.delivery.deliverer import Deliverer, DeliveryPolicy  # noqa: E402
from bot.delivery.outbox import enqueue  # noqa: E402
from bot.delivery.sending import Outgoing, SendResult  # noqa: E402
from bot.scheduling.jobs import SCHEDULING_JOBS, JobContext, run_job  # noqa: E402
from bot.time.clock import FixedClock  # noqa: E402
from storage.models import Inquiry, OutboxMessage  # noqa: E402
from storage.queries.scheduling import claim_due  # noqa: E402
from storage.session import session_factory, transaction  # noqa: E402

START = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Tue 12:00 in New York
ROUND = timedelta(minutes=10)
COLUMNS = (
    "team",
    "kind",
    "subject",
    "received_at",
    "logged_at",
    "logged_by",
    "assignee",
    "complexity",
    "needs_research",
    "status",
    "policy",
    "rule",
    "first_response_due",
    "escalation_level",
    "escalated",
    "reassignments",
    "next_action_at",
)


def rows(count: int, due: int, rounds: int, when):
    """`due` items per round whose 50% nudge falls at that round's instant (received 2 business
    hours before, due 2 after: same day, 10:00-14:00 New York); the others' next action is days
    ahead. Shuffled so the due ones are spread through the table."""
    rng = random.Random(7)
    due_slots = set(rng.sample(range(count), due * rounds))
    round_of = {n: i % rounds for i, n in enumerate(sorted(due_slots))}
    for n in range(count):
        if n in due_slots:
            at = START + ROUND * (round_of[n] + 1) - timedelta(minutes=1 + n % 9)
            received, deadline, next_at = at - timedelta(hours=2), at + timedelta(hours=2), at
        else:
            received = START - timedelta(hours=n % 48)
            deadline = received + timedelta(days=2)
            next_at = START + timedelta(days=1 + n % 9, minutes=n % 600)
        r, d = when(received), when(deadline)
        yield (
            "default",
            "email",
            f"Seeded inquiry {n}",
            r,
            r,
            "ULOGGER",
            f"U{n % 5000:05d}",
            "standard",
            False,
            "open",
            "department",
            "department: email within 1 business day",
            d,
            0,
            False,
            0,
            when(next_at),
        )


def seed(engine: Engine, count: int, due: int, rounds: int) -> float:
    """Bulk load (executemany on SQLite, COPY on PostgreSQL) with the secondary indexes dropped and
    rebuilt after, then ANALYZE. Returns seconds."""
    started = time.perf_counter()
    indexes = sorted(Inquiry.__table__.indexes, key=lambda ix: ix.name)
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            cur = raw.cursor()
            cur.execute("BEGIN")
            # SQLAlchemy's SQLite DATETIME text, which TZDateTime compares as naive UTC.
            cur.executemany(
                f"INSERT INTO inquiries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                rows(count, due, rounds, lambda t: t.astimezone(UTC).isoformat(" ", "microseconds")[:26]),
            )
            cur.execute("COMMIT")
        else:
            with raw.cursor() as cur, cur.copy(f"COPY inquiries ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows(count, due, rounds, lambda t: t):
                    copy.write_row(row)
            raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn)
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def explain(engine: Engine, now: datetime) -> list[str]:
    """The plan of the scheduler's own claim query: storage.queries.scheduling.claim_due's SQL and parameters,
    caught as they go to the driver, then EXPLAINed."""
    caught: list[tuple[str, object]] = []

    def catch(conn, cursor, statement, parameters, context, executemany):
        if "FROM inquiries" in statement and "next_action_at <=" in statement:
            caught.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        with session_factory(engine)() as s:
            claim_due(s, now, 500)
            s.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", catch)
    statement, parameters = caught[0]
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(prefix + statement, parameters)
        found = [" ".join(str(c) for c in row[-1:]) for row in cur.fetchall()]
        raw.rollback()
    finally:
        raw.close()
    return [" ".join(statement.split())[:160] + " …", *found]


def run_rounds(engine: Engine, rounds: int) -> list[tuple[float, float, int, int]]:
    sessions = session_factory(engine)
    clock = FixedClock(START)
    ctx = JobContext(sessions, default_config(), clock)
    for name in SCHEDULING_JOBS:  # warm: imports, compiled statements ...
        run_job(name, ctx)
    for team in ctx.config.teams.values():  # ... and the calendar (its holiday tables load on first use)
        team.calendar.add_business_hours(START, 1)
    out = []
    for _ in range(rounds):
        clock.advance(ROUND)
        with sessions() as s:
            messages_before = s.scalar(select(func.count()).select_from(OutboxMessage))
        wall, cpu = time.perf_counter(), time.process_time()
        results = [run_job(name, ctx) for name in SCHEDULING_JOBS]
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert all(r.ok for r in results), results
        with sessions() as s:
            messages = s.scalar(select(func.count()).select_from(OutboxMessage)) - messages_before
        due = int(results[1].summary.split()[0])
        out.append((wall * 1000, cpu * 1000, due, messages))
    return out


class _Recording:
    """A Sender that only notes when each message went (pacing is the deliverer's, not Slack's)."""

    def __init__(self):
        self.sent: list[tuple[float, str]] = []

    def send(self, message: Outgoing) -> SendResult:
        self.sent.append((time.monotonic(), message.channel))
        return SendResult.sent(f"{time.time():.6f}")


def pacing(engine: Engine) -> list[str]:
    """5 messages to one channel and 5 to five others, drained on the real clock."""
    from bot.time.clock import SystemClock

    sessions = session_factory(engine)
    clock = SystemClock()
    with transaction(sessions) as s:
        s.query(OutboxMessage).delete()
        for i in range(5):
            enqueue(
                s,
                key=f"pace-busy-{i}",
                team="default",
                kind="post",
                channel="CBUSY",
                text="x",
                now=clock.now(),
            )
            enqueue(
                s,
                key=f"pace-other-{i}",
                team="default",
                kind="post",
                channel=f"COTHER{i}",
                text="x",
                now=clock.now(),
            )
    sender = _Recording()
    Deliverer(sessions, default_config(), clock, sender, policy=DeliveryPolicy(pace=1.0)).drain(wait=5)
    t0 = sender.sent[0][0]
    busy = [f"{t - t0:.2f}" for t, ch in sender.sent if ch == "CBUSY"]
    others = [f"{t - t0:.2f}" for t, ch in sender.sent if ch != "CBUSY"]
    return [
        f"  CBUSY (5 messages):          sent at +{', +'.join(busy)} s",
        f"  5 other channels (1 each):   sent at +{', +'.join(others)} s",
    ]


def cold_tick(url: str) -> float:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env.pop("INQUIRYBOT_CONFIG", None)
    command = [
        sys.executable,
        "-c",
        "import sys; from inquirybot.cli import main; sys.exit(main())",
        "tick",
        "--no-deliver",
        "--now",
        (START + ROUND * 100).isoformat(),
    ]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    url, engine, cleanup = scratch_engine(args.url, "bench_tick")
    try:
        print(machine_line("inquirybot scheduler benchmark", engine))
        took = seed(engine, args.rows, args.due, args.rounds)
        with engine.connect() as conn:
            live = conn.scalar(select(func.count()).select_from(Inquiry).where(Inquiry.status == "open"))
        print(
            f"seeded {live:,} open inquiries in {took:.1f} s; {args.due:,} fall due in each of {args.rounds} rounds"
        )
        print("claim query plan (storage.queries.scheduling.claim_due):")
        for line in explain(engine, START + ROUND):
            print(f"  {line}")
        results = run_rounds(engine, args.rounds)
        print("round  wall ms  cpu ms  due  messages")
        for i, (wall, cpu, due, messages) in enumerate(results, 1):
            print(f"{i:>5}  {wall:7.0f}  {cpu:6.0f}  {due:>4}  {messages:>8}")
        walls = [r[0] for r in results]
        print(
            f"tick over {live:,} open inquiries with {args.due:,} due: median {statistics.median(walls):.0f} ms, "
            f"best {min(walls):.0f} ms, worst {max(walls):.0f} ms (target <= 1000 ms)"
        )
        print(
            f"cold `inquirybot tick --no-deliver` (process start, imports, nothing due): {cold_tick(url):.2f} s"
        )
        print("per-channel pacing (DeliveryPolicy.pace = 1.0 s):")
        for line in pacing(engine):
            print(line)
    finally:
        engine.dispose()
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
