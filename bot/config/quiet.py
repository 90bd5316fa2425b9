"""Quiet hours: scheduled messages go out only while the recipient's team is open.

The recipient's team is the primary team of a user (a DM), else the team the message is about (a
channel post). Messages a person's action causes right now (an @-mention's out-of-office reply, a
DM to someone just given an item, a manual escalation) go at once; everything the scheduler or
the deliverer produces on its own waits for the next opening.
"""

from __future__ import annotations

from datetime import datetime

from bot.config.teams import Config
from bot.time.calendar import BusinessCalendar

QUIET_KINDS = frozenset(
    {
        "nudge",
        "overdue",
        "level2",
        "update",
        "stale",
        "digest",
        "covered",
        "admin_notice",
        "customer_feedback",  # a customer rates at any hour; the holder hears of it when the team is open
    }
)


def is_user(channel: str) -> bool:
    """Slack user ids start with U (or W on Enterprise Grid); channels with C, G or D."""
    return channel[:1] in ("U", "W")


def recipient_calendar(config: Config, team: str, channel: str) -> BusinessCalendar:
    if is_user(channel) and (channel in config.primary_team):
        return config.team_of(channel).calendar
    return config.team_or_default(team).calendar


def not_before(config: Config, team: str, channel: str, now: datetime) -> datetime:
    """`now` while the recipient's team is open, else its next opening."""
    return recipient_calendar(config, team, channel).next_opening(now)
