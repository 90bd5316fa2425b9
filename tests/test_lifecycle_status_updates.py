"""Status-update compliance is a rate of its own outcomes (docs/outcomes.md): a promise's status-update
deadline is decided when the customer is told (on time) or at the promised date (missed), and
counts in the week of that instant — not as a share of the resolution outcomes, which may fall in
another week. Walked over two weeks with the scheduler deciding what falls."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from test_lifecycle_helpers import NOW, clock, draft, service  # noqa: F401

from bot.lifecycle.outcome_job import decide_fallen
from bot.reports.build import build_report
from bot.reports.periods import Period
from bot.time.instants import zone

ET = zone("America/New_York")


def week(service, monday: date):
    with service.sessions() as s:
        return build_report(
            s,
            service.config,
            kind="person",
            subject="UBOB",
            period=Period(monday, monday + timedelta(days=6), f"week of {monday}"),
            now=service.clock.now(),
            detail=False,
        ).totals


def test_an_update_this_week_for_a_promise_next_week_counts_this_week(service, clock):
    item = service.log(actor="UALICE", draft=draft(assignee="UBOB"))  # Tue 24 Nov 10:00
    friday = datetime(2026, 12, 4, 17, tzinfo=ET)  # a promise for Friday of next week
    service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=friday)
    clock.advance(timedelta(days=1))  # Wed 25 Nov: the customer is told, on time
    service.update(actor="UBOB", inquiry_id=item.id, note="waiting on the licensing office")

    this_week = week(service, date(2026, 11, 23))
    assert (this_week.updates, this_week.updates_ok, this_week.status_update_compliance) == (1, 1, 1.0)
    assert this_week.promises == 0  # the resolution promise is still ahead

    clock.set(datetime(2026, 12, 7, 9, tzinfo=ET))  # Monday after the promise: unresolved
    decide_fallen(service.sessions, service.config, clock)
    next_week = week(service, date(2026, 11, 30))
    assert (next_week.promises, next_week.promises_kept) == (1, 0)  # the resolution was missed
    assert (next_week.updates, next_week.status_update_compliance) == (0, None)  # told in time, last week
    again = week(service, date(2026, 11, 23))  # the finished week's outcomes read the same
    assert (again.updates, again.updates_ok, again.promises) == (1, 1, 0)


def test_a_promise_with_no_update_by_its_date_is_a_missed_status_update_that_week(service, clock):
    item = service.log(actor="UALICE", draft=draft(assignee="UBOB"))
    service.acknowledge(actor="UBOB", inquiry_id=item.id, expect=datetime(2026, 12, 1, 17, tzinfo=ET))
    clock.set(datetime(2026, 12, 2, 9, tzinfo=ET))
    assert decide_fallen(service.sessions, service.config, clock) == 2  # resolution and status update
    totals = week(service, date(2026, 11, 30))
    assert (totals.updates, totals.updates_ok, totals.status_update_compliance) == (1, 0, 0.0)
    assert week(service, date(2026, 11, 23)).updates == 0
    assert NOW < clock.now()
