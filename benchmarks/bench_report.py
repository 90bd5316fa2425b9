"""Reports at scale: 1,000,000 inquiries, 500 people in 10 teams, one federal rating period (FY2027),
with their events (logged, acknowledged, updated, resolved, escalated, reassigned), feedback and
absences. Times the report everyone (all teams, the whole year) — target <= 2 s — plus one team,
one person, a weekly digest and the App Home line, on SQLite and on PostgreSQL.

Each report runs twice in the same run: as the bot does — outcome facts, and the tallies of facts,
activity and hand-overs (docs/outcomes.md) — and the baseline: the counts computed from the raw
inquiry rows as before (benchmarks/report_baseline.py; the other parts of a report are the same
code in both). The two must give identical numbers; the ratio baseline / facts is printed.
Targets: every team >= 4x, one person >= 10x, the App Home line and the digest no slower (>= 1x).
Seeding ends as migrations 0007 and 0008 do, by rebuilding the tallies (days, then months) from the rows.

    python benchmarks/bench_report.py [sqlite|postgresql|both] [--inquiries 1000000]
        [--sqlite-path FILE] [--postgres-url URL] [--keep] [--repeat 3]

SQLite: a file in the temp folder (or --sqlite-path; an existing seeded file is reused with --keep).
PostgreSQL (default postgresql://postgres@127.0.0.1:5432/test): a new schema `bench_report_<random>`,
dropped at the end; nothing else in that database is touched. Seeding bypasses the service (indexes
dropped, rows bulk-inserted by executemany / COPY, indexes rebuilt); the reports then run exactly as
`inquirybot report` runs them.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402

import benchmarks.report_baseline as baseline  # noqa: E402
from bot.config.loading import config_from_dict  # noqa: E402
from bot.config.teams import Config  # noqa: E402
from bot.reports import build as report_build  # noqa: E402
from bot.reports import trend  # noqa: E402
from bot.reports.build import build_report  # noqa: E402
from bot.reports.periods import parse_period  # noqa: E402
from bot.reports.readers import DEFAULT_CONNECTIONS, open_readers  # noqa: E402
from bot.scheduling.digests import build_digest  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Base  # noqa: E402
from storage.queries.outcome_backfill import backfill  # noqa: E402
from storage.queries.tally_rebuild import rebuild as rebuild_tallies  # noqa: E402
from storage.session import make_engine, normalize_url, session_factory  # noqa: E402

TEAMS, MEMBERS = 10, 50  # 500 people
START = datetime(2026, 10, 1, 4, tzinfo=UTC)  # FY2027 begins (midnight EDT)
YEAR = timedelta(days=365)
NOW = datetime(2027, 9, 30, 21, tzinfo=UTC)  # 5 pm EDT on the last day of FY2027
BOT = "inquirybot"
INQUIRY_COLUMNS = (
    "id",
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
    "close_reason",
    "policy",
    "rule",
    "first_response_due",
    "first_response_at",
    "first_response_by",
    "first_response_business_hours",
    "promised_resolution",
    "resolved_at",
    "last_update_at",
    "first_update_at",
    "escalation_level",
    "escalated",
    "reassignments",
    "next_action_at",
)
EVENT_COLUMNS = ("inquiry_id", "type", "actor", "at", "payload")
FEEDBACK_COLUMNS = ("inquiry_id", "score", "comment", "given_by", "given_at")
ABSENCE_COLUMNS = ("user_id", "team", "starts_at", "ends_at", "alternate", "created_at", "ended_at")
KINDS = ("email", "phone", "email", "written", "slack", "in-person")
COMMENTS = ("Quick and clear", "Took a while", "Very helpful", "Still waiting on the form", "Thanks!")


def person(team: int, i: int) -> str:
    return f"UT{team:02d}M{i:02d}"


def bench_config() -> Config:
    return config_from_dict(
        {
            "admins": ["UADMIN"],
            "teams": {
                f"team{t:02d}": {
                    "members": [person(t, i) for i in range(MEMBERS)],
                    "supervisors": [f"UT{t:02d}SUP"],
                    "channel": f"CT{t:02d}",
                }
                for t in range(TEAMS)
            },
        }
    )


def generate(count: int) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
    """Deterministic rows: ~95% answered on time, ~4% late, ~1% unanswered, 70% with a promised
    date (88% of them kept), 40% of those with a status update, 3% escalated, 3% reassigned,
    10% of the resolved with feedback."""
    rng = random.Random(20261001)
    inquiries, events, feedback = [], [], []
    step = YEAR / count
    for n in range(1, count + 1):
        t, i = rng.randrange(TEAMS), rng.randrange(MEMBERS)
        owner = person(t, i)
        received = START + step * (n - 1) + timedelta(seconds=rng.randrange(600))
        due = received + timedelta(hours=24 + rng.randrange(9))
        events.append((n, "logged", owner, received, "{}"))
        assignee, answered_by, reassigned = owner, None, 0
        if rng.random() < 0.03:  # handed to a colleague a minute after logging, before any answer
            other = person(t, (i + 1 + rng.randrange(MEMBERS - 1)) % MEMBERS)
            events.append(
                (
                    n,
                    "reassigned",
                    f"UT{t:02d}SUP",
                    received + timedelta(minutes=1),
                    f'{{"from": "{owner}", "to": "{other}"}}',
                )
            )
            assignee, reassigned = other, 1
        roll = rng.random()
        answered = (
            None
            if roll < 0.01 or received > NOW - timedelta(hours=4)
            else (received + timedelta(minutes=2, hours=min(rng.expovariate(1 / 7), 200)))
        )
        if answered is not None and answered > NOW:
            answered = None
        status, closed, promised, resolved, updated, hours = "open", None, None, None, None, None
        if answered is not None:
            answered_by, status = assignee, "acknowledged"
            hours = round((answered - received).total_seconds() / 3600 * 0.33, 4)
            events.append((n, "acknowledged", assignee, answered, "{}"))
            if rng.random() < 0.7:
                promised = answered + timedelta(days=1 + rng.random() * 9)
                if rng.random() < 0.4:
                    updated = answered + (promised - answered) * rng.random()
                    events.append((n, "updated", assignee, updated, '{"note": "status"}'))
            if promised is None:
                done = answered + timedelta(days=rng.random() * 8)
            elif rng.random() < 0.88:  # most promises are kept
                done = answered + (promised - answered) * (0.2 + 0.8 * rng.random())
            else:
                done = promised + timedelta(days=rng.random() * 5)
            if done < NOW and rng.random() < 0.97:
                resolved, status = done, "resolved"
                events.append((n, "resolved", assignee, done, "{}"))
                if rng.random() < 0.1:
                    comment = COMMENTS[rng.randrange(len(COMMENTS))] if rng.random() < 0.3 else None
                    feedback.append(
                        (
                            n,
                            1 + min(4, int(rng.expovariate(1) * 2)),
                            comment,
                            assignee,
                            done + timedelta(hours=3),
                        )
                    )
        elif roll < 0.01 and rng.random() < 0.5:
            status, closed = "closed", "duplicate"
            events.append((n, "closed", assignee, received + timedelta(hours=1), '{"reason": "duplicate"}'))
        escalated = rng.random() < 0.03
        if escalated:
            manual = rng.random() < 0.4
            events.append(
                (
                    n,
                    "escalated",
                    assignee if manual else BOT,
                    due + timedelta(hours=8),
                    f'{{"level": 2, "manual": {"true" if manual else "false"}}}',
                )
            )
        last_update = resolved or updated or answered
        live = status in ("open", "acknowledged")
        inquiries.append(
            (
                n,
                f"team{t:02d}",
                KINDS[n % len(KINDS)],
                f"Seeded inquiry {n}",
                received,
                received,
                owner,
                assignee,
                "standard",
                n % 5 == 0,
                status,
                closed,
                "department",
                "department: email within 1 business day",
                due,
                answered,
                answered_by,
                hours,
                promised,
                resolved,
                last_update,
                updated,
                2 if escalated else 0,
                escalated,
                reassigned,
                due if live else None,
            )
        )
    absences = []
    for t in range(TEAMS):
        for i in range(MEMBERS):
            for _ in range(2):
                begin = START + timedelta(days=rng.randrange(355))
                absences.append(
                    (
                        person(t, i),
                        f"team{t:02d}",
                        begin,
                        begin + timedelta(days=3 + rng.randrange(3)),
                        person(t, (i + 1) % MEMBERS),
                        begin - timedelta(days=7),
                        None,
                    )
                )
    return inquiries, events, feedback, absences


def _indexes():
    return [index for table in Base.metadata.sorted_tables for index in table.indexes]


def seed(engine: Engine, count: int) -> dict[str, float]:
    started = time.perf_counter()
    inquiries, events, feedback, absences = generate(count)
    figures = {"generate": time.perf_counter() - started}
    started = time.perf_counter()
    with engine.begin() as conn:  # rebuilding an index after a bulk load beats updating it per row
        for index in _indexes():
            index.drop(conn)
    tables = (
        ("inquiries", INQUIRY_COLUMNS, inquiries),
        ("events", EVENT_COLUMNS, events),
        ("feedback", FEEDBACK_COLUMNS, feedback),
        ("absences", ABSENCE_COLUMNS, absences),
    )
    (_load_sqlite if engine.dialect.name == "sqlite" else _load_postgres)(engine, tables)
    figures["load"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        for index in _indexes():
            index.create(conn)
    figures["indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:  # what migration 0002 does to an existing database
        figures["facts"] = backfill(conn, NOW)
        figures["tallies"] = rebuild_tallies(conn)  # what migrations 0007 and 0008 do
    figures["backfill"] = time.perf_counter() - started
    if engine.dialect.name == "postgresql":  # what autovacuum does for a live database
        # AUTOCOMMIT for this connection only (SQLAlchemy restores it when the connection goes back
        # to the pool); only this schema's tables (search_path), never the others'.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "VACUUM ANALYZE inquiries, events, feedback, absences, outcomes, outcome_pending, "
                "outcome_tallies, activity_tallies"
            )
    else:  # fold the load into the main file, as a live database would be
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    figures["rows"] = len(inquiries) + len(events) + len(feedback) + len(absences)
    return figures


def _load_sqlite(engine: Engine, tables) -> None:
    def cell(value):  # TZDateTime's SQLite form: naive UTC text, SQLAlchemy's DATETIME format
        return (
            value.astimezone(UTC).isoformat(" ", "microseconds")[:26]
            if isinstance(value, datetime)
            else value
        )

    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN")
        for name, columns, rows in tables:
            sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for start in range(0, len(rows), 100_000):
                cur.executemany(sql, [tuple(cell(v) for v in row) for row in rows[start : start + 100_000]])
        cur.execute("COMMIT")
    finally:
        raw.close()


def _load_postgres(engine: Engine, tables) -> None:
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:
            for name, columns, rows in tables:
                with cur.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        raw.commit()
    finally:
        raw.close()


def open_sqlite(path: Path | None, keep: bool) -> tuple[Engine, Callable[[], None], bool]:
    path = path or Path(tempfile.gettempdir()) / "inquirybot-bench-report.db"
    reuse = keep and path.exists()
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")

    def cleanup():
        engine.dispose()
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    return engine, cleanup, reuse


def open_postgres(url: str, keep: bool) -> tuple[Engine, Callable[[], None], bool]:
    # --keep: a fixed schema, kept afterwards and reused when it holds a finished seed.
    schema = "bench_report_kept" if keep else f"bench_report_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        reuse = (
            keep
            and conn.execute(
                text(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = :s AND table_name = 'bench_seeded'"
                ),
                {"s": schema},
            ).scalar()
            == 1
        )
        if not reuse:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(
        normalize_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )

    def cleanup():
        engine.dispose()
        if not keep:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return engine, cleanup, reuse


class Baseline:
    """Within `with Baseline():` reports take their counts from the raw rows, as before tallies."""

    def __enter__(self):
        self.saved = report_build._count_tasks, report_build._EXTRAS["by_hand"], trend.fact_counts
        report_build._count_tasks = baseline.count_tasks
        report_build._EXTRAS["by_hand"] = baseline.raw_by_hand
        trend.fact_counts = baseline.raw_outcome_counts  # the digest chart's weekly counts

    def __exit__(self, *exc):
        report_build._count_tasks, report_build._EXTRAS["by_hand"], trend.fact_counts = self.saved


def numbers(report) -> tuple:
    return (report.totals, tuple((line.user, line.metrics, line.band) for line in report.people))


def measure(engine: Engine, repeat: int) -> list[tuple]:
    """(name, baseline samples, facts samples, facts cpu, note, identical) per case."""
    results = []
    for mode in ("baseline", "facts"):
        with Baseline() if mode == "baseline" else _nothing():
            results.append(_measure(engine, repeat))
    out = []
    for (name, base, _, _, base_value), (_, facts, cpu, note, value) in zip(*results):
        out.append((name, base, facts, cpu, note, base_value == value))
    return out


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return None


def _measure(engine: Engine, repeat: int) -> list[tuple]:
    config, sessions = bench_config(), session_factory(engine)
    year = parse_period("FY2027", today=date(2027, 9, 30))
    cases = (
        ("report: all teams, FY2027 (CLI default)", dict(kind="all", subject="all", evidence_limit=500)),
        ("report: one team, FY2027", dict(kind="team", subject="team03", evidence_limit=100)),
        ("report: one person, FY2027", dict(kind="person", subject=person(3, 7), evidence_limit=100)),
        ("App Home line: one person, FY2027", dict(kind="person", subject=person(4, 9), detail=False)),
    )
    results = []
    for name, kwargs in cases:
        samples, cpu, note = [], [], ""
        for _ in range(repeat):
            started, used = time.perf_counter(), time.process_time()
            # As `inquirybot report` and /inquiry report do; App Home reads on one session.
            with open_readers(sessions, 1 if "detail" in kwargs else DEFAULT_CONNECTIONS) as readers:
                r = build_report(readers, config, period=year, now=NOW, **kwargs)
                samples.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
            note = f"{r.totals.deadlines:,} deadlines, on time {r.totals.on_time_rate:.3f}, {len(r.people)} people"
        results.append((name, samples, cpu, note, numbers(r)))
    samples, cpu = [], []
    for _ in range(repeat):
        with sessions() as s:
            started, used = time.perf_counter(), time.process_time()
            body, blocks = build_digest(s, config, "team05", date(2027, 9, 20), NOW)
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    results.append(("weekly digest: one team", samples, cpu, f"{len(blocks)} blocks", (body, blocks)))
    return results


TARGETS = {"report: all teams": 4.0, "report: one person": 10.0}


def run(kind: str, args: argparse.Namespace) -> bool:
    if kind == "sqlite":
        engine, cleanup, reuse = open_sqlite(Path(args.sqlite_path) if args.sqlite_path else None, args.keep)
    else:
        engine, cleanup, reuse = open_postgres(args.postgres_url, args.keep)
    try:
        with engine.connect() as conn:
            version = conn.exec_driver_sql(
                "select sqlite_version()" if kind == "sqlite" else "show server_version"
            ).scalar()
        print(f"\n== {kind} {version} · Python {platform.python_version()} · {os.cpu_count()} CPUs ==")
        if reuse:
            print("reusing the seeded database (--keep)")
        else:
            upgrade(engine)
            figures = seed(engine, args.inquiries)
            if kind == "postgresql" and args.keep:  # marks a finished seed for the next --keep
                with engine.begin() as conn:
                    conn.execute(text("CREATE TABLE bench_seeded (done int)"))
            print(
                f"seeded {args.inquiries:,} inquiries ({figures['rows']:,} rows with events, feedback, absences): "
                f"generate {figures['generate']:.1f} s, load {figures['load']:.1f} s, "
                f"indexes {figures['indexes']:.1f} s, outcome facts backfilled {figures['facts']:,} "
                f"({figures['tallies']:,} tally rows) in {figures['backfill']:.1f} s"
            )
        ok = True
        # cpu: this process's CPU time — all of the work on SQLite (in-process), only the client's
        # share on PostgreSQL. On a busy machine the wall time is the cpu plus waiting for a core.
        print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        for name, base, samples, cpu, note, identical in measure(engine, args.repeat):
            best, median = min(samples), statistics.median(samples)
            ratio = statistics.median(base) / median
            target = next((t for prefix, t in TARGETS.items() if name.startswith(prefix)), 1.0)
            runs = " ".join(f"{s:.3f}" for s in samples)
            verdict = f"x{ratio:.2f} (target >= {target:g}x: {'met' if ratio >= target else 'MISSED'})"
            ok = ok and identical
            print(
                f"{name:<38} baseline median {statistics.median(base):6.3f} s  facts best {best:6.3f} s "
                f"median {median:6.3f} s  cpu {min(cpu):6.3f} s  [{runs}]  {verdict}  "
                f"numbers {'identical' if identical else 'DIFFER'}  {note}"
            )
        return ok
    finally:
        cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--inquiries", type=int, default=1_000_000)
    parser.add_argument("--sqlite-path")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep (and reuse) the seeded SQLite file / PostgreSQL schema bench_report_kept",
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results = [run(kind, args) for kind in kinds]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
