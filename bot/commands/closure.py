"""`/inquiry closure …` (admins): declare, list or cancel an office closure (docs/closures.md).

    closure add <date>[ to <date>] [team <name>] [past] <reason>
    closure delayed <date> until <HH:MM> [team <name>] [past] <reason>
    closure early <date> from <HH:MM> [team <name>] [past] <reason>
    closure list
    closure cancel <id>

A date is one word: 2026-12-24, today, tomorrow, friday. A range may also be written 2026-10-01..2026-11-12.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.commands.dates import When, parse_when
from bot.commands.text import shown
from bot.errors import InputError
from bot.time.closures import ClosureRequest

EXAMPLE = "/inquiry closure add 2026-12-10 weather"
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
_ID = re.compile(r"^#?(\d{1,9})$")


@dataclass(frozen=True)
class ClosureCommand:
    action: str  # add | list | cancel
    request: ClosureRequest | None = None
    closure_id: int | None = None


def parse_closure(rest: str, when: When) -> ClosureCommand:
    words = rest.split()
    if not words:
        raise InputError("closure needs add, delayed, early, list or cancel", example=EXAMPLE)
    verb, args = words[0].lower(), words[1:]
    if verb in ("list", "ls"):
        return ClosureCommand("list")
    if verb == "cancel":
        match = _ID.match(args[0]) if len(args) == 1 else None
        if not match:
            raise InputError(
                "closure cancel needs the closure's number from `closure list`",
                example="/inquiry closure cancel 3",
            )
        return ClosureCommand("cancel", closure_id=int(match.group(1)))
    if verb not in ("add", "delayed", "early"):
        raise InputError(
            f"“{shown(verb)}” is not a closure action; use add, delayed, early, list or cancel",
            example=EXAMPLE,
        )
    if not args:
        raise InputError(f"closure {verb} needs a date", example=_example(verb))
    first, last = _span(args.pop(0), when, verb)
    opens = closes = None
    if verb == "add" and len(args) >= 2 and args[0].lower() in ("to", "through", "until", "-"):
        args.pop(0)
        last = _day(args.pop(0), when, verb, "the range's last day")
    elif verb in ("delayed", "early"):
        word = "until" if verb == "delayed" else "from"
        if len(args) < 2 or args[0].lower() != word or not _CLOCK.match(args[1]):
            raise InputError(f"closure {verb} needs “{word} HH:MM” after the date", example=_example(verb))
        clock = args[1].zfill(5)
        opens, closes = (clock, None) if verb == "delayed" else (None, clock)
        args = args[2:]
    team, past = None, False
    while args and args[0].lower() in ("team", "past"):
        if args[0].lower() == "past":
            past, args = True, args[1:]
        elif len(args) >= 2:
            team, args = args[1], args[2:]
        else:
            raise InputError(
                "“team” needs the team's name", example="/inquiry closure add 2026-12-10 team support weather"
            )
    reason = " ".join(args).strip()
    if not reason:
        raise InputError(
            "a closure needs a reason (weather, Executive Order, lapse in appropriations)",
            example=_example(verb),
        )
    return ClosureCommand(
        "add",
        ClosureRequest(
            first_day=first, last_day=last, team=team, opens=opens, closes=closes, reason=reason, past=past
        ),
    )


def _span(token: str, when: When, verb: str) -> tuple[date, date | None]:
    if ".." in token:
        a, _, b = token.partition("..")
        return _day(a, when, verb, "the first day"), _day(b, when, verb, "the last day")
    return _day(token, when, verb, "the date"), None


def _day(token: str, when: When, verb: str, what: str) -> date:
    # past dates are read as written (a closure in the past is refused later, naming the date)
    instant = parse_when(
        token,
        field=f"closure {verb}: {what}",
        when=when,
        prefer="future",
        day_time="start",
        example=_example(verb),
    )
    return instant.astimezone(when.zone).date()


def _example(verb: str) -> str:
    return {
        "add": EXAMPLE,
        "delayed": "/inquiry closure delayed 2026-12-10 until 11:00 weather",
        "early": "/inquiry closure early 2026-12-10 from 15:00 weather",
    }.get(verb, EXAMPLE)
