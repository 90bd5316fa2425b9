"""`inquirybot explain <id>`: each deadline an inquiry was given and the calendar facts behind it."""
from __future__ import annotations

import argparse

from bot.lifecycle import InquiryService
from inquirybot.cli.db import command_runtime


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("explain", help="each deadline of an inquiry and the calendar facts behind it")
    parser.add_argument("inquiry_id", metavar="ID", help="INQ-12 or 12")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with command_runtime() as runtime:
        service = InquiryService(runtime.sessions, runtime.config, runtime.clock)
        lines = service.explain(inquiry_id=args.inquiry_id)
    print("\n".join(lines))
    return 0
