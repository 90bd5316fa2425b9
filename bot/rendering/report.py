"""Reports and the weekly digest as Block Kit and as plain text. Pure functions of a Report / Digest.

Slack: short lines, one person per line, the number first in words ("70% on time, 7 of 10"), so a
report reads on a phone and aloud by a screen reader (no glyph bars or star rows: docs/federal.md).
Text: the fixed-width table `inquirybot report` prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.rendering import disputes as dispute_words
from bot.rendering import format as fmt
from bot.rendering.customer_feedback import slack_text
from bot.reports.metrics import Metrics, percent, points
from storage.refs import inquiry_ref

if TYPE_CHECKING:
    from bot.reports import evidence as ev
    from bot.reports.build import PersonLine, Report
    from bot.reports.digest import Digest

Block = dict[str, Any]
BAR_WIDTH = 10
MAX_BLOCKS = 50  # Slack's limit for a message
SECTION_CHARS = 2900  # a section's text holds 3000


def bar(fraction: float | None, width: int = BAR_WIDTH) -> str:
    """`███████░░░` for 0.7; the filled part is rounded down, so 99% never looks like 100%."""
    if fraction is None:
        return "·" * width
    filled = max(0, min(width, int(fraction * width + 1e-9)))
    return "█" * filled + "░" * (width - filled)


def share(part: int, whole: int) -> str:
    return f"{percent(part / whole)} ({part}/{whole})" if whole else "— (none due)"


def share_words(part: int, whole: int) -> str:
    """`70%, 7 of 10`: what Slack shows; a screen reader reads it as said (no `7/10`)."""
    return f"{percent(part / whole)}, {part} of {whole}" if whole else "none due"


def on_time_words(m: Metrics) -> str:
    """`70% on time, 7 of 10`, or `none due`."""
    return (
        f"{percent(m.on_time / m.deadlines)} on time, {m.on_time} of {m.deadlines}"
        if m.deadlines
        else "none due"
    )


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def business_hours(value: float | None) -> str:
    """`12.2 business hours`, in words: "12.2 h" is read "12.2 h"."""
    return "unknown business time" if value is None else f"{value:.1f} business hours"


def time_to_answer(m: Metrics) -> str:
    """`median 9.0 business hours, 90th percentile 24.9`: said in words ("p90" is not)."""
    if m.median_hours is None:
        return "no first response yet"
    return f"median {m.median_hours:.1f} business hours, 90th percentile {m.p90_hours or 0:.1f}"


def home_line(report: Report) -> str:
    """The App Home summary: `95%, 19 of 20` on time this period."""
    m = report.totals
    return share_words(m.on_time, m.deadlines)


# ---------------------------------------------------------------------------------------------
# Slack


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def _chunks(title: str, lines: Sequence[str], more: str | None = None) -> list[Block]:
    """A titled list split over as many sections as its length needs."""
    if not lines:
        return []
    blocks, current = [], f"*{title}*"
    for line in [*lines, *([more] if more else [])]:
        if len(current) + len(line) + 1 > SECTION_CHARS:
            blocks.append(_section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    blocks.append(_section(current))
    return blocks


def link(ref: str, url: str | None) -> str:
    return f"<{url}|{ref}>" if url and url.startswith(("https://", "http://")) else f"*{ref}*"


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
        f"*Feedback*\nstaff-entered: {_feedback(m, who=False)}\ncustomers' own: {_customer(m)}",
    ]
    return [{"type": "mrkdwn", "text": text} for text in items]


def _feedback(m: Metrics, *, who: bool = True) -> str:
    """Staff-entered ratings; `who=False` where the label already says who entered them."""
    if not m.feedback_count:
        return "none"
    by = ", entered by staff" if who else ""
    return f"{m.feedback_average:.1f} of 5 on average ({fmt.plural(m.feedback_count, 'rating')}{by})"


def _customer(m: Metrics) -> str:
    """The customers' own ratings (the feedback page), never mixed with staff-entered feedback."""
    if not m.customer_count:
        return "none"
    return f"{m.customer_average:.1f} of 5 on average ({fmt.plural(m.customer_count, 'rating')})"


def customer_line(item: ev.CustomerQuote) -> str:
    """A customer's words: every &, < and > escaped (no mention, link or markup gets through)."""
    return f"• {item.ref} {item.score} out of 5 ({fmt.user(item.person)}) “{slack_text(item.comment)}”"


def person_line(line: PersonLine) -> str:
    return f"{fmt.user(line.user)}: {on_time_words(line.metrics)}; {line.band.label}"


def _top(header: str, subtitle: str, headline: str, m: Metrics) -> list[Block]:
    return [
        {"type": "header", "text": {"type": "plain_text", "text": fmt.plain(header, 150)}},
        _section(subtitle),
        _section(headline),
        {"type": "section", "fields": metric_fields(m)},
    ]


def report_blocks(report: Report, tz: str | None = None) -> list[Block]:
    tz = tz or report.tz
    m = report.totals
    blocks = _top(
        f"Inquiry report: {report.period.name}",
        f"*{report.title}*, {report.period.label}",
        f"*On-time first responses: {share_words(m.on_time, m.deadlines)}*\n"
        f"Rating band: *{report.band.label}* — {report.band.reason}",
        m,
    )
    if report.people:
        blocks += _chunks("People", [person_line(line) for line in report.people])
    blocks += evidence_blocks(report.evidence, tz)
    blocks.append(
        _context(
            f"As of {fmt.when(report.generated_at, tz)}. Days in {report.tz}. Thresholds: meets "
            f"{percent(report.thresholds.meets)}, exceeds {percent(report.thresholds.exceeds)}. "
            "Periods: this week, last week, 2026-10, Q1, FY2027, 2026-10-01..2026-12-31"
        )
    )
    return _fit(blocks)


def evidence_blocks(e: ev.Evidence, tz: str | None) -> list[Block]:
    blocks = _chunks(
        "Missed first-response deadlines",
        [late_line(i, tz) for i in e.late],
        "…more: `inquirybot report --format csv` lists them all" if e.late_truncated else None,
    )
    blocks += _chunks(
        "Missed promises",
        [missed_promise_line(i, tz) for i in e.missed_promises],
        "…and more" if e.missed_promises_truncated else None,
    )
    blocks += _chunks(
        "Escalations",
        [escalation_line(i, tz) for i in e.escalations],
        "…and more" if e.escalations_truncated else None,
    )
    blocks += _chunks("Absences", [absence_line(i, tz) for i in e.absences])
    blocks += _chunks("Disputed outcomes", [dispute_words.evidence_line(i, tz) for i in e.disputes])
    blocks += _chunks(
        "Closed before a deadline (no outcome counted)",
        [closed_line(i, tz) for i in e.closed],
        "…and more" if e.closed_truncated else None,
    )
    blocks += _chunks(
        "Feedback", [feedback_line(i) for i in e.feedback], "…and more" if e.feedback_truncated else None
    )
    blocks += _chunks(
        "Customers' own words",
        [customer_line(i) for i in e.customer_feedback],
        "…and more" if e.customer_feedback_truncated else None,
    )
    return blocks


def late_line(item: ev.LateItem, tz: str | None) -> str:
    head = f"• {link(item.ref, item.source_link)} {fmt.escape(fmt.plain(item.subject, 80))} ({fmt.user(item.person)})"
    if item.responded_at is None:
        tail = "no response yet"
    else:
        tail = f"answered {fmt.when(item.responded_at, tz)} after {business_hours(item.business_hours)}"
    escalated = "; escalated" if item.escalated_by_hand else ""
    return (
        f"{head} — due {fmt.when(item.due, tz)}; {tail}{escalated}{logged_late_note(item)}{handed_note(item)}"
    )


def handed_note(item: ev.LateItem) -> str:
    """How the holder got the item, when someone else had it first (docs/record.md)."""
    if item.handed is None or item.handed_hours_before is None:
        return ""
    left = f"{item.handed_hours_before:g} business hours before the deadline"
    if item.handed == "logged":
        if not item.handed_hours_before:
            left = "with no business hours left before the deadline"
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
    quote = f" “{fmt.escape(item.comment)}”" if item.comment else ""
    return (
        f"• {item.ref} rated {item.score} of 5 ({fmt.user(item.person)}){quote}"
        f" — entered by staff ({fmt.user(item.given_by)})"
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


def _fit(blocks: list[Block]) -> list[Block]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [
        *blocks[: MAX_BLOCKS - 1],
        _context("…cut to fit one message; `inquirybot report` has everything."),
    ]


def report_summary(report: Report) -> str:
    """The notification text of the message: one line."""
    m = report.totals
    return (
        f"Report for {report.title}, {report.period.label}: on time {share_words(m.on_time, m.deadlines)} — "
        f"{report.band.label}"
    )


# ---------------------------------------------------------------------------------------------
# Weekly digest


def change(now: float | None, before: float | None) -> str:
    """`+12.5 pts` / `−3.0 pts` / `new` between two rates."""
    if now is None or before is None:
        return "no comparison"
    delta = points(now, before)
    if delta == 0:
        return "unchanged"
    return f"{'+' if delta > 0 else '−'}{abs(delta):.1f} pts"


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
    blocks = _top(
        f"Weekly digest: team {digest.team}",
        f"*{r.period.label}*",
        f"*On-time first responses: {share_words(m.on_time, m.deadlines)}* "
        f"({versus_week_before(m, prev)})\n"
        # The counts themselves are the fields below; this line only compares the week's intake.
        f"Received {m.received} ({count_change(m.received, prev.received)} on the week before)",
        m,
    )
    blocks += _chunks("On time, person by person", [person_line(line) for line in r.people])
    e = r.evidence
    # A list cut at the digest's length says so, and where the whole of it is.
    rest = f"…and more: `/inquiry report {digest.team} last week` lists them all"
    blocks += _chunks(
        "Overdue now", [overdue_line(i, tz) for i in e.overdue], rest if e.overdue_truncated else None
    )
    blocks += _chunks(
        "Escalations",
        [escalation_line(i, tz) for i in e.escalations],
        rest if e.escalations_truncated else None,
    )
    blocks += _chunks(
        "Feedback", [feedback_line(i) for i in e.feedback], rest if e.feedback_truncated else None
    )
    blocks += _chunks(
        "Customers' own words",
        [customer_line(i) for i in e.customer_feedback],
        rest if e.customer_feedback_truncated else None,
    )
    blocks.append(
        _context(
            f"Rating band this week: {r.band.label} — {r.band.reason}. "
            "Ask for yours: `/inquiry report me last week`"
        )
    )
    return _fit(blocks)


def digest_text(digest: Digest) -> str:
    """The message text (notifications, and clients without blocks): the essentials in lines."""
    r, prev, tz = digest.report, digest.previous, digest.report.tz
    m, e = r.totals, r.evidence
    lines = [
        f"Weekly digest for team {digest.team}, {r.period.label}",
        f"On-time first responses: {share_words(m.on_time, m.deadlines)} ({versus_week_before(m, prev)})",
        f"Received {m.received} ({count_change(m.received, prev.received)}), responded {m.responded}, "
        f"resolved {m.resolved}, open {m.open}, overdue now {m.overdue_now}, escalations {m.escalations}, "
        f"feedback {_feedback(m)}, customers' own ratings {_customer(m)}",
    ]
    lines += [f"<@{line.user}>: {on_time_words(line.metrics)}" for line in r.people]
    lines += [overdue_line(i, tz) for i in e.overdue]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Fixed-width text (`inquirybot report --format table`)

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
    ("Feedback", lambda m: _feedback(m)),
    ("Customer ratings (their own)", lambda m: _customer(m)),
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
