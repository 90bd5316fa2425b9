"""Approved absence (docs/reminders.md): away / back, and cover — while someone is away their live items
go to their alternate (event "covered"), and new items routed to them go there too (routing.cover).

Absences are never deleted: a new one that overlaps an earlier one supersedes it from now (or
cancels it, ended before it began, if it had not started), so the rating-period record stays whole.
"""

from __future__ import annotations

from datetime import datetime, time

from bot.config.teams import Config
from bot.delivery.outbox import enqueue
from bot.errors import InputError
from bot.lifecycle import inputs
from bot.lifecycle import outcomes as decide
from bot.lifecycle.routing import Route, cover, require_on_a_team
from bot.lifecycle.views import AbsenceView, absence_view
from bot.rendering import notices as words
from bot.time.instant_error import InstantError
from storage.inquiry_status import LIVE
from storage.models import Absence
from storage.queries.absences import active_absence, active_absences, overlapping_absences
from storage.queries.events import append_event
from storage.queries.inquiries import live_ids_of, load_record, save_record
from storage.session import Session


def away(
    s: Session,
    config: Config,
    *,
    actor: str,
    start: datetime | None,
    end: datetime | None,
    alternate: str,
    now: datetime,  # start and end are checked (a form may leave them empty)
) -> AbsenceView:
    actor = inputs.user(actor, "actor")
    start, end = inputs.instant(start, "absence start"), inputs.instant(end, "absence end")
    alternate = inputs.user(alternate, "alternate")
    if end <= start:
        raise InstantError(
            "absence end {end} is not after its start {start}; give a later end",
            {"end": end, "start": start},
            tz=config.team_of(actor).timezone,
            example="/inquiry away Monday to Friday alternate @bob",
        )
    zone = config.team_of(actor).calendar.tz
    today = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    if start < today:
        # Periods are whole days in the team's zone: from today on, it touches no finished period.
        raise InstantError(
            "absence start {start} is before today; an absence is recorded from today on (a finished "
            "period's report never changes, and nobody covered you then) — start it today or later",
            {"start": start},
            tz=zone.key,
            example="/inquiry away today to Friday alternate @bob",
        )
    if alternate == actor:
        raise InputError("your alternate must be someone else; name a colleague", example="alternate @bob")
    require_on_a_team(config, alternate, "alternate")
    superseded = []
    for earlier in overlapping_absences(session=s, user_id=actor, start=start, end=end):
        # From the new start on (never rewriting the past); not yet begun -> cancelled.
        earlier.ended_at = min(earlier.ends_at, max(earlier.starts_at, start, now))
        superseded.append(earlier.id)
    row = Absence(
        user_id=actor,
        team=config.team_of(actor).name,
        starts_at=start,
        ends_at=end,
        alternate=alternate,
        created_at=now,
    )
    s.add(row)
    s.flush()
    append_event(
        session=s,
        type="away",
        actor=actor,
        at=now,
        payload={
            "absence_id": row.id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "alternate": alternate,
            "superseded": superseded,
        },
    )
    if start <= now < end:
        cover_for(s, config, row, now)
    return absence_view(row)


def back(s: Session, *, actor: str, now: datetime) -> AbsenceView | None:
    """End the absence in force now; None when the person was not away."""
    row = active_absence(session=s, user_id=actor, at=now)
    if row is None:
        return None
    row.ended_at = now
    append_event(session=s, type="back", actor=actor, at=now, payload={"absence_id": row.id})
    return absence_view(row)


def active(s: Session, *, user_id: str, at: datetime) -> AbsenceView | None:
    row = active_absence(session=s, user_id=user_id, at=inputs.instant(at, "at"))
    return None if row is None else absence_view(row)


def cover_all(s: Session, config: Config, now: datetime) -> int:
    return sum(cover_for(s, config, row, now) for row in active_absences(session=s, at=now))


def cover_for(s: Session, config: Config, row: Absence, now: datetime) -> int:
    """Reassign the absent person's live items to their alternate; idempotent (once moved, the
    absent person holds none)."""
    moved = 0
    for inquiry_id in live_ids_of(session=s, assignee=row.user_id):
        inquiry = load_record(session=s, inquiry_id=inquiry_id, for_update=True)
        if inquiry is None or inquiry.assignee != row.user_id or inquiry.status not in LIVE:
            continue  # changed by someone else meanwhile
        route = cover(s, Route(row.user_id, "covered"), now)
        if route.assignee == row.user_id:
            continue
        team = config.team_or_default(inquiry.team)
        # What fell due while the absent person held the item stays theirs (docs/outcomes.md).
        decide.catch_up(
            s, inquiry, now, team.calendar.business_hours_between, actor=row.user_id, through=True
        )
        inquiry.assignee = route.assignee
        inquiry.next_action_at = now
        save_record(session=s, record=inquiry)
        append_event(
            session=s,
            inquiry_id=inquiry.id,
            type="covered",
            actor=row.user_id,
            at=now,
            payload={
                "from": row.user_id,
                "to": route.assignee,
                "absence_id": row.id,
            },
        )
        until = min(row.ends_at, row.ended_at or row.ends_at)
        enqueue(
            s,
            key=f"covered:{inquiry.id}:{row.id}:{now.isoformat()}",
            team=inquiry.team,
            kind="covered",
            channel=route.assignee,
            text=words.covering(inquiry.ref, inquiry.subject, row.user_id, until, team.calendar.tz),
            now=now,
            inquiry_id=inquiry.id,
        )
        moved += 1
    return moved
