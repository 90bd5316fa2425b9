"""The weekly digest: a team's week in Block Kit and as the message's text, against the week before.
Pure functions of a Digest (bot/reports/digest.py says what it contains)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.rendering.evidence_lines import customer_line, escalation_line, feedback_line, overdue_line
from bot.rendering.metric_words import customer_ratings, on_time_words, share_words, staff_ratings
from bot.rendering.report import Block, context, fit_message, opening, person_line, titled_list
from bot.reports.metrics import Metrics, points

if TYPE_CHECKING:
    from bot.reports.digest import Digest


def versus_week_before(m: Metrics, prev: Metrics) -> str:
    """The on-time rate against the week before, as a sentence would say it (docs/messages.md):
    "up 12.5 points from 60%, 3 of 5 the week before", "the same as the week before", "no deadlines
    fell due the week before"."""
    if prev.on_time_rate is None:
        return "no deadlines fell due the week before"
    before = share_words(prev.on_time, prev.deadlines)
    if m.on_time_rate is None:
        return f"none fell due this week; {before} the week before"
    delta = points(m.on_time_rate, prev.on_time_rate)
    if delta == 0:
        return f"the same as the week before, {before}"
    return f"{'up' if delta > 0 else 'down'} {abs(delta):.1f} points from {before} the week before"


def count_change(now: int, before: int) -> str:
    delta = now - before
    return "±0" if delta == 0 else f"{'+' if delta > 0 else '−'}{abs(delta)}"


def digest_blocks(digest: Digest) -> list[Block]:
    r, prev, tz = digest.report, digest.previous, digest.report.tz
    m = r.totals
    blocks = opening(
        f"Weekly digest: team {digest.team}",
        f"*{r.period.label}*",
        f"*On-time first responses: {share_words(m.on_time, m.deadlines)}* "
        f"({versus_week_before(m, prev)})\n"
        # The counts themselves are the fields below; this line only compares the week's intake.
        f"Received {m.received} ({count_change(m.received, prev.received)} on the week before)",
        m,
    )
    blocks += titled_list("On time, person by person", [person_line(line) for line in r.people])
    e = r.evidence
    # A list cut at the digest's length says so, and where the whole of it is.
    rest = f"…and more: `/inquiry report {digest.team} last week` lists them all"
    blocks += titled_list(
        "Overdue now", [overdue_line(i, tz) for i in e.overdue], rest if e.overdue_truncated else None
    )
    blocks += titled_list(
        "Escalations",
        [escalation_line(i, tz) for i in e.escalations],
        rest if e.escalations_truncated else None,
    )
    blocks += titled_list(
        "Feedback", [feedback_line(i) for i in e.feedback], rest if e.feedback_truncated else None
    )
    blocks += titled_list(
        "Customers' own words",
        [customer_line(i) for i in e.customer_feedback],
        rest if e.customer_feedback_truncated else None,
    )
    blocks.append(
        context(
            f"Rating band this week: {r.band.label} — {r.band.reason}. "
            "Ask for yours: `/inquiry report me last week`"
        )
    )
    return fit_message(blocks)


def digest_text(digest: Digest) -> str:
    """The message text (notifications, and clients without blocks): the essentials in lines."""
    r, prev, tz = digest.report, digest.previous, digest.report.tz
    m, e = r.totals, r.evidence
    lines = [
        f"Weekly digest for team {digest.team}, {r.period.label}",
        f"On-time first responses: {share_words(m.on_time, m.deadlines)} ({versus_week_before(m, prev)})",
        f"Received {m.received} ({count_change(m.received, prev.received)}), responded {m.responded}, "
        f"resolved {m.resolved}, open {m.open}, overdue now {m.overdue_now}, escalations {m.escalations}, "
        f"feedback {staff_ratings(m)}, customers' own ratings {customer_ratings(m)}",
    ]
    lines += [f"<@{line.user}>: {on_time_words(line.metrics)}" for line in r.people]
    lines += [overdue_line(i, tz) for i in e.overdue]
    return "\n".join(lines)
