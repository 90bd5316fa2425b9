"""`inquirybot report [--team T] [--user U] [--from D --to D | --period TEXT] [--format table|csv|json]
[--chart FILE.png]`.

Whoever can run the CLI can read the database, so the CLI reports on anyone: a person (--user), a
team (--team), or every team (neither). Default period: the current federal rating period
(Oct 1 – Sep 30), days read in the report's team zone. JSON and CSV keys: docs/reports.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime

from bot.config.runtime import Runtime
from bot.errors import InputError
from bot.rendering.report_text import report_text
from bot.reports.build import Report, build_report, report_zone
from bot.reports.export import report_csv, report_dict
from bot.reports.periods import explicit_period, parse_period
from bot.reports.readers import open_readers
from bot.reports.service import require_known
from bot.slack_memory import names_of
from bot.time.years import check_written_year
from inquirybot.cli.db import command_runtime

MENTION = re.compile(r"@([UW][A-Z0-9]+)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="on-time record, rating band and evidence for a person, a team or everyone",
        description="Report for a person (--user), a team (--team) or every team, for a period: "
        "--period 'last week' | 2026-10 | Q1 | FY2027 | 2026-10-01..2026-12-31, or --from/--to. "
        "Default: the current rating period (Oct 1 - Sep 30).",
    )
    parser.add_argument("--team", help="one team (default: every team)")
    parser.add_argument("--user", help="one person (Slack user id); their items in every team")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (included)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (included)")
    parser.add_argument("--period", metavar="TEXT", help="a period in words, e.g. 'last week', Q1, FY2027")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument(
        "--evidence-limit",
        type=int,
        default=500,
        metavar="N",
        help="at most N items per evidence list (default 500; the counts are always exact)",
    )
    parser.add_argument(
        "--chart",
        metavar="FILE.png",
        help="also write the team's chart (12-week on-time trend, each person's rate) as a PNG; needs --team",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.period and (args.start or args.end):
        raise InputError("give either --period or --from/--to, not both")
    if args.evidence_limit < 0:
        raise InputError(f"--evidence-limit {args.evidence_limit} is negative; give 0 or more")
    with command_runtime(writes=False) as runtime:
        config, now = runtime.config, runtime.clock.now()
        if args.chart and not args.team:
            raise InputError("--chart draws a team's chart; add --team NAME")
        if args.user and args.team:
            raise InputError("give --user or --team, not both (a person's report covers all their teams)")
        if args.user:
            kind, subject = "person", args.user.lstrip("@")
        elif args.team:
            config.team(args.team)  # unknown team: ConfigError naming the known ones
            kind, subject = "team", args.team
        else:
            kind, subject = "all", "all"
        today = now.astimezone(report_zone(config, kind, subject).calendar.tz).date()
        if args.start or args.end:
            period = explicit_period(_day(args.start, "--from"), _day(args.end, "--to"), today=today)
        else:
            period = parse_period(args.period, today=today)
        if kind == "person":
            with runtime.sessions() as session:
                require_known(session, config, subject)
        with open_readers(runtime.sessions) as readers:
            report = build_report(
                readers,
                config,
                kind=kind,
                subject=subject,
                period=period,
                now=now,
                evidence_limit=args.evidence_limit,
            )
        if args.chart:
            write_chart(runtime, report, now, args.chart)
        names = people_names(runtime, report) if args.format == "table" else {}
    if args.format == "json":
        json.dump(report_dict(report), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.format == "csv":
        sys.stdout.write(report_csv(report))
    else:
        from inquirybot.cli.terminal import plain

        print(plain(report_text(report, names)))  # names and ids, not Slack markup (cli/terminal.py)
    return 0


def people_names(runtime: Runtime, report: Report) -> dict[str, str]:
    """Names for the people the report mentions: Slack's profile as last cached, else the config's
    [names]; an id with neither stays bare."""
    ids = {line.user for line in report.people} | set(MENTION.findall(report_text(report)))
    if report.kind == "person":
        ids.add(report.subject)
    return {**runtime.config.names, **names_of(runtime.sessions, sorted(ids))}


def write_chart(runtime: Runtime, report: Report, now: datetime, path: str) -> None:
    from bot.reports.chart import drawn

    with runtime.sessions() as session:
        drawing = drawn(session, runtime.config, report, now)
    assert drawing is not None  # a team report (run() requires --team with --chart)
    _, png, alt = drawing
    try:
        with open(path, "wb") as out:
            out.write(png)
    except OSError as exc:
        raise InputError(f"--chart {path}: cannot write it ({exc.strerror}); give a writable path") from None
    print(f"chart written to {path} ({len(png):,} bytes): {alt}", file=sys.stderr)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    check_written_year(value, option)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} {value!r} is not a date; write YYYY-MM-DD, e.g. {option} 2026-10-01"
        ) from None
