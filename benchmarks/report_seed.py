"""The seeded database of bench_report.py (and bench_chart.py): 1,000,000 inquiries of 500 people
in 10 teams over FY2027, with their events, feedback and absences, bulk-loaded (indexes dropped,
rows inserted by executemany / COPY, indexes rebuilt), then what migrations 0002, 0007 and 0008 do
to an existing database: the outcome facts backfilled from the rows and the tallies rebuilt.

SQLite: a file in the temp folder (or a given path; an existing seeded file is reused with keep).
PostgreSQL: a new schema `bench_report_<random>`, dropped at the end, or `bench_report_kept` with
keep; nothing else in that database is touched.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402

from bot.config.loading import config_from_dict  # noqa: E402
from bot.config.teams import Config  # noqa: E402
from storage.models import Base  # noqa: E402
from storage.queries.outcome_backfill import backfill  # noqa: E402
from storage.queries.tally_rebuild import rebuild as rebuild_tallies  # noqa: E402
from storage.session import make_engine, normalize_url  # noqa: E402

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
