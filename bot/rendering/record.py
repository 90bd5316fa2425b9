"""Wording for the record's guards (docs/record.md): replays, warnings on accepted input."""
from __future__ import annotations

REPLAYED = ("This request reached inquirybot twice; the first one was handled, so nothing changed "
            "this time.")


def replayed_command() -> dict[str, str]:
    """The answer to a repeated slash command (Slack shows it to the user who typed it)."""
    return {"response_type": "ephemeral", "text": REPLAYED}


def warning_lines(warnings: tuple[str, ...] | list[str]) -> str:
    """Warnings follow the reply's first line, one per line; nothing was refused."""
    return "".join(f"\n:warning: {w}" for w in warnings)
