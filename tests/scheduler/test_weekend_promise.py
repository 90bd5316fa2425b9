"""A promised resolution date on a weekend or a holiday (the reply warns but keeps it: docs/reminders.md,
"A promise on a closed day"): walks through real weeks under freezegun with the real jobs and the
Web API stand-in. Dec 2026: Mon 30 Nov to Fri 4 Dec, the promise Sun 6 Dec 17:00, then Mon 7 Dec."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from storage.models import Event, OutboxMessage, Outcome
from tests.scheduler.conftest import ALICE, BOB, Office, et, team_config
from tests.scheduler.test_outcome_walks import FrozenClock

SUNDAY = et(2026, 12, 6, 17)


def acknowledged(office: Office, promise: datetime) -> int:
    """Logged Monday 30 Nov 09:30 for Bob, acknowledged at 10:00 promising `promise`."""
    office.clock.set(et(2026, 11, 30, 9, 30))
    item = office.log(ALICE, "Export license status", assignee=BOB)
    office.clock.set(et(2026, 11, 30, 10))
    office.service.acknowledge(actor=BOB, inquiry_id=item, expect=promise)
    return item


def update_steps(office: Office, item: int) -> list[tuple[str, str, datetime]]:
    return [(step, who, at) for step, who, at in office.steps(item) if step.startswith("update")]


def outcomes(office: Office, item: int) -> dict[str, tuple[str, str, datetime, datetime]]:
    with office.sessions() as s:
        rows = s.scalars(select(Outcome).where(Outcome.inquiry_id == item, Outcome.kind != "first_response"))
        return {f"{o.kind}:{o.fact}": (o.holder, o.outcome, o.deadline, o.decided_at) for o in rows}


def reminded(office: Office, item: int) -> list[str]:
    with office.sessions() as s:
        events = s.scalars(
            select(Event).where(Event.inquiry_id == item, Event.type == "reminded").order_by(Event.id)
        )
        return [e.payload["step"] for e in events if e.payload["step"].startswith("update")]


@pytest.mark.parametrize("gather", [0, 30])
def test_a_sunday_promise_is_nudged_on_friday_and_monday_at_nine_once_each(sessions, stand_in, gather):
    with freeze_time(et(2026, 11, 30, 9)) as frozen:
        config = team_config(reminders={"gather_minutes": gather})
        office = Office(sessions, config, FrozenClock(frozen), stand_in)
        item = acknowledged(office, SUNDAY)
        office.walk(et(2026, 12, 8, 17), step=timedelta(minutes=30))
        assert update_steps(office, item) == [
            # 1 business day before Sunday 17:00 is 1 before Friday's close: Friday's opening
            ("update_soon", BOB, et(2026, 12, 4, 9)),
            # the promise passes on Sunday; the notice waits for Monday's opening
            ("update_past", BOB, et(2026, 12, 7, 9)),
        ]
        assert reminded(office, item) == ["update_soon", "update_past"]
        # Both outcomes are decided at the promise itself, on Sunday, not at Monday's opening.
        assert outcomes(office, item) == {
            "resolution:decided": (BOB, "missed", SUNDAY, SUNDAY),
            "status_update:decided": (BOB, "missed", SUNDAY, SUNDAY),
        }
        office.assert_business_hours_only()


def test_an_update_on_friday_keeps_the_customer_informed_and_monday_still_asks_for_a_new_date(
    sessions, stand_in
):
    with freeze_time(et(2026, 11, 30, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = acknowledged(office, SUNDAY)
        office.walk(et(2026, 12, 4, 10))
        office.service.update(actor=BOB, inquiry_id=item, note="Still with the licensing office")
        office.walk(et(2026, 12, 8, 12))
        assert update_steps(office, item) == [
            ("update_soon", BOB, et(2026, 12, 4, 9)),
            ("update_past", BOB, et(2026, 12, 7, 9)),  # told before the promise passed, not after
        ]
        assert outcomes(office, item) == {
            "status_update:decided": (BOB, "on_time", SUNDAY, et(2026, 12, 4, 10)),
            "resolution:decided": (BOB, "missed", SUNDAY, SUNDAY),
        }


def test_an_update_before_mondays_opening_drops_the_passed_promise_notice(sessions, stand_in):
    with freeze_time(et(2026, 11, 30, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = acknowledged(office, SUNDAY)
        office.walk(et(2026, 12, 7, 8, 30))  # the notice was queued on Sunday at 17:00 for 09:00
        office.service.update(actor=BOB, inquiry_id=item, note="New date: Wednesday")
        office.walk(et(2026, 12, 8, 12))
        assert update_steps(office, item) == [("update_soon", BOB, et(2026, 12, 4, 9))]
        with office.sessions() as s:
            [notice] = s.scalars(
                select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"inq:{item}:update_past:%"))
            )
        assert notice.status == "dropped"
        assert outcomes(office, item) == {
            "resolution:decided": (BOB, "missed", SUNDAY, SUNDAY),
            "status_update:decided": (BOB, "missed", SUNDAY, SUNDAY),
            "status_update:late": (BOB, "late", SUNDAY, SUNDAY),  # answered Monday: late, still Sunday's
        }


def test_resolved_on_saturday_before_a_sunday_promise_no_notice_and_on_time(sessions, stand_in):
    with freeze_time(et(2026, 11, 30, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = acknowledged(office, SUNDAY)
        office.walk(et(2026, 12, 5, 11))
        office.service.resolve(actor=BOB, inquiry_id=item)
        office.walk(et(2026, 12, 8, 12))
        assert update_steps(office, item) == [("update_soon", BOB, et(2026, 12, 4, 9))]
        assert outcomes(office, item) == {
            "resolution:decided": (BOB, "on_time", SUNDAY, et(2026, 12, 5, 11)),
            "status_update:decided": (BOB, "on_time", SUNDAY, et(2026, 12, 5, 11)),
        }


@pytest.mark.parametrize(
    "promise, soon, past",
    [
        # Thanksgiving Thu 26 Nov at 17:00: the day before it, and Friday's opening
        (et(2026, 11, 26, 17), et(2026, 11, 25, 9), et(2026, 11, 27, 9)),
        # Saturday 5 Dec at 10:00: Friday's opening, and Monday's
        (et(2026, 12, 5, 10), et(2026, 12, 4, 9), et(2026, 12, 7, 9)),
        # Monday 7 Dec at 09:00, the opening: one business day back is Friday's opening
        (et(2026, 12, 7, 9), et(2026, 12, 4, 9), et(2026, 12, 7, 9)),
    ],
)
def test_promises_on_closed_days_and_at_the_opening(sessions, stand_in, promise, soon, past):
    start = et(2026, 11, 23, 9) if promise.month == 11 else et(2026, 11, 30, 9)
    with freeze_time(start) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        office.clock.set(start.replace(minute=30))
        item = office.log(ALICE, "Export license status", assignee=BOB)
        office.clock.set(start.replace(hour=10))
        office.service.acknowledge(actor=BOB, inquiry_id=item, expect=promise)
        office.walk(et(2026, 12, 8, 17))
        assert update_steps(office, item) == [("update_soon", BOB, soon), ("update_past", BOB, past)]
        assert outcomes(office, item) == {
            "resolution:decided": (BOB, "missed", promise, promise),
            "status_update:decided": (BOB, "missed", promise, promise),
        }
        office.assert_business_hours_only()
