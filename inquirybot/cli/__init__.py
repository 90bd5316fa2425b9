"""`inquirybot` console script. Each subcommand lives in its own module and registers itself.

Errors a user can fix are printed as one line on stderr with exit code 2; nothing is half-written
because every command works inside transactions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from bot.errors import InquiryBotError, is_database_busy

# Modules under inquirybot/cli/ that provide `register(subparsers)`; each sets `func=` on its parser(s).
COMMAND_MODULES = ("db", "explain", "export", "report", "tick", "serve", "shell", "closure")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse prints usage + exits 2; keep it to one line
        self.exit(2, f"inquirybot: {message} (see `inquirybot --help`)\n")

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def]
        """Refuse an empty value (`--team ""`, `--user " "`, `db backup ""`) naming the option: taken
        as given it meant the option was left out (every team, everyone) or failed further on with a
        less clear message. Each subcommand's parser checks its own arguments."""
        parsed, rest = super().parse_known_args(args, namespace)
        for action in self._actions:
            value = getattr(parsed, action.dest, None)
            if value is action.default or not _empty(value):
                continue
            if not action.option_strings:  # a positional: DATE, FILE, ID
                self.error(f"{action.metavar or action.dest} is empty; give a value")
            name = max(action.option_strings, key=len)  # --output, not -o
            self.error(
                f"{name} is empty; give a value" + ("" if action.required else f" or leave {name} out")
            )
        return parsed, rest


def _empty(value: object) -> bool:
    """'' or blanks, alone or among an option's repeated values."""
    return any(isinstance(v, str) and not v.strip() for v in (value if isinstance(value, list) else [value]))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="inquirybot", description="Customer-service inquiries with federal business-day deadlines."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = import_module(f"inquirybot.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"inquirybot.cli.{name}":
                raise
            continue  # not built yet
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from inquirybot.cli.terminal import plain, quiet_broken_pipe

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return quiet_broken_pipe(lambda: int(args.func(args) or 0))
    except InquiryBotError as exc:
        print(f"inquirybot: {plain(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not is_database_busy(exc):
            raise
        # Locked past the wait, unreachable, or its file not writable: the change in progress
        # rolled back (docs/faults.md). One line, as for any mistake an operator can fix.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(
            f"inquirybot: the database did not answer ({reason}); what this command was changing "
            "was not stored — free or fix the database (docs/faults.md) and run it again",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
