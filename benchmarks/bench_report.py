"""Reports at scale: 1,000,000 inquiries, 500 people in 10 teams, one federal rating period (FY2027),
with their events (logged, acknowledged, updated, resolved, escalated, reassigned), feedback and
absences. Times the report everyone (all teams, the whole year) — target <= 2 s — plus one team,
one person, a weekly digest and the App Home line, on SQLite and on PostgreSQL.

Each report runs both ways in the same run, alternately: as the bot does — outcome facts, and the
tallies of facts, activity and hand-overs (docs/outcomes.md) — and the baseline: the counts computed
from the raw inquiry rows as before (benchmarks/report_baseline.py; the other parts of a report are
the same code in both). The two must give identical numbers; the ratio baseline / facts is printed.
Targets: every team >= 4x, one person >= 10x, the App Home line and the digest no slower (>= 1x).
The seeded database is report_seed.py's.

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
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402

import benchmarks.report_baseline as baseline  # noqa: E402
from benchmarks.report_seed import NOW, bench_config, open_postgres, open_sqlite, person, seed  # noqa: E402
from bot.reports import build as report_build  # noqa: E402
from bot.reports import trend  # noqa: E402
from bot.reports.build import build_report  # noqa: E402
from bot.reports.periods import parse_period  # noqa: E402
from bot.reports.readers import DEFAULT_CONNECTIONS, open_readers  # noqa: E402
from bot.scheduling.digests import build_digest  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.session import session_factory  # noqa: E402


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
    """(name, baseline samples, facts samples, facts cpu, note, identical) per case. The two ways
    alternate run by run, each round in the other order, after a first round that is not timed, so
    that the machine's drift and the caches' warming during a run fall on both alike (until
    2026-12-08 every baseline ran first, its first run cold, then every facts run)."""
    out = []
    for name, run_once in _cases(engine):
        samples: dict[str, list[float]] = {"baseline": [], "facts": []}
        cpu: list[float] = []
        values: dict[str, object] = {}
        note = ""
        for round_ in range(repeat + 1):
            for mode in ("baseline", "facts") if round_ % 2 else ("facts", "baseline"):
                with Baseline() if mode == "baseline" else _nothing():
                    values[mode], note, elapsed, used = run_once()
                if round_:
                    samples[mode].append(elapsed)
                    if mode == "facts":
                        cpu.append(used)
        identical = values["baseline"] == values["facts"]
        out.append((name, samples["baseline"], samples["facts"], cpu, note, identical))
    return out


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return None


def _cases(engine: Engine) -> list[tuple[str, Callable[[], tuple[object, str, float, float]]]]:
    """Each case as (name, run): run() -> (what must be identical both ways, a note, wall, cpu)."""
    config, sessions = bench_config(), session_factory(engine)
    year = parse_period("FY2027", today=date(2027, 9, 30))
    cases = (
        ("report: all teams, FY2027 (CLI default)", dict(kind="all", subject="all", evidence_limit=500)),
        ("report: one team, FY2027", dict(kind="team", subject="team03", evidence_limit=100)),
        ("report: one person, FY2027", dict(kind="person", subject=person(3, 7), evidence_limit=100)),
        ("App Home line: one person, FY2027", dict(kind="person", subject=person(4, 9), detail=False)),
    )

    def report(kwargs: dict) -> Callable[[], tuple[object, str, float, float]]:
        def run() -> tuple[object, str, float, float]:
            started, used = time.perf_counter(), time.process_time()
            # As `inquirybot report` and /inquiry report do; App Home reads on one session.
            with open_readers(sessions, 1 if "detail" in kwargs else DEFAULT_CONNECTIONS) as readers:
                r = build_report(readers, config, period=year, now=NOW, **kwargs)
                elapsed, spent = time.perf_counter() - started, time.process_time() - used
            note = f"{r.totals.deadlines:,} deadlines, on time {r.totals.on_time_rate:.3f}, {len(r.people)} people"
            return numbers(r), note, elapsed, spent

        return run

    def digest() -> tuple[object, str, float, float]:
        with sessions() as s:
            started, used = time.perf_counter(), time.process_time()
            body, blocks = build_digest(s, config, "team05", date(2027, 9, 20), NOW)
            return (
                (body, blocks),
                f"{len(blocks)} blocks",
                time.perf_counter() - started,
                time.process_time() - used,
            )

    return [(name, report(kwargs)) for name, kwargs in cases] + [("weekly digest: one team", digest)]


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
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs each way, after one untimed run each way"
    )
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results = [run(kind, args) for kind in kinds]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
