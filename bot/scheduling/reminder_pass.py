"""The scheduler pass: act on every inquiry whose next_action_at has come.

run_reminders claims due inquiries through ix_inquiries_next_action_at (never a scan of the
table) in batches; on PostgreSQL with FOR UPDATE SKIP LOCKED, so concurrent ticks take disjoint
rows, and on SQLite inside BEGIN IMMEDIATE, which serialises them. For each, bot.scheduling.reminders says
which steps are due; each step becomes one outbox row per recipient with a unique key
(inq:<id>:<step>:<deadline>:<role>), so even two racing ticks store it once; the inquiry's real
next_action_at is stored in the same transaction. Delivery is bot/delivery/deliverer.py's business.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.config.quiet import not_before
from bot.config.teams import Config, Team
from bot.delivery.outbox import enqueue_many
from bot.lifecycle.replan import sync_calendars
from bot.rendering.reminders import reminder_text
from bot.scheduling import reminders
from bot.scheduling.reminders import Step
from bot.time.clock import Clock
from storage.queries.absences import active_absences
from storage.queries.inquiries import InquiryRecord, save_record
from storage.queries.scheduling import claim_due, insert_events, set_next_actions
from storage.session import SessionFactory, transaction

log = logging.getLogger("inquirybot.scheduler")

BOT_ACTOR = "inquirybot"
OUTBOX_KIND = {
    "nudge_half": "nudge",
    "nudge_target": "nudge",
    "nudge_before": "nudge",
    "overdue": "overdue",
    "escalate": "level2",
    "update_soon": "update",
    "update_past": "update",
    "stale": "stale",
}
EVENT_TYPE = {"overdue": "overdue", "escalate": "escalated"}  # every other step: "reminded"
GATHERED_FAMILIES = ("first_response", "update", "stale")  # escalations never go early
# Notices that a deadline has passed: never sent before it, so never early; they wait for the end
# of their slot instead ("Promised resolution passed" at 14:00 for a 14:10 promise was untrue, and
# went even when the item was resolved at 14:05).
AFTER_THE_FACT = ("overdue", "update_past")


def gathered_plan(row: InquiryRecord, team: Team, now: datetime) -> reminders.ReminderPlan:
    """The ladder's plan at `now`, with the nudges due within the team's gather_minutes brought
    forward (docs/messages.md; a nudge of a family replaces that family's earlier one). A step sent
    early is re-derived at its own time harmlessly: its outbox key is the same, so it is stored once."""
    gather = timedelta(minutes=team.reminders.gather_minutes)
    plan = reminders.plan(row, team.calendar, team.reminders, now)
    if not gather:
        return plan
    ahead = reminders.plan(row, team.calendar, team.reminders, now + gather)
    early = {
        s.family: s
        for s in ahead.due
        if s.family in GATHERED_FAMILIES and s.name not in AFTER_THE_FACT and s not in plan.due
    }
    due = [s for s in plan.due if s.family not in early] + list(early.values())
    # An overdue or passed-promise notice never goes early; it waits for the end of its slot
    # instead (less than `gather` late), so one person's notices of deadlines minutes apart go as
    # one list; unless the slot ends after closing time, when waiting would put it off to the next
    # morning.
    held = [
        s
        for s in due
        if s.name in AFTER_THE_FACT
        and slot_end(s.at, gather) > now
        and team.calendar.is_open(slot_end(s.at, gather))
    ]
    due = [s for s in due if s not in held]
    # Look again before the step after the window, so it can be gathered in its turn: at the start
    # of its gathering slot (slots of `gather` on a fixed grid), the same instant for every item
    # whose step falls in that slot, so one pass finds them all and they go as one list.
    next_at = min([t for t in (plan.next_at, *(slot_end(s.at, gather) for s in held)) if t], default=None)
    if ahead.next_at is not None:
        look = slot_start(ahead.next_at, gather)  # > now: ahead.next_at is after now + gather
        next_at = look if next_at is None else min(next_at, look)
    return reminders.ReminderPlan(tuple(sorted(due, key=lambda s: (s.at, s.level))), next_at)


def slot_start(at: datetime, gather: timedelta) -> datetime:
    """The start of the `gather`-long slot holding `at`, slots counted from the Unix epoch (so
    30 minutes gives :00 and :30)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return at - (at - epoch) % gather


def slot_end(at: datetime, gather: timedelta) -> datetime:
    """The first slot boundary at or after `at`."""
    start = slot_start(at, gather)
    return at if start == at else start + gather


@dataclass
class ReminderStats:
    inquiries: int = 0  # due inquiries looked at
    steps: int = 0  # steps newly acted on
    messages: int = 0  # outbox rows written
    by_step: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        detail = ", ".join(f"{n} {name}" for name, n in sorted(self.by_step.items()))
        return f"{self.inquiries} due inquiries, {self.messages} messages queued" + (
            f" ({detail})" if detail else ""
        )


def run_reminders(
    sessions: SessionFactory, config: Config, clock: Clock, *, batch: int = 500
) -> ReminderStats:
    """One pass: every inquiry due now, batch by batch, each batch one transaction."""
    stats = ReminderStats()
    with sessions() as s:  # closures another process declared (docs/closures.md)
        sync_calendars(s, config)
    while True:
        with transaction(sessions) as s:
            now = clock.now()
            rows = claim_due(s, now, batch)
            if not rows:
                break
            alternates = {a.user_id: a.alternate for a in active_absences(session=s, at=now)}
            due: list[DueStep] = []
            next_actions = []
            for row in rows:
                steps, next_at = plan_row(config, row, now, alternates)
                due += steps
                next_actions.append((row.id, next_at))
            stored = enqueue_many(s, [m for d in due for m in d.messages])
            insert_events(s, [e for d in due if (e := d.record(stored, now)) is not None])
            for row in {d.row.id: d.row for d in due if d.step.level}.values():
                save_record(session=s, record=row)  # the escalation level reached (nothing if unchanged)
            set_next_actions(s, next_actions)
            for d in due:
                if any(m["dedupe_key"] in stored for m in d.messages):
                    stats.steps += 1
                    stats.by_step[d.step.name] = stats.by_step.get(d.step.name, 0) + 1
            stats.messages += len(stored)
            stats.inquiries += len(rows)
        if len(rows) < batch:
            break
    return stats


@dataclass
class DueStep:
    """One due step of one inquiry and the outbox rows it would write (one per recipient)."""

    row: InquiryRecord
    step: Step
    messages: list[dict]

    def record(self, stored: set[str], now: datetime) -> dict | None:
        """If any of its messages is new, mark the inquiry and return the step's event row."""
        to = [m["channel"] for m in self.messages if m["dedupe_key"] in stored]
        if not to:
            return None  # already sent by an earlier pass: nothing new happened
        step, row = self.step, self.row
        payload: dict[str, Any] = {
            "step": step.name,
            "due": step.at.isoformat(),
            "deadline": step.anchor.isoformat(),
            "to": to,
        }
        if step.level:
            row.escalation_level = max(row.escalation_level or 0, step.level)
            row.escalated = row.escalated or step.level >= 2
            payload.update(level=step.level, manual=False)
        return {
            "inquiry_id": row.id,
            "type": EVENT_TYPE.get(step.name, "reminded"),
            "actor": BOT_ACTOR,
            "at": now,
            "payload": payload,
        }


def plan_row(
    config: Config, row: InquiryRecord, now: datetime, alternates: dict[str, str]
) -> tuple[list[DueStep], datetime | None]:
    """The steps due for one inquiry with their messages, and its next action time."""
    team = config.team_or_default(row.team)
    plan = gathered_plan(row, team, now)
    # Strictly later than now, so a pass never claims the same row twice.
    next_at = None if plan.next_at is None else max(plan.next_at, now + timedelta(seconds=1))
    due = []
    for step in plan.due:
        left = (
            # from now when the step is late (an outage): the time left is what it says
            team.calendar.business_hours_between(max(step.at, now), row.first_response_due)
            if step.name == "nudge_half"
            else 0
        )
        text = reminder_text(step.name, row, team, hours_left=left)
        # The key names the step and the deadline it is about (a new deadline re-arms the step)
        # and the recipient's role, not the person, so a reassignment does not resend it.
        base = reminders.reminder_key(row.id, step)
        messages = [
            {
                "dedupe_key": f"{base}:{role}",
                "team": row.team,
                "kind": OUTBOX_KIND[step.name],
                "channel": target,
                "text": text,
                "inquiry_id": row.id,
                "created_at": now,
                "next_attempt_at": not_before(config, row.team, target, now),
            }
            for role, target in recipients(config, team, row, step, alternates)
        ]
        due.append(DueStep(row, step, messages))
    return due, next_at


def recipients(
    config: Config, team: Team, row: InquiryRecord, step: Step, alternates: dict[str, str]
) -> list[tuple[str, str]]:
    """(role, Slack id) pairs. The role, not the person, goes into the outbox key: a reassignment
    does not resend a step already sent. Someone away is replaced by their alternate."""

    def present(user: str) -> str:
        seen = {user}
        while user in alternates and alternates[user] not in seen:
            user = alternates[user]
            seen.add(user)
        return user

    assignee = present(row.assignee)
    if step.audience == "assignee":
        return [("assignee", assignee)]
    if step.audience == "assignee+supervisors":
        out, seen = [("assignee", assignee)], {assignee}
        for sup in team.supervisors:
            who = present(sup)
            if who not in seen:
                out.append((f"sup-{sup}", who))
                seen.add(who)
        return out
    channel = team.escalation_channel or team.channel
    if channel:
        return [("channel", channel)]
    # No channel configured: level 2 goes to the supervisors (else the admins) directly.
    people = list(team.supervisors) or sorted(config.admins)
    return [(f"sup-{p}", present(p)) for p in dict.fromkeys(people)]
