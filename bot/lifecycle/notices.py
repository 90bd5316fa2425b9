"""Notifications caused by a change, written to the outbox in the same transaction as the change
(at its commit, with the change's other writes: storage.queries.deferred).

blocks=None with inquiry_id set: the deliverer renders the inquiry's current card at delivery
time, so the buttons are never stale. The text here is the notification fallback.
"""

from __future__ import annotations

from datetime import datetime

from bot.config.teams import Team
from bot.delivery.outbox import enqueue
from bot.rendering import notices as words
from storage.queries.inquiries import InquiryRecord
from storage.session import Session


def assigned_dm(
    session: Session,
    team: Team,
    row: InquiryRecord,
    actor: str,
    now: datetime,
    *,
    logged: bool = False,
    via: str | None = None,
) -> None:
    """DM the new assignee, unless they gave the item to themselves. An item someone else logged
    says who logged it and the receipt time they gave: the deadlines run from it (docs/record.md).
    An item a workflow logged is always told: who ran it is only what the workflow says."""
    if row.assignee == actor and via is None:
        return
    enqueue(
        session,
        key=f"assigned:{row.id}:{row.reassignments}",  # one per hand-over: logged (0), each reassign
        team=row.team,
        kind="assigned",
        channel=row.assignee,
        text=words.assigned(
            row.ref,
            row.subject,
            actor,
            row.first_response_due,
            team.calendar.tz,
            logged_received=row.received_at if logged else None,
            via=via,
            answered=row.first_response_at is not None,
            promised=row.promised_resolution,
        ),
        now=now,
        inquiry_id=row.id,
        at_commit=True,
    )


def complex_announcement(session: Session, team: Team, row: InquiryRecord, now: datetime) -> None:
    """Complex items are announced in the team's escalation channel (else its main channel)."""
    channel = team.escalation_channel or team.channel
    if not channel:
        return
    enqueue(
        session,
        key=f"complex:{row.id}",
        team=row.team,
        kind="complex",
        channel=channel,
        text=words.complex_routed(
            row.ref, row.subject, row.assignee, row.first_response_due, team.calendar.tz
        ),
        now=now,
        inquiry_id=row.id,
        at_commit=True,
    )


def escalation_targets(team: Team, actor: str) -> list[str]:
    """Where a manual escalation goes: the escalation channel, else the team channel, else each
    supervisor but the one escalating (the reply names them)."""
    channel = team.escalation_channel or team.channel
    return [channel] if channel else [s for s in team.supervisors if s != actor]


def escalation_post(
    session: Session, team: Team, row: InquiryRecord, actor: str, reason: str | None, now: datetime
) -> None:
    """A manual escalation goes to the escalation channel, else the team channel, else each supervisor."""
    text = words.escalated(row.ref, row.subject, actor, row.assignee, reason)
    for target in escalation_targets(team, actor):
        enqueue(
            session,
            key=f"escalated:{row.id}:{row.escalation_level}:{target}",
            team=row.team,
            kind="escalation",
            channel=target,
            text=text,
            now=now,
            inquiry_id=row.id,
            at_commit=True,
        )
