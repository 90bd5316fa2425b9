"""`inquirybot tick [--now ISO-8601]`: one scheduler pass (absence cover, reminders and escalations,
digests, delivery), then exit — for cron, and to replay what would be sent at an instant.

With --now the pass runs on a FixedClock set to that instant; the deliverer's waits (pacing,
Retry-After, backoff) move that clock on as they really sleep, so a replay behaves like the real
thing started at that instant.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from bot.config.advice import config_warnings
from bot.config.runtime import Runtime
from bot.delivery.sending import Sender
from bot.errors import InputError
from bot.scheduling.jobs import JOBS, run_all
from bot.time.clock import FixedClock
from bot.time.years import check_instant, check_written_year
from inquirybot.bootstrap import build_deliverer, build_jobs, build_sender
from inquirybot.cli.db import open_runtime
from inquirybot.cli.stopping import on_sigterm
from inquirybot.cli.terminal import warn


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tick", help="one scheduler pass (nudges, escalations, digests, delivery), then exit"
    )
    parser.add_argument(
        "--now",
        metavar="ISO-8601",
        help="act as if it were this instant, e.g. 2026-11-02T09:30:00-05:00 "
        "(without an offset: the default team's zone)",
    )
    parser.add_argument("--no-deliver", action="store_true", help="queue messages but do not send them")
    parser.add_argument(
        "--wait",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="also send what falls due within this many seconds (pacing, short retries); default 5",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=tuple(JOBS),
        metavar="JOB",
        help=f"run only this job (repeatable): {', '.join(JOBS)}",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    runtime = open_runtime()
    if args.now:
        clock = FixedClock(
            parse_instant(args.now, runtime.config.team(runtime.config.default_team).calendar.tz)
        )
        runtime.clock = clock

        def advancing_sleep(seconds: float) -> None:
            time.sleep(seconds)
            clock.advance(timedelta(seconds=seconds))

        sleep: Callable[[float], None] = advancing_sleep
    else:
        sleep = time.sleep
    if not runtime.settings.oauth:
        code = one_pass(args, runtime, None, sleep)
        warn(
            config_warnings(runtime.config, runtime.settings.config_path)
        )  # after the pass: a mistake stays one line
        return code
    # Installed through OAuth: one pass for each installation, on its database, with its token.
    from inquirybot.tenants import Tenants

    tenants = Tenants(runtime, with_scheduler=False, with_apps=False)
    try:
        worst, count = 0, 0
        for tenant in tenants:
            print(f"installation {tenant.key}:")
            worst = max(worst, one_pass(args, tenant.runtime, tenant.sender, sleep))
            count += 1
        if not count:
            print("inquirybot tick: no installations yet (install through /slack/install)")
        warn(config_warnings(runtime.config, runtime.settings.config_path))
        return worst
    finally:
        tenants.close()


def one_pass(
    args: argparse.Namespace,
    runtime: Runtime,
    sender: Sender | None,
    sleep: Callable[[float], None],
) -> int:
    """One pass over one database; `sender`: None for the one SLACK_BOT_TOKEN's."""
    deliverer = None
    names = tuple(args.only or JOBS)
    if not args.no_deliver and "deliver" in names:
        deliverer = build_deliverer(runtime, sender or build_sender(runtime), sleep=sleep)
    ctx = build_jobs(runtime, deliverer, drain_wait=max(args.wait, 0.0))
    started = runtime.clock.now()
    stopping: list[bool] = []

    def stop() -> None:  # SIGTERM: finish what is in flight, release the rest, run nothing more
        stopping.append(True)
        if deliverer is not None:
            deliverer.stopping.set()

    results = []
    with on_sigterm(stop, interrupt=False):
        for name in names:
            if stopping:
                break
            results.extend(run_all(ctx, (name,)))
    print(f"inquirybot tick at {started.isoformat()}")
    for result in results:
        print(f"  {result.name}: {result.summary}")
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"inquirybot: job(s) {', '.join(failed)} failed; see the log above", file=sys.stderr)
        return 1
    return 0


def parse_instant(text: str, zone: tzinfo) -> datetime:
    check_written_year(text, "--now")
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"--now {text!r} is not an ISO-8601 instant; write e.g. 2026-11-02T09:30:00-05:00"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return check_instant(when, "--now")
