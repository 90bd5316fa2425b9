"""Declaring a closure at scale: 100,000 live inquiries of which 20,000 have a pending deadline on
the closed day; the declaration (closure row, a new deadline version, an event and a moved
next-action time per item, one DM per holder, the team's note: one transaction) must take <= 5 s.

    /work/venv/bin/python benchmarks/bench_closures.py [URL] [--rows 100000] [--affected 20000] [--rounds 3]

URL (or DATABASE_URL): sqlite:///path.db or postgresql://user@host/db; default a SQLite file in the
temp folder (deleted afterwards). PostgreSQL: everything happens in a new schema
`bench_closures_<random>`, dropped at the end.

The clock stands at Tue 8 Dec 2026 08:00 New York. Affected: received Mon 7 Dec needing research
(2 business days: due Wed 9 Dec 17:00); a snow day on Wed 9 Dec moves each to Thu 10 Dec 17:00.
The rest stay: due Tue 8 Dec (pending, before the closed day), acknowledged already, or with an
established deadline. Each round declares the snow day, then cancels it (which moves all back).

Baseline, measured in the same run: the same 20,000 fresh plans computed in memory with no
database (policy.plan on the new calendar), so the figures show what the storage adds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, select, text  # noqa: E402

from benchmarks.scratch import machine_line, scratch_engine  # noqa: E402
from bot.config.loading import config_from_dict  # noqa: E402
from bot.lifecycle.replan import ClosureService  # noqa: E402
from bot.time.clock import FixedClock  # noqa: E402
from bot.time.closures import ClosureRequest  # noqa: E402
from storage.models import Deadline, Inquiry, OutboxMessage  # noqa: E402
from storage.session import session_factory  # noqa: E402

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 8, 8, 0, tzinfo=NY)  # Tue 08:00
SNOW_DAY = date(2026, 12, 9)  # Wed
CONFIG = {"admins": ["UADMIN"], "teams": {"default": {"channel": "CTEAM", "policy": "department"}}}
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
    "established_reason",
    "first_response_due",
    "first_response_at",
    "first_response_by",
    "escalation_level",
    "escalated",
    "reassignments",
    "next_action_at",
)


def rows(count: int, affected: int, when):
    """Affected items every `count // affected`th row, so they are spread through the table."""
    every = max(count // affected, 1)
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=NY)
    made = 0
    for n in range(count):
        received = monday + timedelta(minutes=n % 470)
        ack = est = None
        if n % every == 0 and made < affected:
            made += 1
            research, due, status = True, datetime(2026, 12, 9, 17, tzinfo=NY), "open"
            rule = "department: email needing research within 2 business days"
        else:
            research, status, rule = False, "open", "department: email within 1 business day"
            due = datetime(2026, 12, 8, 17, tzinfo=NY)
            if n % 5 == 1:  # answered already: decided
                status, ack, due = (
                    "acknowledged",
                    received + timedelta(hours=1),
                    datetime(2026, 12, 9, 17, tzinfo=NY),
                )
            elif n % 5 == 2:  # an established deadline: an instant someone set, not business time
                est, due = "program office", datetime(2026, 12, 9, 17, tzinfo=NY)
        yield (
            "default",
            "email",
            f"Seeded inquiry {n}",
            when(received),
            when(received),
            "ULOGGER",
            f"U{n % 5000:05d}",
            "standard",
            research,
            status,
            "department",
            rule,
            est,
            when(due),
            when(ack) if ack else None,
            f"U{n % 5000:05d}" if ack else None,
            0,
            False,
            0,
            when(NOW + timedelta(hours=3)),
        )


def seed(engine: Engine, count: int, affected: int) -> float:
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            cur = raw.cursor()
            cur.execute("BEGIN")
            cur.executemany(
                f"INSERT INTO inquiries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                rows(count, affected, lambda t: t.astimezone(UTC).isoformat(" ", "microseconds")[:26]),
            )
            cur.execute("COMMIT")
        else:
            with raw.cursor() as cur, cur.copy(f"COPY inquiries ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows(count, affected, lambda t: t):
                    copy.write_row(row)
            raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def baseline(config, affected: int) -> float:
    """Seconds for `affected` fresh plans in memory on the calendar with the snow day."""
    team = config.teams["default"]
    team.calendar.set_live_days({SNOW_DAY: (None, "closure: weather")})
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=NY)
    started = time.perf_counter()
    for n in range(affected):
        team.policy.plan(
            team.calendar, kind="email", needs_research=True, received_at=monday + timedelta(minutes=n % 470)
        ).facts()
    took = time.perf_counter() - started
    team.calendar.set_live_days({})
    return took


def calendar_speed(cases: int = 200_000) -> list[str]:
    """add_business_hours (1 hour and 10,000 hours) on a plain calendar and on one with a live
    closure every week for a year (whole days and partial days), same random starts."""
    import random

    from bot.time.calendar import BusinessCalendar

    plain, closed = BusinessCalendar(NY), BusinessCalendar(NY)
    live = {}
    for week in range(52):
        day = date(2026, 1, 5) + timedelta(weeks=week, days=week % 5)
        live[day] = (None, "closure: weather") if week % 3 == 0 else ((11 * 60, 15 * 60), "partial: weather")
    closed.set_live_days(live)
    rng = random.Random(7)
    starts = [
        datetime(2026, 1, 1, tzinfo=NY) + timedelta(minutes=rng.randrange(0, 525_600)) for _ in range(cases)
    ]
    lines = []
    for hours in (1, 10_000):
        per = {}
        for name, cal in (("plain", plain), ("closures", closed)):
            cal.add_business_hours(starts[0], hours)  # build the years first
            t0 = time.perf_counter()
            for start in starts:
                cal.add_business_hours(start, hours)
            per[name] = (time.perf_counter() - t0) / cases * 1e6
        lines.append(
            f"  add_business_hours({hours:>6,}): plain {per['plain']:.2f} µs, with 52 live closures "
            f"(1/3 whole days, 2/3 partial) {per['closures']:.2f} µs ({per['closures'] / per['plain']:.2f}x)"
        )
    return lines


def count(engine: Engine, model) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--affected", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    _, engine, cleanup = scratch_engine(args.url, "bench_closures")
    try:
        print(machine_line("inquirybot closure re-plan benchmark", engine))
        took = seed(engine, args.rows, args.affected)
        print(
            f"seeded {count(engine, Inquiry):,} live inquiries in {took:.1f} s; "
            f"{args.affected:,} have a pending deadline on {SNOW_DAY:%a %d %b %Y}"
        )
        print("calendar speed with per-date hours (same run, same random starts):")
        for line in calendar_speed():
            print(line)
        config = config_from_dict(CONFIG)
        base = baseline(config, args.affected)
        print(
            f"baseline: {args.affected:,} fresh plans in memory (no database): {base:.2f} s, "
            f"{base / args.affected * 1e6:.0f} µs per item"
        )
        clock = FixedClock(NOW)
        service = ClosureService(session_factory(engine), config, clock)
        print("round  action     wall s  cpu s  moved  per item µs  x baseline")
        walls = []
        for i in range(1, args.rounds + 1):
            clock.set(NOW + timedelta(minutes=i))
            for action in ("declare", "cancel"):
                w0, c0 = time.perf_counter(), time.process_time()
                if action == "declare":
                    result = service.declare(
                        actor="UADMIN", request=ClosureRequest(SNOW_DAY, reason="weather")
                    )
                    closure_id = result.closure.id
                else:
                    result = service.cancel(actor="UADMIN", closure_id=closure_id)
                wall, cpu = time.perf_counter() - w0, time.process_time() - c0
                walls.append(wall)
                per = wall / max(result.moved, 1) * 1e6
                print(
                    f"{i:>5}  {action:<9} {wall:7.2f} {cpu:6.2f} {result.moved:>6} {per:12.0f} "
                    f"{wall / base:10.1f}"
                )
        print(
            f"declare/cancel with {args.affected:,} of {args.rows:,} moved: median {statistics.median(walls):.2f} s, "
            f"worst {max(walls):.2f} s (target <= 5 s); "
            f"{statistics.median(walls) / args.affected * 1e6:.0f} µs per moved item"
        )
        print(
            f"stored: {count(engine, Deadline):,} deadline versions, {count(engine, OutboxMessage):,} outbox rows "
            f"(one DM per holder, one team note, per declaration/cancellation)"
        )
    finally:
        engine.dispose()
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
