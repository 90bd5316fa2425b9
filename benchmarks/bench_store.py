"""The inquiry store at scale: seed 1,000,000 inquiries by bulk insert, then time log, acknowledge
and status update through InquiryService (target: <= 5 ms per operation), and check with EXPLAIN
that the queries reminders and reports need use their indexes.

    /work/venv/bin/python benchmarks/bench_store.py [URL] [--rows 1000000] [--ops 300] [--keep]
        [--reuse NAME] [--profile FILE]

URL (or DATABASE_URL): sqlite:///path.db or postgresql://user@host/db. Default: a SQLite file in
the temp folder. SQLite: the file must not exist (it is created, and deleted afterwards unless
--keep). PostgreSQL: everything happens in a new schema `bench_store_<random>` that is dropped at
the end (unless --keep); nothing else in that database is touched.

--reuse NAME (for repeated runs while tuning): PostgreSQL works in schema NAME, SQLite in the
file NAME; if it already holds --rows seeded inquiries the seeding is skipped, and it is kept
afterwards (drop it yourself: DROP SCHEMA NAME CASCADE / rm NAME*). --profile FILE writes a
cProfile of the timed operations (read it with python -m pstats FILE).

Seeding bypasses the service (executemany on SQLite, COPY on PostgreSQL); the timed operations go
through the real service, one transaction each, as a Slack command would.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402

from bot.config.loading import config_from_dict  # noqa: E402
from bot.lifecycle import InquiryDraft, InquiryService  # noqa: E402
from bot.time.clock import FixedClock  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Inquiry  # noqa: E402
from storage.session import make_engine, normalize_url, session_factory  # noqa: E402

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TEAMS, MEMBERS, SPECIALISTS = 3, 100, 3
SPAN = timedelta(days=3 * 365)  # seeded receipts spread over three years before NOW
COLUMNS = (
    "team",
    "kind",
    "subject",
    "customer_name",
    "customer_contact",
    "received_at",
    "logged_at",
    "logged_by",
    "assignee",
    "complexity",
    "needs_research",
    "status",
    "close_reason",
    "policy",
    "rule",
    "first_response_due",
    "first_response_at",
    "first_response_by",
    "first_response_business_hours",
    "resolved_at",
    "last_update_at",
    "escalation_level",
    "escalated",
    "reassignments",
    "next_action_at",
)
KINDS = ("email", "phone", "email", "written", "slack", "in-person")


def member(team: int, i: int) -> str:
    return f"UT{team}M{i:03d}"


def specialist(team: int, i: int) -> str:
    return f"UT{team}S{i}"


def bench_config():
    return config_from_dict(
        {
            "admins": ["UADMIN"],
            "teams": {
                f"team{t}": {
                    "members": [member(t, i) for i in range(MEMBERS)],
                    "supervisors": [f"UT{t}SUP"],
                    "specialists": [specialist(t, i) for i in range(SPECIALISTS)],
                    "escalation_channel": f"CT{t}ESC",
                }
                for t in range(TEAMS)
            },
        }
    )


def seed_rows(count: int, when=lambda t: t) -> Iterator[tuple]:
    """Deterministic, realistic mix: ~5% live (open/acknowledged) in the last weeks, the rest
    resolved or closed; every 10th item complex and held by a specialist. `when` converts each
    instant to what the driver takes."""
    step = SPAN / count
    start = NOW - SPAN
    for n in range(count):
        t = n % TEAMS
        received = start + step * n
        complex_ = n % 10 == 0
        assignee = specialist(t, n % SPECIALISTS) if complex_ else member(t, (n // TEAMS) % MEMBERS)
        due = received + timedelta(days=1)
        recent = NOW - received < timedelta(days=20)
        status = (
            ("open" if n % 3 == 0 else "acknowledged")
            if recent
            else ("closed" if n % 37 == 0 else "resolved")
        )
        answered = received + timedelta(hours=3 + n % 20)
        acked = status != "open"
        done = status in ("resolved", "closed")
        received_, due_, answered_ = when(received), when(due), when(answered) if acked else None
        yield (
            f"team{t}",
            KINDS[n % len(KINDS)],
            f"Seeded inquiry {n}",
            f"Customer {n % 5000}",
            None,
            received_,
            received_,
            member(t, n % MEMBERS),
            assignee,
            "complex" if complex_ else "standard",
            n % 4 == 0,
            status,
            "duplicate" if status == "closed" else None,
            "department",
            "department: email within 1 business day",
            due_,
            answered_,
            assignee if acked else None,
            3.0 if acked else None,
            when(answered + timedelta(days=2)) if done else None,
            answered_,
            0,
            False,
            0,
            None if done else due_,
        )


def seed_sqlite(engine: Engine, count: int) -> None:
    # TZDateTime stores naive UTC text on SQLite in SQLAlchemy's DATETIME format
    # ("2026-11-24 15:00:00.000000"); the seeded instants are all UTC already.
    def iso(value: datetime) -> str:
        return value.isoformat(" ", "microseconds")[:26]

    sql = f"INSERT INTO inquiries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA cache_size = -262144")  # 256 MB for this one bulk load
        cur.execute("BEGIN")
        batch = []
        for row in seed_rows(count, iso):
            batch.append(row)
            if len(batch) == 50_000:
                cur.executemany(sql, batch)
                batch.clear()
        cur.executemany(sql, batch)
        cur.execute("COMMIT")
    finally:
        raw.close()


def seed_postgres(engine: Engine, count: int) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            with cur.copy(f"COPY inquiries ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in seed_rows(count):
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def seed(engine: Engine, count: int) -> None:
    """Bulk load with the inquiries' secondary indexes dropped, then build them (a sort each,
    much faster than a million B-tree inserts), then refresh the planner's statistics."""
    indexes = sorted(Inquiry.__table__.indexes, key=lambda ix: ix.name)
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    (seed_sqlite if engine.dialect.name == "sqlite" else seed_postgres)(engine, count)
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn)
        # Only this table: a bare ANALYZE on PostgreSQL would take locks on every schema in the database.
        conn.execute(text("ANALYZE inquiries"))
    if engine.dialect.name == "sqlite":  # fold the load into the main file, as a live database would be
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def timed(samples: list[tuple[float, float]], call):
    """Wall and CPU milliseconds: on a busy machine the wall time includes waiting for a core,
    the CPU time is this process's own work (plus the database's, for SQLite, which runs in it)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    samples.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return result


def run_operations(engine: Engine, ops: int) -> dict[str, list[tuple[float, float]]]:
    clock = FixedClock(NOW)
    service = InquiryService(session_factory(engine), bench_config(), clock)
    samples: dict[str, list[tuple[float, float]]] = {
        "log": [],
        "acknowledge": [],
        "update": [],
        "log (complex)": [],
    }
    for i in range(ops + 20):  # the first 20 warm caches and are not counted
        clock.advance(timedelta(seconds=7))
        keep = i >= 20
        bucket = {k: (v if keep else []) for k, v in samples.items()}
        t = i % TEAMS
        actor, other = member(t, i % MEMBERS), member(t, (i + 1) % MEMBERS)
        draft = InquiryDraft(kind="email", subject=f"bench {i}", customer_name="Jane Doe", assignee=other)
        view = timed(bucket["log"], lambda: service.log(actor=actor, draft=draft))
        timed(
            bucket["acknowledge"],
            lambda: service.acknowledge(
                actor=other, inquiry_id=view.id, expect=clock.now() + timedelta(days=3), note="called back"
            ),
        )
        timed(
            bucket["update"], lambda: service.update(actor=other, inquiry_id=view.id, note="waiting on legal")
        )
        complex_draft = InquiryDraft(kind="phone", subject=f"bench complex {i}", complexity="complex")
        timed(bucket["log (complex)"], lambda: service.log(actor=actor, draft=complex_draft))
    return samples


# (what needs it, SQL, index the plan must use)
PLANS = (
    (
        "reminders: due items",
        "SELECT id FROM inquiries WHERE next_action_at <= '{now}' ORDER BY next_action_at LIMIT 500",
        "ix_inquiries_next_action_at",
    ),
    (
        "reports: person x period (received)",
        "SELECT count(*) FROM inquiries WHERE assignee = 'UT1M007' "
        "AND received_at >= '{start}' AND received_at < '{now}'",
        "ix_inquiries_assignee_received",
    ),
    (
        "reports: person x period (deadlines)",
        "SELECT status, first_response_at FROM inquiries WHERE "
        "assignee = 'UT1M007' AND first_response_due >= '{start}' AND first_response_due < '{now}'",
        "ix_inquiries_assignee_due",
    ),
    (
        "reports: team x period (deadlines)",
        "SELECT assignee, first_response_at FROM inquiries WHERE team = 'team1' "
        "AND first_response_due >= '{week}' AND first_response_due < '{now}'",
        "ix_inquiries_team_due",
    ),
    (
        "list mine",
        "SELECT id FROM inquiries WHERE assignee = 'UT1M007' AND status IN ('open', 'acknowledged') "
        "ORDER BY first_response_due LIMIT 200",
        "ix_inquiries_assignee_",
    ),
    ("events of an inquiry", "SELECT * FROM events WHERE inquiry_id = 5 ORDER BY id", "ix_events_inquiry"),
)


def check_plans(engine: Engine) -> list[tuple[str, bool, str]]:
    sqlite = engine.dialect.name == "sqlite"
    fmt = "%Y-%m-%d %H:%M:%S.%f" if sqlite else "%Y-%m-%dT%H:%M:%S+00:00"
    values = {
        "now": NOW.strftime(fmt),
        "start": (NOW - timedelta(days=365)).strftime(fmt),
        "week": (NOW - timedelta(days=7)).strftime(fmt),
    }
    results = []
    with engine.connect() as conn:
        for name, sql, index in PLANS:
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = conn.execute(text(prefix + sql.format(**values))).all()
            plan = " | ".join(str(r[-1]) for r in rows)
            results.append((name, index in plan, plan))
    return results


def open_target(url: str | None, reuse: str | None = None) -> tuple[Engine, callable]:
    """(engine on an empty target — or the reused one —, cleanup)."""
    url = (
        url
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{Path(tempfile.gettempdir()) / 'inquirybot-bench.db'}"
    )
    parsed = normalize_url(url)
    if reuse and parsed.get_backend_name() == "sqlite":
        engine = make_engine(f"sqlite:///{Path(reuse).resolve()}")
        return engine, engine.dispose
    if reuse:
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{reuse}"'))
        admin.dispose()
        engine = make_engine(
            parsed.update_query_dict({"options": f"-csearch_path={reuse}"}).render_as_string(
                hide_password=False
            )
        )
        return engine, engine.dispose
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        default = path.name == "inquirybot-bench.db" and path.parent == Path(tempfile.gettempdir())
        if path.exists() and not default:
            sys.exit(f"bench_store: {path} exists; give a new file (the benchmark fills it with 1M rows)")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        engine = make_engine(str(parsed.render_as_string(hide_password=False)))

        def cleanup():
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        return engine, cleanup
    schema = f"bench_store_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    )

    def cleanup_pg():
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return engine, cleanup_pg


def summary(values: list[tuple[float, float]]) -> str:
    wall = sorted(w for w, _ in values)
    p95 = wall[int(len(wall) * 0.95) - 1]
    cpu = statistics.fmean(c for _, c in values)
    return (
        f"wall mean {statistics.fmean(wall):6.2f}  median {statistics.median(wall):6.2f}  "
        f"p95 {p95:6.2f}  max {wall[-1]:6.2f}  | CPU mean {cpu:5.2f}"
    )


def load() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "url", nargs="?", help="sqlite:///file.db or postgresql://... (default: DATABASE_URL)"
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--ops", type=int, default=300, help="timed iterations of each operation")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database afterwards")
    parser.add_argument(
        "--reuse",
        metavar="NAME",
        help="PostgreSQL schema / SQLite file to seed once and reuse on later runs (kept)",
    )
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the timed operations")
    args = parser.parse_args()

    engine, cleanup = open_target(args.url, args.reuse)
    try:
        print(
            f"bench_store: {engine.dialect.name} {engine.dialect.server_version_info or ''}, "
            f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
        )
        upgrade(engine)
        with engine.connect() as conn:
            present = conn.execute(text("SELECT count(*) FROM inquiries")).scalar_one() if args.reuse else 0
        if present >= args.rows:
            print(f"reusing {args.reuse}: {present:,} inquiries already there")
        else:
            if present:
                sys.exit(
                    f"bench_store: {args.reuse} holds {present:,} inquiries, fewer than --rows; drop it first"
                )
            started = time.perf_counter()
            seed(engine, args.rows)
            seconds = time.perf_counter() - started
            print(
                f"seeded {args.rows:,} inquiries in {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s, bulk insert)"
            )

        print(f"before the timed operations: {load()}")
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        samples = run_operations(engine, args.ops)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        print(f"through InquiryService, one transaction each, {args.ops} timed of each (ms):")
        worst = 0.0
        for name, values in samples.items():
            worst = max(worst, statistics.median(w for w, _ in values))
            print(f"  {name:<14} {summary(values)}")
        print(f"after: {load()}")
        verdict = "OK" if worst <= 5.0 else "OVER TARGET"
        print(f"target <= 5 ms per operation (median wall time): {verdict}")

        print("EXPLAIN (index the plan must use):")
        missing = 0
        for name, ok, plan in check_plans(engine):
            missing += not ok
            print(f"  [{'ok' if ok else 'NO INDEX'}] {name}: {plan[:160]}")
        return 0 if verdict == "OK" and not missing else 1
    finally:
        if args.keep or args.reuse:
            print(f"kept: {engine.url.render_as_string(hide_password=True)}")
            engine.dispose()
        else:
            cleanup()


if __name__ == "__main__":
    sys.exit(main())
