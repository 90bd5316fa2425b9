"""The evidence behind a report, in parts: each part reads its rows (limited, with a flag when there
were more) and makes them into some of Evidence's fields (bot/reports/evidence.py). build_report
(build.py) runs the parts side by side, one task each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.config.teams import Config
from bot.reports import evidence as ev
from bot.time.calendar import BusinessCalendar
from bot.time.late_logging import logged_late
from storage.inquiry_status import Status
from storage.queries import customer_feedback as customer
from storage.queries import outcome_disputes as disputes
from storage.queries import outcome_misses as misses
from storage.queries import report_evidence as rows
from storage.queries import reports as q
from storage.queries.report_evidence import OverdueRow
from storage.refs import inquiry_ref
from storage.session import Session

Part = dict[str, Any]  # some of Evidence's fields


def _late(session: Session, *, scope: q.Scope, window: q.Window, limit: int, config: Config | None) -> Part:
    # The missed first responses are the facts behind the missed count (docs/outcomes.md).
    late_rows = misses.missed_first_responses(
        session=session,
        teams=scope.teams,
        users=scope.users,
        start=window.start,
        end=window.end,
        limit=limit + 1,
    )
    shown = late_rows[:limit]
    by_hand = rows.escalated_by_hand_ids(session=session, ids=[r.id for r in late_rows], before=window.end)
    delays = rows.logged_delays_of(session=session, ids=[r.id for r in shown])
    hand_overs: dict[int, list[rows.HandOver]] = {}
    for h in rows.hand_overs_of(session=session, ids=[r.id for r in shown]):
        hand_overs.setdefault(h.inquiry_id, []).append(h)
    late = tuple(
        ev.LateItem(
            r.id,
            inquiry_ref(r.id),
            r.subject,
            r.holder,
            r.deadline,
            r.responded_at,
            r.business_hours,
            r.id in by_hand,
            r.source_link,
            r.logged_by,
            _logged_late(config, r, delays.get(r.id)),
            *_handed(config, r, hand_overs.get(r.id, [])),
        )
        for r in shown
    )
    return {"late": late, "late_truncated": len(late_rows) > limit}


def _handed(
    config: Config | None, row: misses.MissedRow, hand_overs: list[rows.HandOver]
) -> tuple[str | None, str | None, float | None]:
    """How the holder came to hold a missed item, when someone else had it first: the last
    hand-over to them before the deadline — (reassigned | covered, by whom, business hours left
    to the deadline) — so a miss handed over minutes before its deadline shows it; or, with no
    hand-over, an item someone else logged for them — (logged, by whom, business hours left at the
    logging: 0 when logged after the deadline) — so a miss logged for a colleague an hour before
    its deadline, or after it, shows it too (docs/record.md). (None, None, None) otherwise."""
    if config is None:
        return None, None, None
    before = [h for h in hand_overs if h.at <= row.deadline]
    if not before:
        if row.logged_by is None or row.logged_by == row.holder or row.logged_at is None:
            return None, None, None
        left = (
            0.0
            if row.logged_at >= row.deadline
            else _hours_left(config, row.team, row.logged_at, row.deadline)
        )
        return "logged", row.logged_by, left
    if before[-1].taker != row.holder:
        return None, None, None
    last = before[-1]
    by = last.actor if last.type == "reassigned" else (last.giver or last.actor)
    return last.type, by, _hours_left(config, row.team, last.at, row.deadline)


def _escalations(session: Session, *, scope: q.Scope, window: q.Window, limit: int, **_: Any) -> Part:
    esc_rows = rows.escalation_events(session=session, scope=scope, window=window, limit=limit + 1)
    escalations = tuple(
        ev.EscalationItem(
            r.inquiry_id,
            inquiry_ref(r.inquiry_id),
            r.subject,
            r.person,
            r.at,
            r.actor,
            (r.payload or {}).get("level"),
            r.actor != q.BOT_ACTOR,
            (r.payload or {}).get("reason"),
            r.source_link,
        )
        for r in esc_rows[:limit]
    )
    return {"escalations": escalations, "escalations_truncated": len(esc_rows) > limit}


def _quotes(session: Session, *, scope: q.Scope, window: q.Window, limit: int, **_: Any) -> Part:
    """The staff's and the customers' feedback quoted."""
    fb_rows = rows.feedback_quotes(session=session, scope=scope, window=window, limit=limit + 1)
    feedback = tuple(
        ev.FeedbackItem(
            r.inquiry_id, inquiry_ref(r.inquiry_id), r.person, r.score, r.comment, r.given_at, r.given_by
        )
        for r in fb_rows[:limit]
    )
    quote_rows = customer.customer_quotes(session=session, scope=scope, window=window, limit=limit + 1)
    quotes = tuple(
        ev.CustomerQuote(r.inquiry_id, inquiry_ref(r.inquiry_id), r.person, r.score, r.comment, r.given_at)
        for r in quote_rows[:limit]
    )
    return {
        "feedback": feedback,
        "feedback_truncated": len(fb_rows) > limit,
        "customer_feedback": quotes,
        "customer_feedback_truncated": len(quote_rows) > limit,
    }


def _overdue_and_disputes(
    session: Session, *, scope: q.Scope, window: q.Window, limit: int, **_: Any
) -> Part:
    over_rows = rows.overdue_items(session=session, scope=scope, now=window.now, limit=limit + 1)
    return {
        "overdue": tuple(_overdue(r) for r in over_rows[:limit]),
        "overdue_truncated": len(over_rows) > limit,
        "disputes": _disputes(session, scope=scope, window=window, limit=limit),
    }


def _closed(session: Session, *, scope: q.Scope, window: q.Window, limit: int, config: Config | None) -> Part:
    """Items closed while a deadline was ahead: closing took it out of the rates."""
    found = rows.closed_before_deadline(session=session, scope=scope, window=window, limit=limit + 1)
    closed = tuple(
        ev.ClosedItem(
            r.inquiry_id,
            inquiry_ref(r.inquiry_id),
            r.subject,
            r.holder,
            r.at,
            r.actor,
            r.reason or "",
            r.note,
            int(r.original) if r.original else None,
            r.deadline,
            "promised resolution" if r.answered else "first response",
            None if config is None else _hours_left(config, r.team, r.at, r.deadline),
            r.source_link,
        )
        for r in found[:limit]
    )
    return {"closed": closed, "closed_truncated": len(found) > limit}


def _missed_promises(session: Session, *, scope: q.Scope, window: q.Window, limit: int, **_: Any) -> Part:
    found = misses.missed_promises(
        session=session,
        teams=scope.teams,
        users=scope.users,
        start=window.start,
        end=window.end,
        limit=limit + 1,
    )
    missed = tuple(
        ev.MissedPromise(
            r.inquiry_id,
            inquiry_ref(r.inquiry_id),
            r.subject,
            r.holder,
            "resolution" if r.kind == "resolution" else "status update",
            r.deadline,
            r.resolved_at,
            r.source_link,
        )
        for r in found[:limit]
    )
    return {"missed_promises": missed, "missed_promises_truncated": len(found) > limit}


# The evidence in parts, longest first: build_report runs them side by side (each its own task).
PARTS: tuple[Callable[..., Part], ...] = (
    _late,
    _escalations,
    _quotes,
    _overdue_and_disputes,
    _closed,
    _missed_promises,
)


def _logged_late(config: Config | None, row: misses.MissedRow, recorded: int | None) -> int | None:
    if config is None or row.logged_at is None or row.received_at is None:
        return None
    return logged_late(_calendar(config, row.team), row.received_at, row.logged_at, recorded)


def _hours_left(config: Config, team: str | None, at: datetime, deadline: datetime) -> float:
    """The team's business hours from `at` to `deadline`, as the evidence shows them (one decimal)."""
    return round(_calendar(config, team).business_hours_between(at, deadline), 1)


def _calendar(config: Config, team: str | None) -> BusinessCalendar:
    """The business calendar of an item's team (no team: the default team's)."""
    return config.team_or_default(team or config.default_team).calendar


def _disputes(session: Session, *, scope: q.Scope, window: q.Window, limit: int) -> tuple:
    """Disputes of outcomes decided in the period, then those still open from any period."""
    teams = None if scope.users is not None else scope.teams
    found = disputes.dispute_rows(
        session, teams=teams, users=scope.users, start=window.start, end=window.end, limit=limit
    )
    seen = {r.outcome_id for r in found}
    still_open = disputes.dispute_rows(session, teams=teams, users=scope.users, open_only=True, limit=limit)
    return tuple(found + [r for r in still_open if r.outcome_id not in seen])


def _overdue(row: OverdueRow) -> ev.OverdueItem:
    if row.status == Status.OPEN:
        due, what = row.first_response_due, "first response"
    else:
        assert row.promised_resolution is not None  # overdue_items: open, or past the promised date
        due, what = row.promised_resolution, "promised resolution"
    return ev.OverdueItem(row.id, inquiry_ref(row.id), row.subject, row.assignee, due, what, row.source_link)
