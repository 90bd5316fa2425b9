"""One working example and one-line usage per subcommand: shown by `help` and in every error."""

from __future__ import annotations

USAGE: dict[str, tuple[str, str]] = {
    # name: (usage, example)
    "log": (
        "log <kind> <subject>; from <name> <contact>; received <when>; simple|standard|complex; "
        "needs research; assign @user; due <when> because <reason>",
        "/inquiry log email Export license status; from Jane Doe <jane@example.gov>; received yesterday 3pm; "
        "complex; needs research",
    ),
    "new": ("new", "/inquiry new"),
    "list": ("list [mine|team|overdue|@user]", "/inquiry list overdue"),
    "show": ("show <id>", "/inquiry show INQ-12"),
    "ack": ("ack <id> [expect <when>] [; note]", "/inquiry ack INQ-12 expect Friday 5pm; called her back"),
    "update": (
        "update <id> <note> [; expect <when>]",
        "/inquiry update INQ-12 Waiting on licensing; expect next Tuesday",
    ),
    "resolve": ("resolve <id> [note]", "/inquiry resolve INQ-12 Sent the license copy"),
    "close": ("close <id> duplicate of <id> | withdrawn <note>", "/inquiry close INQ-12 duplicate of INQ-9"),
    "reassign": ("reassign <id> @user", "/inquiry reassign INQ-12 @bob"),
    "escalate": ("escalate <id> [reason]", "/inquiry escalate INQ-12 needs a policy decision"),
    "snooze": ("snooze <id> <duration>", "/inquiry snooze INQ-12 2h"),
    "feedback": ("feedback <id> <1-5> [comment]", "/inquiry feedback INQ-12 5 quick and clear"),
    "away": ("away <start> to <end> alternate @user", "/inquiry away Monday to Friday alternate @bob"),
    "back": ("back", "/inquiry back"),
    "report": ("report [me|team|@user] [period]", "/inquiry report team last week"),
    "explain": ("explain <id>", "/inquiry explain INQ-12"),
    "link": ("link <id>", "/inquiry link INQ-12"),
    "closure": (
        "closure add <date>[ to <date>] [team <name>] [past] <reason> | closure delayed <date> until HH:MM <reason> | "
        "closure early <date> from HH:MM <reason> | closure list | closure cancel <id> (admins)",
        "/inquiry closure add 2026-12-10 weather",
    ),
    "dispute": (
        "dispute <id> [first-response|resolution|update] <reason>",
        "/inquiry dispute INQ-12 the customer's email bounced; I answered by phone on time",
    ),
    "uphold": (
        "uphold <id> [first-response|resolution|update] <reason>",
        "/inquiry uphold INQ-12 no record of the phone call",
    ),
    "void": (
        "void <id> [first-response|resolution|update] <reason>",
        "/inquiry void INQ-12 the call log shows the answer on time",
    ),
    "help": ("help [subcommand]", "/inquiry help"),
}

ALIASES = {
    "acknowledge": "ack",
    "ls": "list",
    "view": "show",
    "status": "show",
    "done": "resolve",
    "rate": "feedback",
    "assign": "reassign",
    "add": "log",
    "open": "new",
    "?": "help",
}


def example(name: str) -> str:
    return USAGE[name][1]


def usage(name: str) -> str:
    return "/inquiry " + USAGE[name][0]
