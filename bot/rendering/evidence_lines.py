"""The evidence behind a report, one mrkdwn line per item (a missed deadline, a missed promise, an
escalation, an absence, a close, a rating), as a supervisor would paste it into a performance
record. Slack shows the lines as they are (report.py, digest.py); the terminal form reads them
through report_text.plain_text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.rendering import format as fmt
from bot.rendering.customer_feedback import slack_text
from bot.rendering.metric_words import business_hours
from storage.refs import inquiry_ref

if TYPE_CHECKING:
    from bot.reports import evidence as ev


def link(ref: str, url: str | None) -> str:
    return f"<{url}|{ref}>" if url and url.startswith(("https://", "http://")) else f"*{ref}*"


def late_line(item: ev.LateItem, tz: str | None) -> str:
    head = f"• {link(item.ref, item.source_link)} {fmt.escape(fmt.plain(item.subject, 80))} ({fmt.user(item.person)})"
    if item.responded_at is None:
        tail = "no response yet"
    else:
        tail = f"answered {fmt.when(item.responded_at, tz)} after {business_hours(item.business_hours)}"
    escalated = "; escalated" if item.escalated_by_hand else ""
    return f"{head} — due {fmt.when(item.due, tz)}; {tail}{escalated}{how_it_came(item)}"


def how_it_came(item: ev.LateItem) -> str:
    """The late-logging mark and the hand-over mark; said once where both tell of the same
    logging — an item logged for its holder by someone else days after receipt reads `; logged
    for @bob by @alice 3 business days after receipt, with no business hours left before the
    deadline` (docs/record.md)."""
    days, left = item.logged_days_after_receipt, _hours_left(item)
    if days and left and item.handed == "logged" and item.handed_by == item.logged_by:
        return (
            f"; logged for {fmt.user(item.person)} by {fmt.user(item.handed_by)} "
            f"{fmt.plural(days, 'business day')} after receipt, {left}"
        )
    return f"{logged_late_note(item)}{handed_note(item)}"


def _hours_left(item: ev.LateItem) -> str:
    if item.handed is None or item.handed_hours_before is None:
        return ""
    if item.handed == "logged" and not item.handed_hours_before:
        return "with no business hours left before the deadline"
    return f"{item.handed_hours_before:g} business hours before the deadline"


def handed_note(item: ev.LateItem) -> str:
    """How the holder got the item, when someone else had it first (docs/record.md)."""
    left = _hours_left(item)
    if not left:
        return ""
    if item.handed == "logged":
        return f"; logged for {fmt.user(item.person)} by {fmt.user(item.handed_by)} {left}"
    if item.handed == "covered":
        return f"; came to {fmt.user(item.person)} as cover for {fmt.user(item.handed_by)} (away) {left}"
    return f"; handed to {fmt.user(item.person)} by {fmt.user(item.handed_by)} {left}"


def logged_late_note(item: ev.LateItem) -> str:
    """The mark on an item logged more than a business day after its stated receipt (docs/record.md)."""
    days = item.logged_days_after_receipt
    if not days:
        return ""
    return f"; logged by {fmt.user(item.logged_by)} {fmt.plural(days, 'business day')} after receipt"


def escalation_line(item: ev.EscalationItem, tz: str | None) -> str:
    who = f"by {fmt.user(item.actor)}" if item.manual else f"by the bot (level {item.level or 2})"
    reason = f": {fmt.escape(item.reason)}" if item.reason else ""
    return f"• {link(item.ref, item.source_link)} {fmt.when(item.at, tz)} {who}{reason}"


def absence_line(item: ev.AbsenceItem, tz: str | None) -> str:
    early = " (back early)" if item.ended_early else ""
    return (
        f"• {fmt.user(item.user)} away {fmt.when(item.start, tz)} – {fmt.when(item.end, tz)}{early}; "
        f"alternate {fmt.user(item.alternate)}"
    )


def feedback_line(item: ev.FeedbackItem) -> str:
    """A quoted staff rating and who entered it; one its own subject entered (before that was
    refused) says so."""
    quote = f" “{fmt.escape(item.comment)}”" if item.comment else ""
    own = ", the person rated" if item.given_by == item.person else ""
    return (
        f"• {item.ref} rated {item.score} of 5 ({fmt.user(item.person)}){quote}"
        f" — entered by staff ({fmt.user(item.given_by)}{own})"
    )


def overdue_line(item: ev.OverdueItem, tz: str | None) -> str:
    return (
        f"• {link(item.ref, item.source_link)} {fmt.escape(fmt.plain(item.subject, 80))} — "
        f"{item.what} was due {fmt.when(item.deadline, tz)} ({fmt.user(item.assignee)})"
    )


def missed_promise_line(item: ev.MissedPromise, tz: str | None) -> str:
    """A promise missed: "resolution promised for Fri …, missed; resolved Mon …" or "status update
    due by the promise of Fri …, missed (the customer was not told by then)"."""
    head = f"• {link(item.ref, item.source_link)} {fmt.escape(fmt.plain(item.subject, 80))} ({fmt.user(item.person)}) — "
    if item.what == "resolution":
        after = f"resolved {fmt.when(item.resolved_at, tz)}" if item.resolved_at else "not resolved yet"
        return f"{head}resolution promised for {fmt.when(item.due, tz)}, missed; {after}"
    return (
        f"{head}status update due by the promise of {fmt.when(item.due, tz)}, missed "
        "(the customer was not told by then)"
    )


def closed_line(item: ev.ClosedItem, tz: str | None) -> str:
    """An item closed while a deadline was ahead (docs/outcomes.md): who closed it, why, and how
    close the deadline was — a close minutes before a deadline reads as such."""
    how = f"a duplicate of {inquiry_ref(item.original)}" if item.original else item.reason
    left = ";" if item.hours_before is None else f", {item.hours_before:g} business hours before"
    note = f" — “{fmt.escape(item.note)}”" if item.note else ""
    return (
        f"• {link(item.ref, item.source_link)} {fmt.escape(fmt.plain(item.subject, 80))} "
        f"({fmt.user(item.person)}) — closed as {how} by {fmt.user(item.by)} {fmt.when(item.at, tz)}{left} "
        f"its {item.what} was due {fmt.when(item.deadline, tz)}{note}"
    )


def customer_line(item: ev.CustomerQuote) -> str:
    """A customer's words: every &, < and > escaped (no mention, link or markup gets through)."""
    return f"• {item.ref} {item.score} out of 5 ({fmt.user(item.person)}) “{slack_text(item.comment)}”"
