"""`inquirybot shell`: the whole bot in a terminal — same Bolt app and handlers, embedded SQLite,
a Web API stand-in that prints what the bot would post."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.config.loading import config_from_dict, load_config
from bot.errors import ConfigError
from bot.time.years import check_instant, check_written_year

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "shell" / "demo_config.toml"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("shell", help="try the bot in the terminal, no Slack workspace needed")
    p.add_argument("--demo", action="store_true", help="load a realistic fortnight of inquiries")
    p.add_argument(
        "--database-url", help="where to keep the shell's data (default: a fresh temporary SQLite file)"
    )
    p.add_argument("--now", help="start the clock at this ISO-8601 instant (default: the real time)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import tomllib

    from inquirybot.shell.driver import ShellSession
    from inquirybot.shell.repl import Repl

    config_path = os.environ.get("INQUIRYBOT_CONFIG")
    config = (
        load_config(config_path) if config_path else config_from_dict(tomllib.loads(DEMO_CONFIG.read_text()))
    )
    start = _start(args.now)
    workdir = None
    url = args.database_url
    if not url:
        workdir = tempfile.TemporaryDirectory(prefix="inquirybot-shell-")
        url = f"sqlite:///{workdir.name}/shell.db"
    color = sys.stdout.isatty() and os.environ.get("TERM") != "dumb" and "NO_COLOR" not in os.environ
    session = ShellSession(database_url=url, config=config, start=start, color=color)
    try:
        if args.demo:
            from inquirybot.shell.demo import load_demo

            print(load_demo(session), flush=True)
        return Repl(session).run(sys.stdin)
    finally:
        session.close()
        if workdir:
            workdir.cleanup()


def _start(text: str | None) -> datetime:
    if not text:
        from bot.time.clock import SystemClock

        return SystemClock().now()
    check_written_year(text, "--now")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"--now {text!r} is not an ISO-8601 instant, e.g. 2026-11-23T14:00:00-05:00"
        ) from None
    if value.tzinfo is None:
        raise ConfigError(f"--now {text!r} needs a UTC offset, e.g. 2026-11-23T14:00:00-05:00")
    return check_instant(value, "--now").astimezone(UTC)
