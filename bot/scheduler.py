"""The scheduler pass: act on every inquiry whose next_action_at has come.

run_reminders claims due inquiries through ix_inquiries_next_action_at (never a scan of the
table) in batches; on PostgreSQL with FOR UPDATE SKIP LOCKED, so concurrent ticks take disjoint
rows, and on SQLite inside BEGIN IMMEDIATE, which serialises them. For each, bot.reminders says
which steps are due; each step becomes one outbox row per recipient with a unique key
(inq:<id>:<step>:<deadline>:<role>), so even two racing ticks store it once; the inquiry's real
next_action_at is stored in the same transaction. Delivery is bot/delivery.py's business.

start_background_scheduler runs the named jobs (bot/jobs.py) in a daemon thread inside serve/socket.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from bot import reminders
from bot.clock import Clock
from bot.config import Config, Team
from bot.jobs import SCHEDULING_JOBS, JobContext, make_deliverer, run_job
from bot.lifecycle.notices import local
from bot.quiet import not_before
from bot.reminders import Step
from storage.models import Inquiry
from storage.queries.absences import active_absences
from storage.queries.scheduling import claim_due, insert_events, insert_outbox, set_next_actions
from storage.session import transaction

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.sending import Sender

log = logging.getLogger("inquirybot.scheduler")

BOT_ACTOR = "inquirybot"
OUTBOX_KIND = {
    "nudge_half": "nudge", "nudge_target": "nudge", "nudge_before": "nudge", "overdue": "overdue",
    "escalate": "level2", "update_soon": "update", "update_past": "update", "stale": "stale",
}
EVENT_TYPE = {"overdue": "overdue", "escalate": "escalated"}  # every other step: "reminded"


@dataclass
class ReminderStats:
    inquiries: int = 0  # due inquiries looked at
    steps: int = 0  # steps newly acted on
    messages: int = 0  # outbox rows written
    by_step: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        detail = ", ".join(f"{n} {name}" for name, n in sorted(self.by_step.items()))
        return f"{self.inquiries} due inquiries, {self.messages} messages queued" + (f" ({detail})" if detail else "")


def run_reminders(sessions: sessionmaker[Session], config: Config, clock: Clock, *, batch: int = 500) -> ReminderStats:
    """One pass: every inquiry due now, batch by batch, each batch one transaction."""
    stats = ReminderStats()
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
            stored = insert_outbox(s, [m for d in due for m in d.messages])
            insert_events(s, [e for d in due if (e := d.record(stored, now)) is not None])
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

    row: Inquiry
    step: Step
    messages: list[dict]

    def record(self, stored: set[str], now: datetime) -> dict | None:
        """If any of its messages is new, mark the inquiry and return the step's event row."""
        to = [m["channel"] for m in self.messages if m["dedupe_key"] in stored]
        if not to:
            return None  # already sent by an earlier pass: nothing new happened
        step, row = self.step, self.row
        payload = {"step": step.name, "due": step.at.isoformat(), "deadline": step.anchor.isoformat(), "to": to}
        if step.level:
            row.escalation_level = max(row.escalation_level or 0, step.level)
            row.escalated = row.escalated or step.level >= 2
            payload.update(level=step.level, manual=False)
        return {"inquiry_id": row.id, "type": EVENT_TYPE.get(step.name, "reminded"), "actor": BOT_ACTOR,
                "at": now, "payload": payload}


def plan_row(
    config: Config, row: Inquiry, now: datetime, alternates: dict[str, str]
) -> tuple[list[DueStep], datetime | None]:
    """The steps due for one inquiry with their messages, and its next action time."""
    team = config.teams.get(row.team) or config.teams[config.default_team]
    plan = reminders.plan(row, team.calendar, team.reminders, now)
    # Strictly later than now, so a pass never claims the same row twice.
    next_at = None if plan.next_at is None else max(plan.next_at, now + timedelta(seconds=1))
    due = []
    for step in plan.due:
        text = message_text(step, row, team)
        # The key names the step and the deadline it is about (a new deadline re-arms the step)
        # and the recipient's role, not the person, so a reassignment does not resend it.
        base = f"inq:{row.id}:{step.name}:{step.anchor.astimezone(timezone.utc).isoformat()}"
        messages = [
            {"dedupe_key": f"{base}:{role}", "team": row.team, "kind": OUTBOX_KIND[step.name], "channel": target,
             "text": text, "inquiry_id": row.id, "created_at": now,
             "next_attempt_at": not_before(config, row.team, target, now)}
            for role, target in recipients(config, team, row, step, alternates)
        ]
        due.append(DueStep(row, step, messages))
    return due, next_at


def recipients(
    config: Config, team: Team, row: Inquiry, step: Step, alternates: dict[str, str]
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


def message_text(step: Step, row: Inquiry, team: Team) -> str:
    tz = team.calendar.tz
    item = f"*{row.ref}* “{row.subject}”"
    due = local(row.first_response_due, tz)
    if step.name == "nudge_half":
        left = team.calendar.business_hours_between(step.at, row.first_response_due)
        return f":hourglass_flowing_sand: Reminder: {item} needs a first response by {due} ({left:g} business hours left)."
    if step.name == "nudge_target":
        return f":dart: Target reached: {item} should have had its first response by now; the deadline is {due}."
    if step.name == "nudge_before":
        return f":alarm_clock: {team.reminders.nudge_before} left: {item} needs a first response by {due}."
    if step.name == "overdue":
        return f":red_circle: Overdue: {item} (<@{row.assignee}>) had no first response by {due}."
    if step.name == "escalate":
        why = "complex item" if row.complexity == "complex" else f"{team.reminders.level2_after} overdue"
        return (f":rotating_light: Escalation ({why}): {item}, assignee <@{row.assignee}>, "
                f"first response was due {due}.")
    promised = local(row.promised_resolution, tz) if row.promised_resolution else ""
    if step.name == "update_soon":
        return f":memo: Status update due: {item} — resolution was promised for {promised}. Update the customer."
    if step.name == "update_past":
        return (f":memo: Promised resolution passed: {item} was promised for {promised}. "
                "Post an update with a new date, or resolve it.")
    return f":zzz: No update on {item} for {team.reminders.stale_after}. Post a status update for the customer."


# ---- the background thread inside serve / socket ---------------------------------------------


class BackgroundScheduler:
    """A daemon thread: the scheduling jobs every `every` seconds, the deliverer every `deliver_every`."""

    def __init__(self, runtime: Runtime, sender: Sender | None, *, every: float = 60.0, deliver_every: float = 3.0):
        self.context = JobContext(runtime.sessions, runtime.config, runtime.clock,
                                  make_deliverer(runtime, sender) if sender is not None else None)
        self.every, self.deliver_every = every, deliver_every
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="inquirybot-scheduler", daemon=True)

    def start(self) -> BackgroundScheduler:
        self._thread.start()
        return self

    def wake(self) -> None:
        """Deliver soon (e.g. right after a handler queued a reply)."""
        self._wake.set()

    def stop(self, timeout: float = 8.0) -> None:
        """Finish the message in flight, release the other claims, and return (docs/delivery.md)."""
        self._stop.set()
        if self.context.deliverer is not None:
            self.context.deliverer.stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        next_pass = 0.0
        while not self._stop.is_set():
            if time.monotonic() >= next_pass:
                for name in SCHEDULING_JOBS:
                    run_job(name, self.context)
                next_pass = time.monotonic() + self.every
            if self.context.deliverer is not None and not self._stop.is_set():
                run_job("deliver", self.context)
            self._wake.wait(self.deliver_every)
            self._wake.clear()


def start_background_scheduler(runtime: Runtime, sender: Sender | None, **kwargs) -> BackgroundScheduler:
    """Called by `serve` and `socket`: reminders, digests and absence cover every minute, delivery
    every few seconds, in a daemon thread. Returns the handle (stop(), wake())."""
    return BackgroundScheduler(runtime, sender, **kwargs).start()
