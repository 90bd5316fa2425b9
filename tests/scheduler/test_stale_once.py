"""'No update for 5 business days' reminds at most once per item per 5 business days
(docs/messages.md), whatever else happens to the item meanwhile."""

from __future__ import annotations

from datetime import timedelta

from tests.scheduler.conftest import ALICE, BOB, CAROL, SUE, et, team_config


def test_stale_reminds_at_most_once_per_five_business_days(make_office):
    for config in (team_config(), team_config(reminders={"gather_minutes": 30})):
        office = make_office(et(2026, 3, 9, 9, 0), config)
        inq = office.log(ALICE, "Quiet one", assignee=BOB)
        office.service.acknowledge(actor=BOB, inquiry_id=inq)
        office.walk(et(2026, 3, 12, 11, 0), step=timedelta(minutes=30))
        office.service.snooze(actor=BOB, inquiry_id=inq, duration=timedelta(hours=3))
        office.service.reassign(actor=SUE, inquiry_id=inq, to=CAROL)  # a supervisor (docs/record.md)
        office.walk(et(2026, 4, 3, 17, 0), step=timedelta(minutes=30))
        stale = sorted(s.at for s in office.about(inq) if s.key.split(":")[2] == "stale")
        assert len(stale) >= 3, stale  # it does keep reminding while nothing moves
        texts = {s.text for s in office.about(inq) if s.key.split(":")[2] == "stale"}
        assert texts == {  # acknowledged: an update is what the customer is owed
            f":zzz: No update on *INQ-{inq}* “Quiet one” for 5 business days. Post a status update for the customer."
        }
        calendar = config.team("help").calendar
        gaps = [calendar.business_hours_between(a, b) for a, b in zip(stale, stale[1:])]
        assert all(gap >= 5 * 8 - 0.01 for gap in gaps), (stale, gaps)
