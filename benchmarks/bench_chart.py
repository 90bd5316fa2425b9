"""What the report chart adds to the weekly digest: the digest without its chart (the baseline,
measured in the same run), the 12-week trend's counts, drawing the PNG, and the whole digest with
its chart, on the seeded database of bench_report.py (report_seed.py) (500 people in 10 teams, one rating period).

    python benchmarks/bench_chart.py [sqlite|postgresql|both] [--inquiries 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report_seed import NOW, bench_config, open_postgres, open_sqlite, seed  # noqa: E402

from bot.rendering.chart import chart_png  # noqa: E402
from bot.rendering.digest import digest_blocks, digest_text  # noqa: E402
from bot.reports.digest import collect_digest  # noqa: E402
from bot.reports.trend import chart_for, week_rates  # noqa: E402
from bot.scheduling.digests import build_digest  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.session import session_factory  # noqa: E402

WEEK = date(2027, 9, 20)
TEAM = "team05"


def timed(fn, repeat: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return samples, result


def run(kind: str, args: argparse.Namespace) -> None:
    engine, cleanup, _ = (
        open_sqlite(None, False) if kind == "sqlite" else open_postgres(args.postgres_url, False)
    )
    try:
        upgrade(engine)
        seed(engine, args.inquiries)
        config, sessions = bench_config(), session_factory(engine)
        team = config.team(TEAM)
        print(f"\n== {kind} · {args.inquiries:,} inquiries · load average {os.getloadavg()[0]:.1f} ==")

        def without_chart():
            with sessions() as s:
                d = collect_digest(s, config, team, WEEK, NOW)
                return digest_text(d), digest_blocks(d)

        def trend():
            with sessions() as s:
                return week_rates(s, team, WEEK, NOW)

        with sessions() as s:
            chart = chart_for(s, config, collect_digest(s, config, team, WEEK, NOW).report, NOW)

        def with_chart():
            with sessions() as s:
                return build_digest(s, config, TEAM, WEEK, NOW)

        rows = [
            ("digest without chart (baseline)", *timed(without_chart, args.repeat)),
            ("12-week trend counts", *timed(trend, args.repeat)),
            ("draw the PNG (matplotlib Agg)", *timed(lambda: chart_png(chart), args.repeat)),
            ("digest with chart", *timed(with_chart, args.repeat)),
        ]
        base = statistics.median(rows[0][1])
        for name, samples, result in rows:
            median = statistics.median(samples)
            note = f"{len(result):,} bytes" if isinstance(result, bytes) else ""
            print(
                f"{name:<34} median {median:7.3f} s  best {min(samples):7.3f} s  x{median / base:5.2f} of baseline  {note}"
            )
    finally:
        cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--inquiries", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        run(kind, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
