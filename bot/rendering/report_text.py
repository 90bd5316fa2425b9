"""A report for a terminal (`inquirybot report --format table`): the fixed-width summary, the people
table, and the evidence with Slack's markup read back into plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

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
    overdue_line,
)
from bot.rendering.metric_words import bar, customer_ratings, hours, share, staff_ratings
from bot.reports.metrics import Metrics, percent

if TYPE_CHECKING:
    from bot.reports import evidence as ev
    from bot.reports.build import Report

SUMMARY_ROWS = (
    ("Received", lambda m: m.received),
    ("Responded (first response)", lambda m: m.responded),
    ("Resolved", lambda m: m.resolved),
    ("Open now (received by the end)", lambda m: m.open),
    ("Overdue now", lambda m: m.overdue_now),
    ("First-response deadlines due", lambda m: m.deadlines),
    ("  on time", lambda m: m.on_time),
    ("  late", lambda m: m.late),
    ("  still unanswered (missed)", lambda m: m.missed_open),
    ("  missed, never escalated", lambda m: m.unescalated_missed),
    ("On-time first-response rate", lambda m: share(m.on_time, m.deadlines)),
    ("Resolution by promised date", lambda m: share(m.promises_kept, m.promises)),
    ("Status-update compliance", lambda m: share(m.updates_ok, m.updates)),
    ("Business hours to respond, median", lambda m: hours(m.median_hours)),
    ("Business hours to respond, p90", lambda m: hours(m.p90_hours)),
    ("Escalations", lambda m: m.escalations),
    ("Reassignments", lambda m: m.reassignments),
    ("Absences (alternate named)", lambda m: m.absences),
    ("Feedback", lambda m: staff_ratings(m)),
    ("Customer ratings (their own)", lambda m: customer_ratings(m)),
)
COLUMNS = (
    "person",
    "on time",
    "rate",
    "bar",
    "recv",
    "resp",
    "res",
    "open",
    "ovrd",
    "late",
    "miss",
    "p50 h",
    "p90 h",
    "esc",
    "reas",
    "abs",
    "fb avg",
    "cust avg",
    "band",
)


def person_label(user: str, names: Mapping[str, str] | None = None) -> str:
    """'Alice Adams (U0ALICE)' when the name is known, else the id."""
    name = (names or {}).get(user)
    return f"{name} ({user})" if name else user


def report_text(report: Report, names: Mapping[str, str] | None = None) -> str:
    """The report for a terminal; `names` (id -> name) puts names beside the ids."""
    tz = report.tz
    m = report.totals
    title = person_label(report.subject, names) if report.kind == "person" else report.title
    out = [
        f"Inquiry report: {title}",
        f"Period: {report.period.label}, days in {tz}; as of {fmt.when(report.generated_at, tz)}",
        f"Rating band: {report.band.label} — {report.band.reason}",
        "",
    ]
    out += [f"{label:<36}{value}" for label, value in ((label, get(m)) for label, get in SUMMARY_ROWS)]
    if report.people:
        out += [
            "",
            *_table(
                [
                    _person_row(person_label(line.user, names), line.metrics, line.band.label)
                    for line in report.people
                ]
                + [_person_row("TOTAL", m, report.band.label)]
            ),
        ]
    out += _evidence_text(report.evidence, tz, names)
    return "\n".join(out)


def _person_row(user: str, m: Metrics, band: str) -> list[str]:
    return [
        user,
        f"{m.on_time}/{m.deadlines}",
        percent(m.on_time_rate),
        bar(m.on_time_rate),
        str(m.received),
        str(m.responded),
        str(m.resolved),
        str(m.open),
        str(m.overdue_now),
        str(m.late),
        str(m.missed_open),
        "—" if m.median_hours is None else f"{m.median_hours:.1f}",
        "—" if m.p90_hours is None else f"{m.p90_hours:.1f}",
        str(m.escalations),
        str(m.reassignments),
        str(m.absences),
        "—" if m.feedback_average is None else f"{m.feedback_average:.1f}",
        "—" if m.customer_average is None else f"{m.customer_average:.1f}",
        band,
    ]


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]

    def line(cells: Iterable[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in (0, 3, len(COLUMNS) - 1) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    return [line(COLUMNS), line("-" * w for w in widths), *(line(r) for r in rows)]


_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_USER_IN_PARENS = re.compile(r"\(<@([A-Z0-9]+)(?:\|[^>]*)?>\)")


def plain_text(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn to terminal text: `<url|INQ-2>` → `INQ-2 (url)`, `<@U1>` → `Ann Lee (U1)` when
    the name is known (`(Ann Lee, U1)` inside brackets), else `@U1`; no * or `."""
    names = names or {}

    def user(m: re.Match[str], inner: bool = False) -> str:
        name = names.get(m.group(1))
        if not name:
            return f"({'@' + m.group(1)})" if inner else f"@{m.group(1)}"
        return f"({name}, {m.group(1)})" if inner else f"{name} ({m.group(1)})"

    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _USER_IN_PARENS.sub(lambda m: user(m, inner=True), text)
    text = _USER.sub(user, text)
    return (
        text.replace("*", "").replace("`", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def _evidence_text(e: ev.Evidence, tz: str | None, names: Mapping[str, str] | None = None) -> list[str]:
    def plain(text: str) -> str:
        return plain_text(text, names)

    out: list[str] = []
    for title, items, render, cut in (
        ("Missed first-response deadlines", e.late, lambda i: late_line(i, tz), e.late_truncated),
        (
            "Missed promises",
            e.missed_promises,
            lambda i: missed_promise_line(i, tz),
            e.missed_promises_truncated,
        ),
        ("Overdue now", e.overdue, lambda i: overdue_line(i, tz), e.overdue_truncated),
        ("Escalations", e.escalations, lambda i: escalation_line(i, tz), e.escalations_truncated),
        ("Absences", e.absences, lambda i: absence_line(i, tz), False),
        ("Disputed outcomes", e.disputes, lambda i: dispute_words.evidence_line(i, tz), False),
        (
            "Closed before a deadline (no outcome counted)",
            e.closed,
            lambda i: closed_line(i, tz),
            e.closed_truncated,
        ),
        ("Feedback", e.feedback, lambda i: feedback_line(i), e.feedback_truncated),
        ("Customer ratings", e.customer_feedback, lambda i: customer_line(i), e.customer_feedback_truncated),
    ):
        if items:
            out += ["", f"{title}:"] + [plain(render(i)) for i in items]
            if cut:
                out.append("  … (list cut at the evidence limit; raise it with --evidence-limit)")
    return out
