"""A nudge delivered late says the business time left when it is sent, not when it was planned:
walks through real weeks under freezegun, with the real jobs and the Web API stand-in
(docs/reminders.md). Thu 12 March 2026 13:00, needs research: due Mon 16 at 17:00, 20 business
hours; the 50% nudge is planned for Fri 13 at 15:00 (10 business hours left then, 8 on Monday 09:00)."""

from __future__ import annotations

from freezegun import freeze_time
from sqlalchemy import select

from bot.scheduling.jobs import SCHEDULING_JOBS, run_job
from storage.models import OutboxMessage
from tests.scheduler.conftest import ALICE, BOB, Office, et, team_config
from tests.scheduler.test_outcome_walks import FrozenClock


def logged(office: Office) -> int:
    office.clock.set(et(2026, 3, 12, 13))
    return office.log(ALICE, "Export license status", assignee=BOB, needs_research=True)


def half_nudges(office: Office, item: int) -> list:
    return [s for s in office.about(item) if s.key.split(":")[2] == "nudge_half"]


def test_on_time_the_nudge_says_the_time_left_then(sessions, stand_in):
    with freeze_time(et(2026, 3, 12, 13)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = logged(office)
        office.walk(et(2026, 3, 13, 16))
        [nudge] = half_nudges(office, item)
        assert nudge.at == et(2026, 3, 13, 15)
        assert "(10 business hours left)" in nudge.text


def test_after_a_weekend_outage_of_the_scheduler_it_says_the_time_left_on_monday(sessions, stand_in):
    with freeze_time(et(2026, 3, 12, 13)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = logged(office)
        office.walk(et(2026, 3, 13, 14))
        office.clock.set(et(2026, 3, 16, 9))  # down from Friday 14:00 to Monday's opening
        office.walk(et(2026, 3, 16, 12))
        [nudge] = half_nudges(office, item)
        assert nudge.at == et(2026, 3, 16, 9)
        assert "(8 business hours left)" in nudge.text and "10 business hours" not in nudge.text
        assert "8 business hours left" in str(nudge.blocks)
        office.assert_business_hours_only()


def test_queued_on_friday_and_delivered_on_monday_it_says_the_time_left_on_monday(sessions, stand_in):
    with freeze_time(et(2026, 3, 12, 13)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = logged(office)
        office.walk(et(2026, 3, 13, 14))
        office.clock.set(et(2026, 3, 13, 15))
        for name in SCHEDULING_JOBS:  # queued on time; the deliverer was down until Monday
            assert run_job(name, office.ctx).ok
        office.clock.set(et(2026, 3, 16, 9))
        office.walk(et(2026, 3, 16, 12))
        [nudge] = half_nudges(office, item)
        assert nudge.at == et(2026, 3, 16, 9)
        assert "(8 business hours left)" in nudge.text and "10 business hours" not in nudge.text


def stored(office: Office, key: str) -> OutboxMessage:
    with office.sessions() as s:
        row = s.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
        assert row is not None
        s.expunge(row)
        return row


def test_the_record_of_a_late_nudge_says_what_slack_got_and_keeps_what_was_queued(sessions, stand_in):
    with freeze_time(et(2026, 3, 12, 13)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = logged(office)
        office.walk(et(2026, 3, 13, 14))
        office.clock.set(et(2026, 3, 13, 15))
        for name in SCHEDULING_JOBS:  # queued on Friday, delivered on Monday
            assert run_job(name, office.ctx).ok
        office.clock.set(et(2026, 3, 16, 9))
        office.walk(et(2026, 3, 16, 12))
        [nudge] = half_nudges(office, item)
        row = stored(office, nudge.key)
        assert row.status == "sent" and row.slack_ts
        assert row.sent_text == nudge.text  # what Slack got, word for word
        assert "(8 business hours left)" in row.sent_text
        assert "(10 business hours left)" in row.text  # as queued on Friday: kept


def test_the_record_of_a_nudge_sent_as_queued_has_no_second_text(sessions, stand_in):
    with freeze_time(et(2026, 3, 12, 13)) as frozen:
        office = Office(sessions, team_config(), FrozenClock(frozen), stand_in)
        item = logged(office)
        office.walk(et(2026, 3, 13, 16))
        [nudge] = half_nudges(office, item)
        row = stored(office, nudge.key)
        assert row.status == "sent" and row.text == nudge.text and row.sent_text is None
