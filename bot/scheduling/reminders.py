"""Which reminder and escalation steps of one inquiry are due at `now`, and when the next one is.

Pure: no database, no Slack, no clock. The scheduler (bot/scheduling/reminder_pass.py) calls `plan()` for each
inquiry whose next_action_at has come, enqueues one outbox message per due step and recipient,
and stores `plan.next_at` as the inquiry's new next_action_at.

The ladder (docs/reminders.md), all in the team's business time:

    open items (no first response yet)
      nudge_half    nudge_fraction of the first-response window (default 50%)     -> assignee
      nudge_target  the policy's 'target' point, when the plan has one             -> assignee
      nudge_before  nudge_before ahead of the deadline (default 1 business hour)   -> assignee
      overdue       at the deadline (level 1)                        -> assignee + supervisors
      escalate      level2_after past the deadline (level 2)   -> team escalation channel
                    complex items one step earlier: level 2 at the deadline, with level 1
    acknowledged items with a promised resolution
      update_soon   update_before_promised ahead of the promise (default 1 business day)
      update_past   at the promised resolution, still unresolved
    open and acknowledged items
      stale         stale_after since the last update (default 5 business days), and again
                    every stale_after while nothing moves

Within a family only the latest due step is sent (a tick that finds both the 50% nudge and the
1-hour nudge due — after a night, a snooze or an outage — sends the 1-hour one), and first-response
nudges stop once the item is overdue. Steps already sent are re-derived harmlessly: the scheduler's
outbox key (inquiry, step, anchor) is unique, so each is stored once.

Snooze postpones nudges (first-response, update and stale) to `snoozed_until`; the deadline and
the escalations tied to it never move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from bot.time.calendar import BusinessCalendar
from bot.time.durations import Duration
from storage.inquiry_status import LIVE

FIRST_RESPONSE_NUDGES = ("nudge_half", "nudge_target", "nudge_before")
UPDATE_NUDGES = ("update_soon", "update_past")
# How many repeated stale nudges to look back over at most (an item idle for years).
_STALE_LIMIT = 520


class ReminderState(Protocol):
    """What plan() reads: an InquiryRecord or an InquiryView both fit."""

    status: str
    complexity: str
    received_at: datetime
    logged_at: datetime
    first_response_due: datetime
    first_response_target: datetime | None
    first_response_at: datetime | None
    promised_resolution: datetime | None
    last_update_at: datetime | None
    snoozed_until: datetime | None


class ReminderSettings(Protocol):
    """bot.config.teams.Reminders."""

    # read-only, as on the frozen dataclass
    @property
    def nudge_fraction(self) -> float: ...
    @property
    def nudge_before(self) -> Duration: ...
    @property
    def level2_after(self) -> Duration: ...
    @property
    def update_before_promised(self) -> Duration: ...
    @property
    def stale_after(self) -> Duration: ...


@dataclass(frozen=True)
class Step:
    name: str  # nudge_half | nudge_target | nudge_before | overdue | escalate | update_soon | update_past | stale
    at: datetime  # when it falls due
    anchor: datetime  # the deadline it is about: part of the outbox key, so a new deadline re-arms it
    family: str  # first_response | escalation | update | stale
    level: int = 0  # escalation level reached when sent (1 overdue, 2 escalation channel)

    @property
    def snoozable(self) -> bool:
        return self.family != "escalation"

    @property
    def audience(self) -> str:
        """assignee | assignee+supervisors | escalation_channel"""
        if self.name == "overdue":
            return "assignee+supervisors"
        if self.name == "escalate":
            return "escalation_channel"
        return "assignee"


@dataclass(frozen=True)
class ReminderPlan:
    due: tuple[Step, ...]
    next_at: datetime | None  # None: nothing more will ever fall due (until the item changes)


def timeline(state: ReminderState, calendar: BusinessCalendar, settings: ReminderSettings) -> list[Step]:
    """Every step this inquiry will get, in the order they fall due (given no further change)."""
    steps: list[Step] = []
    if state.status not in LIVE:
        return steps
    if state.first_response_at is None:
        steps += _first_response_steps(state, calendar, settings)
    elif state.promised_resolution is not None:
        promised = state.promised_resolution
        soon = before(calendar, settings.update_before_promised, promised)
        steps.append(Step("update_soon", soon, promised, "update"))
        steps.append(Step("update_past", promised, promised, "update"))
    steps.sort(key=lambda s: s.at)
    return steps


def plan(
    state: ReminderState, calendar: BusinessCalendar, settings: ReminderSettings, now: datetime
) -> ReminderPlan:
    """The steps due at `now` (at most one per family) and when to look at this inquiry again."""
    if state.status not in LIVE:
        return ReminderPlan((), None)
    snoozed = state.snoozed_until if state.snoozed_until is not None and state.snoozed_until > now else None
    steps = timeline(state, calendar, settings)
    stale_due, stale_next = _stale(state, calendar, settings, now)

    latest: dict[str, Step] = {}
    future: list[datetime] = []
    for step in steps:
        if step.at > now:
            future.append(step.at if not (snoozed and step.snoozable) else max(step.at, snoozed))
        elif snoozed and step.snoozable:
            future.append(snoozed)  # postponed, not dropped: it goes when the snooze ends
        elif step.family == "escalation":
            latest[step.name] = step  # level 1 and level 2 are separate messages to separate people
        else:
            latest[step.family] = step
    if stale_due is not None:
        if snoozed:
            future.append(snoozed)
        else:
            latest["stale"] = stale_due
    if stale_next is not None:
        future.append(max(stale_next, snoozed) if snoozed else stale_next)
    if "overdue" in latest or "escalate" in latest:
        latest.pop("first_response", None)  # a nudge after the deadline has passed is just noise
    due = tuple(sorted(latest.values(), key=lambda s: (s.at, s.level)))
    return ReminderPlan(due, min(future) if future else None)


def reminder_key(inquiry_id: int, step: Step) -> str:
    """The outbox key of a step, less the recipient's role: the step and the deadline it is about."""
    return f"inq:{inquiry_id}:{step.name}:{step.anchor.astimezone(UTC).isoformat()}"


def step_of_key(key: str) -> tuple[str, datetime] | None:
    """(step name, deadline) from an outbox key `inq:<id>:<step>:<deadline>:<role>`; None for another key."""
    prefix, _, rest = key.partition(":")
    _, _, rest = rest.partition(":")
    name, _, rest = rest.partition(":")
    anchor, _, _role = rest.rpartition(":")
    if prefix != "inq" or not name or not anchor:
        return None
    try:
        return name, datetime.fromisoformat(anchor)
    except ValueError:
        return None


def already_told(
    name: str,
    anchor: datetime,
    told_at: datetime | None,
    calendar: BusinessCalendar,
    settings: ReminderSettings,
) -> bool:
    """Was the customer given a status (`told_at`: the last update or the acknowledgement) that makes
    the update step `name` about the promise `anchor` pointless (docs/reminders.md, "Already told")?

    update_soon ("Status update due"): a status given at or after the instant it was planned for,
    or earlier on that business day (after the previous day's close counts as that day, as a
    receipt after hours does). update_past: a status given at or after the promised instant."""
    if told_at is None or name not in UPDATE_NUDGES:
        return False
    if name == "update_past":
        return told_at >= anchor
    planned = before(calendar, settings.update_before_promised, anchor)
    midnight = datetime.combine(planned.astimezone(calendar.tz).date(), time(0), tzinfo=calendar.tz)
    return told_at >= planned or calendar.next_opening(told_at) >= calendar.next_opening(midnight)


def before(calendar: BusinessCalendar, duration: Duration, deadline: datetime) -> datetime:
    """The instant `duration` ahead of `deadline`, counted backwards in the same terms.

    Business hours count back exactly. A business day counts as one working day's length (8 hours
    on 09:00-17:00), so '1 business day before Fri 17:00' is Fri 09:00, the same business instant
    as Thu 17:00. Calendar days count back on the wall clock.
    """
    if duration.unit == "calendar_days":
        return deadline - timedelta(days=duration.amount)
    if duration.unit == "business_days":
        return calendar.add_business_hours(deadline, -duration.amount * working_day_hours(calendar))
    return calendar.add_business_hours(deadline, -duration.amount)


def after(calendar: BusinessCalendar, duration: Duration, start: datetime) -> datetime:
    """The instant `duration` after `start`, in the same terms as before(): business days count as
    working days' length of business time, so '1 business day after Tue 17:00' is Wed 17:00 and
    '5 business days after Mon 10:00' is the next Mon 10:00 (not close of business)."""
    if duration.unit == "calendar_days":
        return start + timedelta(days=duration.amount)
    if duration.unit == "business_days":
        return calendar.add_business_hours(start, duration.amount * working_day_hours(calendar))
    return calendar.add_business_hours(start, duration.amount)


def working_day_hours(calendar: BusinessCalendar) -> float:
    """A business day's length on this calendar: its longest working day (8 h for 09:00-17:00)."""
    return max((day[1] - day[0]) / 60 for day in calendar.week if day)


def clock_start(calendar: BusinessCalendar, received_at: datetime) -> datetime:
    """Receipt outside business time starts the clock at the next opening."""
    return calendar.next_opening(received_at)


# ---- the families -----------------------------------------------------------------------------


def _first_response_steps(
    state: ReminderState, calendar: BusinessCalendar, settings: ReminderSettings
) -> list[Step]:
    due = state.first_response_due
    start = clock_start(calendar, state.received_at)
    window = calendar.business_hours_between(start, due)
    steps: list[Step] = []
    target = state.first_response_target
    if target is not None and start < target < due:
        steps.append(Step("nudge_target", target, due, "first_response"))
    if window > 0:
        half = calendar.add_business_hours(start, window * settings.nudge_fraction)
        last = before(calendar, settings.nudge_before, due)
        has_last = start < last < due
        # The policy's target is its own first nudge (ita research: 24 of 48 hours, which is also
        # 50%); in a window shorter than twice nudge_before the last nudge says more than the 50% one.
        if (target is None or half != target) and not (has_last and last <= half):
            steps.append(Step("nudge_half", half, due, "first_response"))
        if has_last:
            steps.append(Step("nudge_before", last, due, "first_response"))
    steps.append(Step("overdue", due, due, "escalation", level=1))
    if state.complexity == "complex":
        # "One step earlier": complex items skip the wait between level 1 and level 2.
        steps.append(Step("escalate", due, due, "escalation", level=2))
    else:
        steps.append(
            Step("escalate", after(calendar, settings.level2_after, due), due, "escalation", level=2)
        )
    return steps


def last_activity(state: ReminderState) -> datetime:
    """The last time anything was said to or about the customer (or the item was logged)."""
    moments = [m for m in (state.last_update_at, state.first_response_at, state.logged_at) if m is not None]
    return max(moments)


def _stale(
    state: ReminderState, calendar: BusinessCalendar, settings: ReminderSettings, now: datetime
) -> tuple[Step | None, datetime | None]:
    """The latest stale nudge due at `now` (if any) and when the next one falls."""
    since = last_activity(state)
    at = after(calendar, settings.stale_after, since)
    due: Step | None = None
    for _ in range(_STALE_LIMIT):
        if at > now:
            return due, at
        due = Step("stale", at, at, "stale")
        following = after(calendar, settings.stale_after, at)
        if following <= at:  # a zero duration would loop forever; one nudge is enough
            return due, None
        at = following
    return due, at
