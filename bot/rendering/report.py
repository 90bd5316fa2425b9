"""A report in Slack: Block Kit and the message's one-line text, pure functions of a Report.

Short lines, one person per line, the number first in words ("70% on time, 7 of 10"), so a report
reads on a phone and aloud by a screen reader (no glyph bars or star rows: docs/federal.md). The
numbers' words are in metric_words.py, the evidence lines in evidence_lines.py; the weekly digest
(digest.py) opens and cuts its blocks with the helpers here; the terminal form is report_text.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.rendering import disputes as dispute_words
from bot.rendering import format as fmt
from bot.rendering.evidence_lines import (
    absence_line,
    closed_line,
    customer_line,
    escalation_line,
    feedback_line,
    late_line,
    missed_promise_line,
)
from bot.rendering.long_text import MAX_BLOCKS, pieces
from bot.rendering.metric_words import (
    customer_ratings,
    on_time_words,
    share_words,
    staff_ratings,
    time_to_answer,
)
from bot.reports.metrics import Metrics, percent

if TYPE_CHECKING:
    from bot.reports import evidence as ev
    from bot.reports.build import PersonLine, Report

Block = dict[str, Any]


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def titled_list(title: str, lines: Sequence[str], more: str | None = None) -> list[Block]:
    """A titled list over as many sections as its length needs: cut between lines, and a line
    longer than a section (a dispute's two reasons) over two, never cut short nor left empty."""
    if not lines:
        return []
    return [section(piece) for piece in pieces([f"*{title}*", *lines, *([more] if more else [])])]


def fit_message(blocks: list[Block]) -> list[Block]:
    """`blocks` cut to one message's MAX_BLOCKS, the last of them saying so."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [
        *blocks[: MAX_BLOCKS - 1],
        context("…cut to fit one message; `inquirybot report` has everything."),
    ]


def metric_fields(m: Metrics) -> list[Block]:
    items = [
        f"*Received*\n{m.received}",
        f"*Responded, resolved*\n{m.responded} responded, {m.resolved} resolved",
        f"*Open, overdue now*\n{m.open} open, {m.overdue_now} overdue now",
        f"*Missed first responses*\n{m.late} late, {m.missed_open} unanswered",
        f"*Resolution by promised date*\n{share_words(m.promises_kept, m.promises)}",
        f"*Status-update compliance*\n{share_words(m.updates_ok, m.updates)}",
        f"*Time to first response*\n{time_to_answer(m)}",
        f"*Escalations, reassignments*\n{fmt.plural(m.escalations, 'escalation')}, {fmt.plural(m.reassignments, 'reassignment')}",
        f"*Absences (alternate named)*\n{m.absences}",
        f"*Feedback*\nstaff-entered: {staff_ratings(m, who=False)}\ncustomers' own: {customer_ratings(m)}",
    ]
    return [{"type": "mrkdwn", "text": text} for text in items]


def person_line(line: PersonLine) -> str:
    return f"{fmt.user(line.user)}: {on_time_words(line.metrics)}; {line.band.label}"


def opening(header: str, subtitle: str, headline: str, m: Metrics) -> list[Block]:
    """What a report and a digest open with: header, subtitle, headline, the metric fields."""
    return [
        {"type": "header", "text": {"type": "plain_text", "text": fmt.plain(header, 150)}},
        section(subtitle),
        section(headline),
        {"type": "section", "fields": metric_fields(m)},
    ]


def report_blocks(report: Report, tz: str | None = None) -> list[Block]:
    tz = tz or report.tz
    m = report.totals
    blocks = opening(
        f"Inquiry report: {report.period.name}",
        f"*{report.title}*, {report.period.label}",
        f"*On-time first responses: {share_words(m.on_time, m.deadlines)}*\n"
        f"Rating band: *{report.band.label}* — {report.band.reason}",
        m,
    )
    if report.people:
        blocks += titled_list("People", [person_line(line) for line in report.people])
    blocks += evidence_blocks(report.evidence, tz)
    blocks.append(
        context(
            f"As of {fmt.when(report.generated_at, tz)}. Days in {report.tz}. Thresholds: meets "
            f"{percent(report.thresholds.meets)}, exceeds {percent(report.thresholds.exceeds)}. "
            "Periods: this week, last week, 2026-10, Q1, FY2027, 2026-10-01..2026-12-31"
        )
    )
    return fit_message(blocks)


def evidence_blocks(e: ev.Evidence, tz: str | None) -> list[Block]:
    blocks = titled_list(
        "Missed first-response deadlines",
        [late_line(i, tz) for i in e.late],
        "…more: `inquirybot report --format csv` lists them all" if e.late_truncated else None,
    )
    blocks += titled_list(
        "Missed promises",
        [missed_promise_line(i, tz) for i in e.missed_promises],
        "…and more" if e.missed_promises_truncated else None,
    )
    blocks += titled_list(
        "Escalations",
        [escalation_line(i, tz) for i in e.escalations],
        "…and more" if e.escalations_truncated else None,
    )
    blocks += titled_list("Absences", [absence_line(i, tz) for i in e.absences])
    blocks += titled_list("Disputed outcomes", [dispute_words.evidence_line(i, tz) for i in e.disputes])
    blocks += titled_list(
        "Closed before a deadline (no outcome counted)",
        [closed_line(i, tz) for i in e.closed],
        "…and more" if e.closed_truncated else None,
    )
    blocks += titled_list(
        "Feedback", [feedback_line(i) for i in e.feedback], "…and more" if e.feedback_truncated else None
    )
    blocks += titled_list(
        "Customers' own words",
        [customer_line(i) for i in e.customer_feedback],
        "…and more" if e.customer_feedback_truncated else None,
    )
    return blocks


def report_summary(report: Report) -> str:
    """The notification text of the message: one line."""
    m = report.totals
    return (
        f"Report for {report.title}, {report.period.label}: on time {share_words(m.on_time, m.deadlines)} — "
        f"{report.band.label}"
    )


def home_line(report: Report) -> str:
    """The App Home summary: `95%, 19 of 20` on time this period."""
    m = report.totals
    return share_words(m.on_time, m.deadlines)
