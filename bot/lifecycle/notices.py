"""Notifications caused by a change, written to the outbox in the same transaction as the change
(at its commit, with the change's other writes: storage.queries.deferred).

blocks=None with inquiry_id set: the deliverer renders the inquiry's current card at delivery
time, so the buttons are never stale. The text here is the notification fallback.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.config import Team
from bot.outbox import enqueue
from storage.models import Inquiry


def local(when: datetime, zone: ZoneInfo) -> str:
    """'Tue 24 Nov 2026 17:00 EST' in the team's zone."""
    t = when.astimezone(zone)
    return f"{t:%a} {t.day} {t:%b %Y %H:%M} {t.tzname()}"


def assigned_dm(session: Session, team: Team, row: Inquiry, actor: str, now: datetime, *,
                logged: bool = False) -> None:
    """DM the new assignee, unless they gave the item to themselves. An item someone else logged
    says who logged it and the receipt time they gave: the deadlines run from it (docs/record.md)."""
    if row.assignee == actor:
        return
    due = local(row.first_response_due, team.calendar.tz)
    origin = (f" Logged by <@{actor}>, who gave its receipt as {local(row.received_at, team.calendar.tz)}."
              if logged else "")
    enqueue(
        session,
        key=f"assigned:{row.id}:{row.reassignments}",  # one per hand-over: logged (0), each reassign
        team=row.team,
        kind="assigned",
        channel=row.assignee,
        text=f"{row.ref} is now yours (from <@{actor}>): {row.subject} — first response due {due}.{origin}",
        now=now,
        inquiry_id=row.id,
        at_commit=True,
    )


def complex_announcement(session: Session, team: Team, row: Inquiry, now: datetime) -> None:
    """Complex items are announced in the team's escalation channel (else its main channel)."""
    channel = team.escalation_channel or team.channel
    if not channel:
        return
    due = local(row.first_response_due, team.calendar.tz)
    enqueue(
        session,
        key=f"complex:{row.id}",
        team=row.team,
        kind="complex",
        channel=channel,
        text=f"Complex inquiry {row.ref} routed to <@{row.assignee}>: {row.subject} — first response due {due}",
        now=now,
        inquiry_id=row.id,
        at_commit=True,
    )


def escalation_post(
    session: Session, team: Team, row: Inquiry, actor: str, reason: str | None, now: datetime
) -> None:
    """A manual escalation goes to the escalation channel, else the team channel, else each supervisor."""
    why = f" — {reason}" if reason else ""
    text = f"<@{actor}> escalated {row.ref} (assignee <@{row.assignee}>): {row.subject}{why}"
    channel = team.escalation_channel or team.channel
    targets = [channel] if channel else [s for s in team.supervisors if s != actor]
    for target in targets:
        enqueue(
            session, key=f"escalated:{row.id}:{row.escalation_level}:{target}", team=row.team, kind="escalation",
            channel=target, text=text, now=now, inquiry_id=row.id, at_commit=True,
        )
