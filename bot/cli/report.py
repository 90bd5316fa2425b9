"""`inquirybot report`: a first, simple per-person table (the reports work replaces it).

Per person accountable (who held the item at first response, else its assignee): inquiries whose
first-response deadline fell in the period, how many were answered, how many on time, the on-time
rate, and how many are open past their deadline now. Default period: the current federal rating
period (Oct 1 – Sep 30) in the default team's zone.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime, time, timedelta

from bot.cli.db import command_runtime
from bot.errors import InputError
from storage.queries.inquiries import person_counts

COLUMNS = ("team", "person", "due", "responded", "on_time", "on_time_rate", "overdue_now")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="per-person on-time first responses for a period")
    parser.add_argument("--team", help="only this team")
    parser.add_argument("--user", help="only this person (Slack user id)")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (default: Oct 1)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day, included (default: Sep 30)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with command_runtime() as runtime, runtime.sessions() as session:
        config, now = runtime.config, runtime.clock.now()
        if args.team is not None:
            config.team(args.team)
        zone = config.teams[args.team or config.default_team].calendar.tz
        first, last = _period(args.start, args.end, now.astimezone(zone).date())
        start = datetime.combine(first, time(0), zone)
        end = datetime.combine(last + timedelta(days=1), time(0), zone)
        counts = person_counts(session=session, start=start, end=end, now=now,
                               teams=[args.team] if args.team else None)
    rows = [
        dict(zip(COLUMNS, (team, person, due, responded, on_time,
                           round(on_time / due, 4) if due else None, overdue)))
        for team, person, due, responded, on_time, overdue in counts
        if args.user is None or person == args.user
    ]
    _print(rows, args.format, f"{first.isoformat()} to {last.isoformat()}")
    return 0


def _period(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    october = date(today.year if today.month >= 10 else today.year - 1, 10, 1)
    first = _day(start, "--from") if start else october
    last = _day(end, "--to") if end else date(october.year + 1, 9, 30)
    if last < first:
        raise InputError(f"--to {last.isoformat()} is before --from {first.isoformat()}; swap them")
    return first, last


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write YYYY-MM-DD") from None


def _print(rows: list[dict], fmt: str, period: str) -> None:
    if fmt == "json":
        json.dump({"period": period, "people": rows}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    else:
        print(f"First responses due {period}")
        print(f"{'team':<12} {'person':<14} {'due':>5} {'answered':>8} {'on time':>7} {'rate':>6} {'overdue':>7}")
        for r in rows:
            rate = "-" if r["on_time_rate"] is None else f"{r['on_time_rate']:.0%}"
            print(f"{r['team']:<12} {r['person']:<14} {r['due']:>5} {r['responded']:>8} {r['on_time']:>7} "
                  f"{rate:>6} {r['overdue_now']:>7}")
        if not rows:
            print("(no inquiries due in this period)")
