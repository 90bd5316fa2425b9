"""Reports as JSON and CSV for the performance record. The keys are stable and documented in
docs/reports.md; rates are fractions 0–1 (e.g. on_time_rate: 0.5) or null when nothing was due;
instants are ISO-8601 UTC; days are ISO dates.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any

from bot.reports.build import Report
from bot.reports.metrics import Band, Metrics, floored
from storage.refs import inquiry_ref

FORMAT_VERSION = 1
METRIC_KEYS = (
    "received",
    "responded",
    "resolved",
    "open",
    "overdue_now",
    "first_response_deadlines",
    "on_time",
    "late",
    "missed_open",
    "missed",
    "unescalated_missed",
    "on_time_rate",
    "promised_resolutions",
    "resolved_by_promise",
    "resolution_on_time_rate",
    "status_update_deadlines",
    "status_updates_ok",
    "status_update_compliance",
    "median_business_hours_to_first_response",
    "p90_business_hours_to_first_response",
    "escalations",
    "reassignments",
    "absences",
    "feedback_count",
    "feedback_average",
    "customer_feedback_count",
    "customer_feedback_average",
    "band",
    "band_reason",
)
CSV_COLUMNS = ("row", "team", "user", "period_from", "period_to", *METRIC_KEYS)


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _rate(value: float | None) -> float | None:
    """A rate to 4 decimals, cut like every shown rate (2/3 -> 0.6666, shown 66.6%): never rounded up
    past a threshold the band says was not reached (docs/reports.md)."""
    return None if value is None else floored(value, 4)


def metrics_dict(m: Metrics, band: Band) -> dict[str, Any]:
    values = {
        "received": m.received,
        "responded": m.responded,
        "resolved": m.resolved,
        "open": m.open,
        "overdue_now": m.overdue_now,
        "first_response_deadlines": m.deadlines,
        "on_time": m.on_time,
        "late": m.late,
        "missed_open": m.missed_open,
        "missed": m.missed,
        "unescalated_missed": m.unescalated_missed,
        "on_time_rate": _rate(m.on_time_rate),
        "promised_resolutions": m.promises,
        "resolved_by_promise": m.promises_kept,
        "resolution_on_time_rate": _rate(m.resolution_on_time_rate),
        "status_update_deadlines": m.updates,
        "status_updates_ok": m.updates_ok,
        "status_update_compliance": _rate(m.status_update_compliance),
        "median_business_hours_to_first_response": _round(m.median_hours, 2),
        "p90_business_hours_to_first_response": _round(m.p90_hours, 2),
        "escalations": m.escalations,
        "reassignments": m.reassignments,
        "absences": m.absences,
        "feedback_count": m.feedback_count,
        "feedback_average": _round(m.feedback_average, 2),
        "customer_feedback_count": m.customer_count,
        "customer_feedback_average": _round(m.customer_average, 2),
        "band": band.level,
        "band_reason": band.reason,
    }
    assert tuple(values) == METRIC_KEYS  # the documented order is the emitted order
    return values


def report_dict(report: Report) -> dict[str, Any]:
    e = report.evidence
    return {
        "format_version": FORMAT_VERSION,
        "kind": report.kind,
        "subject": report.subject,
        "period": {
            "name": report.period.name,
            "from": iso(report.period.start),
            "to": iso(report.period.end),
            "start": iso(report.start),
            "end": iso(report.end),
            "timezone": report.tz,
        },
        "generated_at": iso(report.generated_at),
        "thresholds": {"meets": report.thresholds.meets, "exceeds": report.thresholds.exceeds},
        "totals": metrics_dict(report.totals, report.band),
        "people": [
            {"user": p.user, "team": p.team, **metrics_dict(p.metrics, p.band)} for p in report.people
        ],
        "evidence": {
            "late": [
                {
                    "id": i.id,
                    "ref": i.ref,
                    "subject": i.subject,
                    "user": i.person,
                    "due": iso(i.due),
                    "responded_at": iso(i.responded_at),
                    "business_hours": i.business_hours,
                    "escalated_by_hand": i.escalated_by_hand,
                    "source_link": i.source_link,
                    # set when logged more than a business day after its stated receipt (docs/record.md)
                    "logged_by": i.logged_by if i.logged_days_after_receipt else None,
                    "logged_days_after_receipt": i.logged_days_after_receipt,
                    # how the holder got it, when someone else had it first (docs/record.md)
                    "handed": i.handed,
                    "handed_by": i.handed_by,
                    "handed_business_hours_before_deadline": i.handed_hours_before,
                }
                for i in e.late
            ],
            # Promises missed: the resolution, or the status update due by it, not made by the date.
            "missed_promises": [
                {
                    "id": m.id,
                    "ref": m.ref,
                    "subject": m.subject,
                    "user": m.person,
                    "deadline_kind": m.what,
                    "due": iso(m.due),
                    "resolved_at": iso(m.resolved_at),
                    "source_link": m.source_link,
                }
                for m in e.missed_promises
            ],
            "overdue": [
                {
                    "id": i.id,
                    "ref": i.ref,
                    "subject": i.subject,
                    "assignee": i.assignee,
                    "deadline": iso(i.deadline),
                    "deadline_kind": i.what,
                    "source_link": i.source_link,
                }
                for i in e.overdue
            ],
            "escalations": [
                {
                    "id": i.id,
                    "ref": i.ref,
                    "user": i.person,
                    "at": iso(i.at),
                    "by": i.actor,
                    "by_hand": i.manual,
                    "level": i.level,
                    "reason": i.reason,
                }
                for i in e.escalations
            ],
            "absences": [
                {
                    "user": a.user,
                    "start": iso(a.start),
                    "end": iso(a.end),
                    "alternate": a.alternate,
                    "ended_early": a.ended_early,
                }
                for a in e.absences
            ],
            "feedback": [
                {
                    "id": f.id,
                    "ref": f.ref,
                    "user": f.person,
                    "score": f.score,
                    "comment": f.comment,
                    "at": iso(f.at),
                    "given_by": f.given_by,
                }
                for f in e.feedback
            ],
            "customer_feedback": [
                {
                    "id": c.id,
                    "ref": c.ref,
                    "user": c.person,
                    "score": c.score,
                    "comment": c.comment,
                    "at": iso(c.at),
                }
                for c in e.customer_feedback
            ],
            # Disputes of the period's outcomes and any still open: both reasons, who decided.
            "disputes": [
                {
                    "id": d.inquiry_id,
                    "ref": inquiry_ref(d.inquiry_id),
                    "deadline_kind": d.kind,
                    "outcome": d.outcome,
                    "deadline": iso(d.deadline),
                    "user": d.holder,
                    "disputed_by": d.disputed_by,
                    "disputed_at": iso(d.disputed_at),
                    "reason": d.reason,
                    "decision": d.decision,
                    "decided_by": d.decided_by,
                    "decided_at": iso(d.decided_on),
                    "decision_reason": d.decision_reason,
                }
                for d in e.disputes
            ],
            # Items closed while a deadline was ahead: that deadline never got an outcome.
            "closed_before_deadline": [
                {
                    "id": c.id,
                    "ref": c.ref,
                    "subject": c.subject,
                    "user": c.person,
                    "closed_at": iso(c.at),
                    "closed_by": c.by,
                    "reason": c.reason,
                    "duplicate_of": inquiry_ref(c.original) if c.original else None,
                    "note": c.note,
                    "deadline": iso(c.deadline),
                    "deadline_kind": c.what,
                    "business_hours_before_deadline": c.hours_before,
                    "source_link": c.source_link,
                }
                for c in e.closed
            ],
            "truncated": {
                "closed_before_deadline": e.closed_truncated,
                "missed_promises": e.missed_promises_truncated,
                "late": e.late_truncated,
                "overdue": e.overdue_truncated,
                "escalations": e.escalations_truncated,
                "feedback": e.feedback_truncated,
                "customer_feedback": e.customer_feedback_truncated,
            },
        },
    }


def report_csv(report: Report) -> str:
    """One row per person, then a `total` row; the same metric columns as the JSON."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    period = {"period_from": iso(report.period.start), "period_to": iso(report.period.end)}
    for p in report.people:
        writer.writerow(
            _csv_row(
                {"row": "person", "team": p.team, "user": p.user, **period, **metrics_dict(p.metrics, p.band)}
            )
        )
    team = report.subject if report.kind == "team" else ""
    user = report.subject if report.kind == "person" else ""
    writer.writerow(
        _csv_row(
            {"row": "total", "team": team, "user": user, **period, **metrics_dict(report.totals, report.band)}
        )
    )
    return buffer.getvalue()


def _csv_row(values: dict[str, Any]) -> dict[str, Any]:
    return {k: "" if v is None else v for k, v in values.items()}
