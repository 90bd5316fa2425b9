"""The wording of the notices the bot sends on its own: to a new assignee, about a complex item or a
manual escalation, to an alternate covering an absence, to admins about a message that could not be
delivered, and the digest's stand-in when reports are not installed. Instants read in the team's
zone, on the 24-hour clock (format.when)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from bot.rendering.format import escape, next_due, when
from bot.time.instants import week_range


def _at(instant: datetime, tz: tzinfo) -> str:
    return when(instant, tz, clock24=True)


def assigned(
    ref: str,
    subject: str,
    actor: str,
    due: datetime,
    tz: tzinfo,
    *,
    logged_received: datetime | None = None,
    answered: bool = False,
    promised: datetime | None = None,
    via: str | None = None,
) -> str:
    """logged_received: the receipt time given by the colleague who logged the item for its
    assignee; the deadlines run from it, so the DM says who gave it (docs/record.md). An item
    handed over after its first response names its promised resolution instead. via="workflow":
    logged through the Workflow Builder step, whose "logged by" is only what the workflow says."""
    if logged_received is None:
        origin = ""
    elif via == "workflow":
        origin = (
            f" Logged through Workflow Builder (the workflow gives <@{actor}> as who logged it), "
            f"with its receipt as {_at(logged_received, tz)}."
        )
    else:
        origin = f" Logged by <@{actor}>, who gave its receipt as {_at(logged_received, tz)}."
    owed = next_due(due, answered, promised, lambda at: _at(at, tz))
    return f"{ref} is now yours (from <@{actor}>): {escape(subject)} — {owed}.{origin}"


def complex_routed(ref: str, subject: str, assignee: str, due: datetime, tz: tzinfo) -> str:
    return f"Complex inquiry {ref} routed to <@{assignee}>: {escape(subject)} — first response due {_at(due, tz)}"


def escalated(ref: str, subject: str, actor: str, assignee: str, reason: str | None) -> str:
    why = f" — {reason}" if reason else ""
    return f"<@{actor}> escalated {ref} (assignee <@{assignee}>): {escape(subject)}{why}"


def covering(ref: str, subject: str, absent: str, until: datetime, tz: tzinfo) -> str:
    return f"{ref} is yours while <@{absent}> is away (until {_at(until, tz)}): {escape(subject)}"


def undeliverable(kind: str, recipient: str, outbox_id: int, key: str, error: str, said: str) -> str:
    """recipient: Slack markup for the user or channel (<@U…> / <#C…>)."""
    return (
        f":warning: inquirybot could not deliver a {kind} message to {recipient} "
        f"(outbox #{outbox_id}, {key}) and gave up: {error}. It said: {said[:300]}"
    )


def digest_unavailable(team: str, week_start: date) -> str:
    end = week_start + timedelta(days=6)
    return (
        f"Weekly digest for team {team}, {week_range(week_start, end)}: "
        "the report is not available in this build; run `inquirybot report --team "
        f"{team}`."
    )
