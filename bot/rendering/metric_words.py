"""A report's numbers as its readers see them: in words for Slack ("70% on time, 7 of 10", which a
screen reader says as written), compact for the fixed-width table ("70% (7/10)", "9.0 h").
Shared by the report (report.py), the weekly digest (digest.py) and the terminal form (report_text.py)."""

from __future__ import annotations

from bot.rendering import format as fmt
from bot.reports.metrics import Metrics, percent

BAR_WIDTH = 10


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


def staff_ratings(m: Metrics, *, who: bool = True) -> str:
    """Staff-entered ratings; `who=False` where the label already says who entered them."""
    if not m.feedback_count:
        return "none"
    by = ", entered by staff" if who else ""
    return f"{m.feedback_average:.1f} of 5 on average ({fmt.plural(m.feedback_count, 'rating')}{by})"


def customer_ratings(m: Metrics) -> str:
    """The customers' own ratings (the feedback page), never mixed with staff-entered feedback."""
    if not m.customer_count:
        return "none"
    return f"{m.customer_average:.1f} of 5 on average ({fmt.plural(m.customer_count, 'rating')})"
