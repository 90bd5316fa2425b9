"""Wording for the record's guards (docs/record.md): replays, warnings on accepted input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.rendering import format as fmt

if TYPE_CHECKING:
    from bot.lifecycle.cautions import Caution
    from bot.lifecycle.views import InquiryView


REPLAYED = "This request reached inquirybot twice; the first one was handled, so nothing changed this time."


def replayed_command() -> dict[str, str]:
    """The answer to a repeated slash command (Slack shows it to the user who typed it)."""
    return {"response_type": "ephemeral", "text": REPLAYED}


FIELD_WORDS = {"received": "The receipt", "due": "The established deadline", "expect": "The promised date"}


def caution_text(caution: Caution, tz: str | None) -> str:
    at = fmt.when(caution.at, tz)
    if caution.what == "old_receipt":
        return (
            f"The receipt ({at}) is more than a year ago; it was recorded as given — check the date "
            "if that is a typo."
        )
    if caution.what == "already_missed":
        return (
            f"Its first-response deadline ({at}) had already passed when it was logged: the miss "
            "is counted as of now, so a week already finished never changes."
        )
    why = f" ({fmt.escape(caution.reason)})" if caution.reason else ""
    return f"{FIELD_WORDS.get(caution.field, caution.field)} ({at}) falls on a day the office is closed{why}; it was kept as given."


def warning_lines(view: InquiryView, tz: str | None) -> str:
    """One warning line per caution, after the reply's first line; nothing was refused."""
    return "".join(f"\n:warning: {caution_text(c, tz)}" for c in getattr(view, "cautions", ()) or ())
