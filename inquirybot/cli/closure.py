"""`inquirybot closure add|list|cancel`: closures declared while the bot runs (docs/closures.md).

Whoever runs the CLI holds the database, so it may declare closures like a Slack admin. Declaring
or cancelling re-plans every pending deadline the closure touches, in the same transaction.
"""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import date

from bot.errors import InputError
from bot.rendering import closures as words
from bot.time.closures import ClosureRequest
from bot.time.years import check_written_year
from inquirybot.bootstrap import build_closures
from inquirybot.cli.db import command_runtime
from inquirybot.cli.terminal import plain


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "closure", help="declare, list or cancel office closures (snow days, shutdowns)"
    )
    sub = parser.add_subparsers(dest="closure_command", metavar="add|list|cancel", parser_class=type(parser))
    sub.required = True
    add = sub.add_parser("add", help="declare a closure (whole days, a range or a partial day)")
    add.add_argument("date", metavar="DATE", help="first closed day, YYYY-MM-DD")
    add.add_argument("--to", metavar="DATE", help="last closed day of a range, YYYY-MM-DD")
    add.add_argument("--team", metavar="NAME", help="only this team (default: every team)")
    add.add_argument("--opens", metavar="HH:MM", help="delayed arrival: the office opens at HH:MM")
    add.add_argument("--closes", metavar="HH:MM", help="early dismissal: the office closes at HH:MM")
    add.add_argument("--past", action="store_true", help="allow a closure that started before today")
    add.add_argument(
        "--reason", required=True, help="why (weather, Executive Order, lapse in appropriations)"
    )
    add.set_defaults(func=run_add)
    listing = sub.add_parser("list", help="every closure declared, live and cancelled")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(func=run_list)
    cancel = sub.add_parser("cancel", help="cancel a closure; the deadlines it moved are re-planned back")
    cancel.add_argument("closure_id", metavar="ID")
    cancel.set_defaults(func=run_cancel)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:32]
    except Exception:  # no user name in this environment
        return "cli"


def _day(value: str, name: str) -> date:
    check_written_year(value, name)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{name} {value!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-24") from None


def run_add(args: argparse.Namespace) -> int:
    request = ClosureRequest(
        first_day=_day(args.date, "DATE"),
        last_day=_day(args.to, "--to") if args.to else None,
        team=args.team,
        opens=args.opens,
        closes=args.closes,
        reason=args.reason,
        past=args.past,
    )
    with command_runtime() as runtime:
        result = build_closures(runtime).declare(actor=_actor(), request=request, trusted=True)
    print(plain(result.message))
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    with command_runtime() as runtime:
        result = build_closures(runtime).cancel(actor=_actor(), closure_id=args.closure_id, trusted=True)
    print(plain(result.message))
    return 0


def run_list(args: argparse.Namespace) -> int:
    with command_runtime(writes=False) as runtime:
        closures = build_closures(runtime).list()
        zone = runtime.config.teams[runtime.config.default_team].calendar.tz
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "team": c.team,
                        "first_day": c.first_day.isoformat(),
                        "last_day": c.last_day.isoformat(),
                        "opens": c.opens,
                        "closes": c.closes,
                        "reason": c.reason,
                        "declared_by": c.declared_by,
                        "declared_at": c.declared_at.isoformat(),
                        "cancelled_by": c.cancelled_by,
                        "cancelled_at": c.cancelled_at.isoformat() if c.cancelled_at else None,
                    }
                    for c in closures
                ],
                indent=2,
            )
        )
    else:
        print(plain(words.listing(closures, zone)))  # ids and names, not Slack markup
    return 0
