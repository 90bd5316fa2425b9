"""`inquirybot explain <id>`: each deadline an inquiry was given and the calendar facts behind it."""

from __future__ import annotations

import argparse

from bot.slack_memory import names_of
from inquirybot.bootstrap import build_inquiries
from inquirybot.cli.db import command_runtime
from inquirybot.cli.terminal import plain, user_ids


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "explain", help="each deadline of an inquiry and the calendar facts behind it"
    )
    parser.add_argument("inquiry_id", metavar="ID", help="INQ-12 or 12")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with command_runtime(writes=False) as runtime:
        service = build_inquiries(runtime)
        lines = service.explain(inquiry_id=args.inquiry_id)
        text = "\n".join(lines)
        # As the report names people: Slack's cached profile, else the config's [names].
        names = {**runtime.config.names, **names_of(runtime.sessions, user_ids(text))}
    print(plain(text, names))  # names, not Slack markup (inquirybot/cli/terminal.py)
    return 0
