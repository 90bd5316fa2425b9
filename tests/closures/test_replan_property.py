"""Property: whatever closures are declared (and cancelled), every pending deadline ends up exactly
where a fresh plan on a calendar built from scratch with those closures puts it; decided ones
(passed or answered) never move; every move keeps the old version."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.config.loading import config_from_dict
from bot.time.clock import FixedClock
from bot.time.closures import Closure as ClosureValue
from bot.time.closures import ClosureRequest, live_days
from storage.models import Closure, Deadline, Inquiry
from storage.session import session_factory
from tests.closures.helpers import CONFIG, et, make
from tests.conftest import _empty_all_tables

NOW = et(2026, 12, 9, 12)  # Wed noon
TODAY = NOW.date()
OPEN = config_from_dict(CONFIG).teams["licensing"].calendar  # both teams keep the same days

items = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6 * 24 * 4),  # received this many quarter-hours before now
        st.sampled_from(["UALICE", "UDAN"]),  # licensing (department) or support (ita)
        st.sampled_from(["email", "written", "phone"]),
        st.booleans(),  # needs research
        st.booleans(),  # answered already
    ),
    min_size=1,
    max_size=8,
)
closures = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=12),  # first day, days from today
        st.integers(min_value=0, max_value=6),  # length - 1
        st.sampled_from([None, "licensing", "support"]),
        st.sampled_from([(None, None), ("11:00", None), (None, "15:00"), ("10:30", "14:00")]),
    ),
    min_size=1,
    max_size=3,
    unique=True,  # an identical live closure is refused (docs/closures.md), not declared twice
).filter(
    # so is one whose every day is closed anyway (a weekend, Christmas): it would change nothing
    lambda drawn: all(
        any(OPEN.is_business_day(TODAY + timedelta(days=offset + i)) for i in range(length + 1))
        for offset, length, _, _ in drawn
    )
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=items, closures=closures, cancel=st.booleans())
def test_replanned_deadlines_equal_a_fresh_plan_on_the_new_calendar(engine, items, closures, cancel):
    _empty_all_tables(engine)
    sessions = session_factory(engine)
    clock = FixedClock(NOW)
    bot = make(sessions, clock)
    logged = []
    for quarters, actor, kind, research, answered in items:
        clock.set(NOW - timedelta(minutes=15 * quarters))
        view = bot.log(actor, kind=kind, needs_research=research)
        logged.append(view)
        if answered:
            bot.service.acknowledge(actor=actor, inquiry_id=view.id)
    clock.set(NOW)
    before = {v.id: v.first_response_due for v in logged}
    declared = []
    for offset, length, team, (opens, closes) in closures:
        first = TODAY + timedelta(days=offset)
        request = ClosureRequest(
            first, first + timedelta(days=length), team=team, opens=opens, closes=closes, reason="weather"
        )
        declared.append(bot.closures.declare(actor="UADMIN", request=request).closure.id)
    if cancel:
        bot.closures.cancel(actor="UADMIN", closure_id=declared[0])

    fresh = config_from_dict(CONFIG)  # a calendar built from scratch with the stored closures
    with sessions() as s:
        stored = [
            ClosureValue(
                *(
                    getattr(c, k)
                    for k in (
                        "id",
                        "team",
                        "first_day",
                        "last_day",
                        "opens",
                        "closes",
                        "reason",
                        "declared_by",
                        "declared_at",
                        "cancelled_by",
                        "cancelled_at",
                    )
                )
            )
            for c in s.scalars(select(Closure))
        ]
        rows = {r.id: r for r in s.scalars(select(Inquiry))}
        versions = {}
        for d in s.scalars(select(Deadline).where(Deadline.name == "first_response").order_by(Deadline.id)):
            versions.setdefault(d.inquiry_id, []).append(d.due_at)
    for name, team in fresh.teams.items():
        team.calendar.set_live_days(live_days(stored, name))

    for item_id, row in rows.items():
        assert versions[item_id][0] == before[item_id] and versions[item_id][-1] == row.first_response_due
        decided = row.first_response_at is not None or before[item_id] <= NOW
        if decided:
            assert versions[item_id] == [before[item_id]], "a decided deadline never moves"
            continue
        team = fresh.teams[row.team]
        plan = team.policy.plan(
            team.calendar, kind=row.kind, needs_research=row.needs_research, received_at=row.received_at
        )
        assert row.first_response_due == plan.first_response_due
        assert row.first_response_target == plan.target_due
