"""What the changes to one inquiry share: the transaction each runs in (the item locked, deadlines
fallen since its last change decided first, then the change), the refusals its state gives, and
the first response and promised resolution date that acknowledging, updating and resolving record."""

from __future__ import annotations

from collections.abc import Callable, MutableSequence
from datetime import datetime

from bot.config.teams import Config, Team
from bot.errors import InputError
from bot.lifecycle import inputs
from bot.lifecycle import outcomes as decide
from bot.lifecycle.access import require_act
from bot.lifecycle.cautions import Caution, on_closed_day
from bot.lifecycle.records import hours_of, load, view_of
from bot.lifecycle.replan import sync_calendars
from bot.lifecycle.views import InquiryView
from bot.time.clock import Clock
from bot.time.instant_error import InstantError
from storage.inquiry_status import DONE, LIVE, Status
from storage.queries.inquiries import InquiryRecord, add_deadline, save_record
from storage.session import Session, SessionFactory, transaction

Mutation = Callable[[Session, InquiryRecord, datetime], None]

ANSWERS = frozenset({"acknowledge", "update", "resolve"})  # changes that can meet a deadline


def apply_change(
    sessions: SessionFactory,
    config: Config,
    clock: Clock,
    actor: str,
    inquiry_id: int | str,
    doing: str,
    mutate: Mutation,
) -> InquiryView:
    actor = inputs.user(actor, "actor")
    with transaction(sessions) as s:
        row = load(s, inquiry_id, for_update=True)
        # The change's instant is read once the item is ours: whatever held it first (the
        # scheduler storing a miss, another person's change) committed before this instant, so
        # an answer that waited for the lock is never "on time" for a deadline already missed.
        now = clock.now()
        sync_calendars(s, config)
        require_act(s, config, actor, row, now, doing)
        # Deadlines fallen since the last change are decided before anything changes
        # (bot/lifecycle/outcomes.py): for the holder the item had then. At the deadline
        # instant itself an answer is on time; anything else comes after the deadline.
        decide.catch_up(s, row, now, hours_of(config, row), actor=actor, through=doing not in ANSWERS)
        mutate(s, row, now)
        # The scheduler re-evaluates this item on its next pass and stores the real next time.
        row.next_action_at = None if row.status in DONE else now
        save_record(session=s, record=row)
        return view_of(config, row, now)


def require_live(row: InquiryRecord, doing: str) -> None:
    if row.status not in LIVE:
        how = f"closed as {row.close_reason}" if row.status == Status.CLOSED else row.status
        raise InputError(f"{row.ref} is {how}; there is nothing to {doing}")


def already(
    row: InquiryRecord, team: Team, done: str, at: datetime | None, rest: str, example: str | None = None
) -> InputError:
    """'INQ-1 was already resolved on <when>…', the instant in the reader's zone (docs/record.md)."""
    if at is None:
        return InputError(f"{row.ref} was already {done} at an unknown time{rest}", example)
    return InstantError(
        f"{row.ref} was already {done} on {{at}}{rest}", {"at": at}, tz=team.calendar.tz.key, example=example
    )


def first_response(row: InquiryRecord, team: Team, now: datetime) -> None:
    """Record the first response; accountability is the assignee's at this moment."""
    row.status = Status.ACKNOWLEDGED
    row.first_response_at = now
    row.first_response_by = row.assignee
    row.first_response_business_hours = round(team.calendar.business_hours_between(row.received_at, now), 4)
    row.last_update_at = now


def expected(
    row: InquiryRecord, team: Team, expect: datetime | None, found: MutableSequence[Caution], now: datetime
) -> datetime | None:
    """The resolution date an acknowledgement or update promises: never before receipt, never
    already past (its outcome would be decided in a period that may have ended: a finished
    week must not change); on a closed day it is kept with a caution (docs/record.md)."""
    if expect is None:
        return None
    zone = team.calendar.tz.key
    promise = inputs.not_before_receipt(expect, "expect", row.received_at, tz=zone)
    promise = inputs.not_past(promise, "expect", now, tz=zone)
    found.extend(on_closed_day(team.calendar, "expect", promise))
    return promise


def record_promise(s: Session, row: InquiryRecord, promise: datetime, actor: str, now: datetime) -> None:
    """The resolution date promised to the customer: a deadline with its rule, and its outcomes
    pending (bot/lifecycle/outcomes.py)."""
    row.promised_resolution = promise
    add_deadline(
        record=row,
        name="promised_resolution",
        due_at=promise,
        rule=f"resolution date promised to the customer by <@{actor}>",
        facts={"promised_at": now.isoformat(), "promised_by": actor},
        set_at=now,
        set_by=actor,
    )
    decide.arm_promise(s, row, promise)
