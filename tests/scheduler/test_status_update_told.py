"""The 'status update due' nudge is skipped when the customer was already told on its day
(docs/reminders.md, "Already told"): walks through real weeks under freezegun, with the real jobs
and the Web API stand-in. March 2026: Mon 9 to Fri 13, then Mon 16."""

from __future__ import annotations

from datetime import datetime

from freezegun import freeze_time

from tests.scheduler.conftest import ALICE, BOB, Office, et, team_config
from tests.scheduler.test_outcome_walks import FrozenClock


def acknowledged(office: Office, promise: datetime) -> int:
    """Logged Monday 9 March 09:30 for Bob, acknowledged at 10:00 promising `promise`."""
    office.clock.set(et(2026, 3, 9, 9, 30))
    item = office.log(ALICE, "Export license status", assignee=BOB)
    office.clock.set(et(2026, 3, 9, 10))
    office.service.acknowledge(actor=BOB, inquiry_id=item, expect=promise)
    return item


def update_steps(office: Office, item: int) -> list[tuple[str, datetime]]:
    return [(step, at) for step, _, at in office.steps(item) if step.startswith("update")]


def test_an_update_earlier_the_same_business_day_skips_the_nudge(sessions, stand_in):
    with freeze_time(et(2026, 3, 9, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = acknowledged(office, et(2026, 3, 13, 13))  # planned Thu 12 at 13:00
        office.walk(et(2026, 3, 12, 10))
        office.service.update(actor=BOB, inquiry_id=item, note="Still with the licensing office")
        office.walk(et(2026, 3, 16, 12))
        assert update_steps(office, item) == [("update_past", et(2026, 3, 13, 13))]  # no update_soon
        office.assert_business_hours_only()


def test_an_update_after_the_evening_before_counts_for_the_next_day(sessions, stand_in):
    with freeze_time(et(2026, 3, 9, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = acknowledged(office, et(2026, 3, 13, 17))  # planned Fri 13 at 09:00
        office.walk(et(2026, 3, 12, 18, 30))
        office.service.update(actor=BOB, inquiry_id=item, note="Emailed her tonight")
        office.walk(et(2026, 3, 13, 16))
        assert update_steps(office, item) == []


def test_an_update_during_an_outage_after_the_planned_instant_skips_the_late_nudge(sessions, stand_in):
    with freeze_time(et(2026, 3, 9, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = acknowledged(office, et(2026, 3, 13, 17))  # planned Fri 13 at 09:00
        office.walk(et(2026, 3, 13, 8))
        office.clock.set(et(2026, 3, 13, 10))  # the scheduler was down from 08:00 to 11:00
        office.service.update(actor=BOB, inquiry_id=item, note="Called her at ten")
        office.clock.set(et(2026, 3, 13, 11))
        office.walk(et(2026, 3, 13, 16))
        assert update_steps(office, item) == []


def test_an_update_on_an_earlier_day_leaves_the_nudge_and_the_passed_promise_nudge(sessions, stand_in):
    with freeze_time(et(2026, 3, 9, 9)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = acknowledged(office, et(2026, 3, 13, 17))
        office.walk(et(2026, 3, 12, 16))
        office.service.update(actor=BOB, inquiry_id=item, note="Thursday afternoon call")
        office.walk(et(2026, 3, 13, 16))
        office.service.update(actor=BOB, inquiry_id=item, note="Friday afternoon, no date yet")
        office.walk(et(2026, 3, 16, 12))
        assert update_steps(office, item) == [
            ("update_soon", et(2026, 3, 13, 9)),  # Thursday's update was the day before
            ("update_past", et(2026, 3, 16, 9)),  # told before the promise passed, not after
        ]
        office.assert_business_hours_only()
