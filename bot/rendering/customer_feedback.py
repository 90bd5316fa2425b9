"""Slack wording for customer feedback: the link reply and the DM when a customer rates.

A customer's comment is text from outside the workspace: every `&`, `<` and `>` is escaped, so it
can neither mention anyone (`<!channel>`, `<@U…>`) nor make a link; it is quoted, never formatted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.rendering import format as fmt
from bot.rendering.replies import Reply

if TYPE_CHECKING:
    from bot.customer_feedback.links import FeedbackLink

SCORE_WORDS = {
    1: "very dissatisfied",
    2: "dissatisfied",
    3: "neither satisfied nor dissatisfied",
    4: "satisfied",
    5: "very satisfied",
}
DM_COMMENT_CHARS = 1000


def slack_text(text: str | None) -> str:
    """Outside text for mrkdwn: all of &, <, > escaped (fmt.escape keeps mentions; this keeps none)."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoted(comment: str) -> str:
    """A comment as a block quote: each line prefixed, so its own `>` or `*` start nothing."""
    return "\n".join(f">{slack_text(line) or ' '}" for line in comment[:DM_COMMENT_CHARS].split("\n"))


def rating_dm_text(ref: str, score: int, comment: str | None, *, replaced: bool) -> str:
    again = " (this replaces their earlier rating)" if replaced else ""
    line = f"A customer rated {ref}: {score} out of 5, {SCORE_WORDS[score]}{again}."
    if comment:
        line += f" Their comment:\n{quoted(comment)}"
    else:
        line += " No comment."
    return line


def feedback_link_line(url: str) -> str:
    return f"Customer feedback link to paste into your answer: <{url}>"


def link_reply(link: FeedbackLink, tz: str | None) -> Reply:
    until = (
        f" It takes ratings until {fmt.when(link.expires_at, tz)}."
        if link.expires_at
        else " It takes ratings until 30 days after the item is resolved."
    )
    text = (
        f"Customer feedback link for *{link.ref}* — paste it into your answer; the customer rates the "
        f"service there (no login, nothing personal shown): <{link.url}>.{until}"
    )
    return Reply(
        text,
        [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"`{link.url}`"}]},
        ],
    )
