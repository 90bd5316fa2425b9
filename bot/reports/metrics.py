"""The numbers of a report (docs/reports.md) and the rating band they earn. Pure: no database here.

Every metric is defined in docs/reports.md; the field comments are the short form.
Rates are fractions 0–1, or None when nothing was due (a rate of nothing is not 0% or 100%).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields

from bot.config.teams import Thresholds


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Metrics:
    received: int = 0  # received_at in the period
    responded: int = 0  # first response in the period
    resolved: int = 0  # resolved in the period
    open: int = 0  # received by the period's end and still open or acknowledged now
    overdue_now: int = 0  # of those, past the first-response deadline unanswered, or past the promised date
    deadlines: int = 0  # first-response deadlines that fell in the period (and have passed)
    on_time: int = 0  # … answered at or before the deadline
    late: int = 0  # … answered after it
    missed_open: int = 0  # … still unanswered (counts as missed)
    unescalated_missed: int = 0  # missed ones nobody escalated by hand
    promises: int = 0  # promised resolution dates that fell in the period (and have passed)
    promises_kept: int = 0  # … resolved by that date
    # Status-update deadlines (one per promised date) decided in the period: the customer told, by a
    # status update or the resolution, by the promised date (decided then, on time), or not (decided
    # at the date, missed). Their own outcomes, in their own periods: not a share of `promises`,
    # whose resolution outcomes may be decided in another period (docs/outcomes.md).
    updates: int = 0
    updates_ok: int = 0  # … on time
    timed: int = 0  # first responses in the period with business hours recorded
    median_hours: float | None = None  # business hours to first response, nearest-rank median
    p90_hours: float | None = None  # … 90th percentile
    escalations: int = 0  # items escalated in the period (by a person or the bot's level 2)
    reassignments: int = 0  # reassignment events in the period (by hand, or cover during absence)
    absences: int = 0  # absences overlapping the period (each with its alternate)
    feedback_count: int = 0  # feedback given in the period
    feedback_sum: int = 0  # sum of the scores (the average is derived)
    # The customers' own ratings (the feedback page), kept apart from staff-entered feedback: each
    # item's current rating given in the period (docs/customer-feedback.md).
    customer_count: int = 0
    customer_sum: int = 0

    @property
    def missed(self) -> int:
        return self.late + self.missed_open

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.deadlines)

    @property
    def resolution_on_time_rate(self) -> float | None:
        return rate(self.promises_kept, self.promises)

    @property
    def status_update_compliance(self) -> float | None:
        return rate(self.updates_ok, self.updates)

    @property
    def feedback_average(self) -> float | None:
        return self.feedback_sum / self.feedback_count if self.feedback_count else None

    @property
    def customer_average(self) -> float | None:
        return self.customer_sum / self.customer_count if self.customer_count else None

    @staticmethod
    def total(items: Iterable[Metrics]) -> Metrics:
        """Counts add up; percentiles do not (the caller computes them over the union). One pass
        per count, not a new Metrics per item: 500 people's lines cost ~13 ms added pairwise."""
        items = list(items)
        return Metrics(**{name: sum(getattr(m, name) for m in items) for name in _ADDED})


_ADDED = tuple(f.name for f in fields(Metrics) if not f.name.endswith("_hours"))


@dataclass(frozen=True)
class Band:
    level: str  # exceeds | meets | below | none
    label: str
    reason: str


def rating_band(m: Metrics, thresholds: Thresholds) -> Band:
    """Meets: on-time rate ≥ meets threshold. Exceeds: ≥ exceeds threshold and no missed deadline
    left unescalated. The thresholds are the team's (config), not official figures."""
    r = m.on_time_rate
    if r is None:
        return Band("none", "No rating", "no first-response deadline fell in this period")
    # In words, as a screen reader reads it (docs/federal.md): "66.6% on time, 6 of 9", never "6/9".
    share = f"{percent(r)} on time, {m.on_time} of {m.deadlines}"
    if r >= thresholds.exceeds and m.unescalated_missed == 0:
        return Band(
            "exceeds",
            "Exceeds",
            f"{share}; at least {percent(thresholds.exceeds)}, no unescalated missed deadline",
        )
    if r >= thresholds.meets:
        why = f"{share}; at least {percent(thresholds.meets)}"
        if r >= thresholds.exceeds:
            missed = m.unescalated_missed
            why += f"; not Exceeds: {missed} missed deadline{'' if missed == 1 else 's'} never escalated"
        else:
            why += f"; Exceeds needs {percent(thresholds.exceeds)}"
        return Band("meets", "Meets", why)
    return Band("below", "Below Meets", f"{share}; under {percent(thresholds.meets)}")


def floored(fraction: float, places: int) -> float:
    """`fraction` cut to `places` decimals, never rounded up: 2/3 -> 0.6666 (4 places). The one rule
    for every rate shown or exported (docs/reports.md): a figure never reaches a threshold the exact
    fraction does not, so a band never disagrees with the number printed beside it."""
    return _units(fraction, places) / 10**places


def percent(fraction: float | None) -> str:
    """90% / 97.9%: rounded *down* to 0.1%, so a rate just under a threshold never reads as on it
    (2/3 -> 66.6%, 179/200 -> 89.5%, nothing due -> —)."""
    if fraction is None:
        return "—"
    tenths = _units(fraction, 3)
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths / 10:.1f}%"


def points(now: float, before: float) -> float:
    """The change between two rates in percentage points, between the figures as shown (66.6% after
    60% is +6.6, not the exact +6.67 that would read as +6.7 beside them)."""
    return (_units(now, 3) - _units(before, 3)) / 10


def _units(fraction: float, places: int) -> int:
    # The tolerance absorbs binary fuzz (0.29 * 1000 = 289.99999999999997); two counts' ratio is
    # never that close to a cut without being on it.
    return math.floor(fraction * 10**places + 1e-9)
