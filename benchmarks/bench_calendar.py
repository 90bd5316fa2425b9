"""Business-time arithmetic: inquirybot's BusinessCalendar side by side with businesstimedelta and
pandas' CustomBusinessHour, on the same random cases in one run.

    /work/venv/bin/python benchmarks/bench_calendar.py [--cases 100000] [--seed 2026]

(needs the `bench` extra: pip install -e ".[test,bench]"). For each operation it prints µs per
operation and the ratios, checks every answer against the peers, and for every disagreement asks a
slow day-by-day reference (tests/pure/test_calendar_reference.py) which side is right. All three are
given the same calendar: America/New_York, Mon–Fri 09:00–17:00, the same closed dates (US federal
holidays as observed, from the same `holidays` call).

pandas has no business-time difference, so its `between` is the usual recipe built on it:
CustomBusinessHour.rollforward of both ends plus numpy.busday_count for the whole days between.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import platform
import random
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import businesstimedelta as btd
import holidays
import numpy as np
import pandas as pd
import pytz
from pandas.tseries.offsets import CustomBusinessHour

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.time.calendar import BusinessCalendar  # noqa: E402
from bot.time.holidays_us import federal_closed_days  # noqa: E402

ZONE = "America/New_York"
NY = ZoneInfo(ZONE)
HOUR = timedelta(hours=1)


def load_reference():
    path = ROOT / "tests" / "pure" / "test_calendar_reference.py"
    spec = importlib.util.spec_from_file_location("calendar_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ReferenceCalendar


def make_cases(n: int, seed: int):
    rng = random.Random(seed)
    lo = int(datetime(2024, 1, 1, tzinfo=NY).timestamp()) // 60
    hi = int(datetime(2031, 1, 1, tzinfo=NY).timestamp()) // 60
    starts = [datetime.fromtimestamp(rng.randrange(lo, hi) * 60, NY) for _ in range(n)]
    hours = [rng.randint(1, 40) for _ in range(n)]  # up to a working week; pandas takes whole hours
    ends = [s + timedelta(minutes=rng.randint(-2 * 1440, 10 * 1440)) for s in starts]
    return starts, hours, ends


def race(label: str, cases: list, contenders: dict) -> dict[str, tuple[list, float]]:
    """Run each contender over the same cases, interleaved chunk by chunk so that load from other
    processes falls on all of them alike; CPU time of this process, not wall-clock time."""
    results = {name: [] for name in contenders}
    spent = dict.fromkeys(contenders, 0.0)
    size = 1000
    for i in range(0, len(cases), size):
        chunk = cases[i : i + size]
        for name, run in contenders.items():
            gc.collect()
            gc.disable()  # as timeit does: a collection triggered by one contender's garbage
            began = clock.process_time()  # would otherwise be charged to whoever runs next
            results[name].extend(run(chunk))
            spent[name] += clock.process_time() - began
            gc.enable()
        print(f"\r  {label}: {min(i + size, len(cases)):,}/{len(cases):,}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return {name: (results[name], spent[name]) for name in contenders}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n = args.cases

    closed = set(federal_closed_days(2023, 2045))
    ours = BusinessCalendar(ZONE)
    pytz_zone = pytz.timezone(ZONE)

    def btd_calendar(holiday_source):
        return btd.Rules(
            [
                btd.WorkDayRule(
                    start_time=time(9), end_time=time(17), working_days=[0, 1, 2, 3, 4], tz=pytz_zone
                ),
                btd.HolidayRule(holiday_source, tz=pytz_zone),
            ]
        )

    # As businesstimedelta's README does it: a `holidays` object, here the same federal call that
    # bot/time/holidays_us.py makes (same dates as `closed` for these years). Also timed on a subset
    # with a plain set of dates, its fastest set-up.
    btd_rules = btd_calendar(
        holidays.country_holidays("US", years=range(2023, 2046), categories=("government",), observed=True)
    )
    btd_set_rules = btd_calendar(closed)
    holiday_list = sorted(closed)
    cbh = CustomBusinessHour(start="09:00", end="17:00", holidays=holiday_list)
    offsets = {
        h: CustomBusinessHour(n=h, start="09:00", end="17:00", holidays=holiday_list) for h in range(1, 41)
    }
    np_holidays = np.array(holiday_list, dtype="datetime64[D]")
    reference = load_reference()(ZONE, closed=closed)

    began = clock.perf_counter()
    BusinessCalendar(ZONE).add_business_hours(datetime(2026, 3, 2, 9, tzinfo=NY), 1)
    cold_ms = (clock.perf_counter() - began) * 1e3

    starts, hours, ends = make_cases(n, args.seed)
    p_starts = [pd.Timestamp(s) for s in starts]
    p_ends = [pd.Timestamp(e) for e in ends]
    ours.add_business_hours(datetime(2031, 1, 1, tzinfo=NY), 11_000)  # build every year used below
    ours.add_business_hours(datetime(2024, 1, 1, tzinfo=NY), -24)

    def pandas_between(a: pd.Timestamp, b: pd.Timestamp) -> float:
        sign = 1.0
        if b < a:
            a, b, sign = b, a, -1.0
        a, b = cbh.rollforward(a), cbh.rollforward(b)
        days = np.busday_count(a.date(), b.date(), holidays=np_holidays)
        a_in = (a - a.normalize()) / HOUR - 9
        b_in = (b - b.normalize()) / HOUR - 9
        return sign * (days * 8 + b_in - a_in)

    add = ours.add_business_hours
    between = ours.business_hours_between
    print(f"Timing {n:,} cases (the peers take minutes)...", file=sys.stderr)
    adds = race(
        "add_business_hours",
        list(zip(starts, p_starts, hours)),
        {
            "ours": lambda chunk: [add(s, h) for s, _, h in chunk],
            "btd": lambda chunk: [s + btd.BusinessTimeDelta(btd_rules, hours=h) for s, _, h in chunk],
            "pandas": lambda chunk: [p + offsets[h] for _, p, h in chunk],
        },
    )
    betweens = race(
        "business_hours_between",
        list(zip(starts, ends, p_starts, p_ends)),
        {
            "ours": lambda chunk: [between(a, b) for a, b, _, _ in chunk],
            "btd": lambda chunk: [
                (1 if b >= a else -1) * btd_rules.difference(a, b).timedelta / HOUR for a, b, _, _ in chunk
            ],
            "pandas": lambda chunk: [pandas_between(a, b) for _, _, a, b in chunk],
        },
    )
    subset = min(n, 10_000)
    with_set = race(
        "businesstimedelta with a set of dates",
        list(zip(starts, ends, hours))[:subset],
        {
            "ours add": lambda chunk: [add(s, h) for s, _, h in chunk],
            "btd add": lambda chunk: [s + btd.BusinessTimeDelta(btd_set_rules, hours=h) for s, _, h in chunk],
            "ours between": lambda chunk: [between(a, b) for a, b, _ in chunk],
            "btd between": lambda chunk: [btd_set_rules.difference(a, b) for a, b, _ in chunk],
        },
    )
    spans = race(
        "add 1 h vs 10,000 h",
        starts,
        {
            "one": lambda chunk: [add(s, 1) for s in chunk],
            "long": lambda chunk: [add(s, 10_000) for s in chunk],
        },
    )
    (r_add, t_add), (b_add, tb_add), (p_add, tp_add) = adds.values()
    (r_bet, t_bet), (b_bet, tb_bet), (p_bet, tp_bet) = betweens.values()
    t_one, t_long = spans["one"][1], spans["long"][1]

    us = lambda seconds: seconds / n * 1e6  # noqa: E731
    print(
        f"inquirybot business calendar benchmark: {n:,} random cases, seed {args.seed}, {ZONE}, "
        "Mon-Fri 09:00-17:00, US federal holidays as observed"
    )
    print(
        f"Python {platform.python_version()}, holidays {holidays.__version__}, "
        f"businesstimedelta {_version('businesstimedelta')}, pandas {pd.__version__}"
    )
    print(
        "cases: start uniform 2024-01-01..2030-12-31 to the minute; add 1-40 h; between: end = start "
        "-2..+10 days\n"
    )
    print(
        f"{'operation':<24}{'inquirybot':>12}{'businesstimedelta':>19}{'pandas CBH':>13}"
        f"{'btd/ours':>10}{'pandas/ours':>13}"
    )
    for name, t0, t1, t2 in (
        ("add_business_hours", t_add, tb_add, tp_add),
        ("business_hours_between", t_bet, tb_bet, tp_bet),
    ):
        print(
            f"{name:<24}{us(t0):>9.2f} µs{us(t1):>16.1f} µs{us(t2):>10.1f} µs"
            f"{t1 / t0:>9.0f}×{t2 / t0:>12.0f}×"
        )
    (_, s_add), (_, sb_add), (_, s_bet), (_, sb_bet) = with_set.values()
    print(
        f"businesstimedelta given a plain set of dates instead (first {subset:,} cases): "
        f"add {sb_add / subset * 1e6:.1f} µs ({sb_add / s_add:.0f}× ours), "
        f"between {sb_bet / subset * 1e6:.1f} µs ({sb_bet / s_bet:.0f}× ours)"
    )
    print(
        f"\nlong spans: add 1 h {us(t_one):.2f} µs, add 10,000 h {us(t_long):.2f} µs "
        f"(ratio {t_long / t_one:.2f}; target ≤ 2)"
    )
    print(f"cold start: a new calendar's first question (builds 3 years) {cold_ms:.1f} ms\n")

    cases_add = list(zip(starts, hours))
    report("add_business_hours vs businesstimedelta", cases_add, r_add, b_add, ours, reference, same_instant)
    report(
        "add_business_hours vs pandas",
        cases_add,
        r_add,
        [p.to_pydatetime() for p in p_add],
        ours,
        reference,
        same_instant,
    )
    cases_bet = list(zip(starts, ends))
    report(
        "business_hours_between vs businesstimedelta", cases_bet, r_bet, b_bet, ours, reference, same_hours
    )
    report("business_hours_between vs pandas", cases_bet, r_bet, p_bet, ours, reference, same_hours)


def same_instant(x: datetime, y: datetime) -> bool:
    return x.astimezone(UTC) == y.astimezone(UTC)


def same_hours(x: float, y: float) -> bool:
    return abs(x - y) < 1e-9


def report(title, cases, mine, theirs, ours, reference, same) -> None:
    """Count agreements; classify each disagreement; print every one not explained by a convention."""
    conventions, others = [], []
    for case, a, b in zip(cases, mine, theirs):
        if same(a, b):
            continue
        if same is same_instant:
            truth = reference.add(case[0], timedelta(hours=case[1]))
            at_close = not ours.is_open(a) and ours.business_hours_between(a, b) == 0
            if same(a, truth) and at_close:
                conventions.append((case, a, b))
                continue
        else:
            truth = reference.between(*case) / HOUR
        verdict = "ours right" if same(a, truth) else "peer right" if same(b, truth) else "both wrong"
        others.append((case, a, b, truth, verdict))
    agree = len(cases) - len(conventions) - len(others)
    print(f"{title}: {agree:,} agree, {len(conventions):,} differ by convention, {len(others):,} other")
    if conventions:
        print(
            "  convention: a count ending exactly at close; ours returns close (docs/business-time.md), the peer the "
            "next opening; same business position (0 business hours apart). Examples:"
        )
        for (start, h), a, b in conventions[:3]:
            print(
                f"    {start:%a %Y-%m-%d %H:%M} + {h} h: ours {a:%a %Y-%m-%d %H:%M}, peer {b:%a %Y-%m-%d %H:%M}"
            )
    for case, a, b, truth, verdict in others:
        print(f"  {verdict}: case {_fmt(case)}: ours {_fmt(a)}, peer {_fmt(b)}, reference {_fmt(truth)}")


def _fmt(value) -> str:
    if isinstance(value, tuple):
        return " / ".join(_fmt(v) for v in value)
    if isinstance(value, datetime):
        return f"{value.astimezone(NY):%a %Y-%m-%d %H:%M %Z}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    main()
