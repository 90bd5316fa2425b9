"""Outcome tallies (docs/outcomes.md "Reading facts fast") stay the sum of the facts.

Random facts — decided at any minute of seventy days around the autumn DST change, on and off UTC
midnight and month edges, of every kind and outcome, some void (weight -1) or a late answer to a
voided miss (weight 0) — are stored through insert_fact in transactions of which some roll back.
Then:
- every day and month tally row equals the sum of its facts, as a rebuild from the facts finds it;
- for any period, whole months, whole days or neither, a report's outcome counts read through the
  tallies equal the same sums read from the facts alone, for everyone, a team and a person.
And the migrations that add the tallies fill them from the facts stored before them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import sessionmaker

from storage.migrate import upgrade
from storage.models import ActivityTally, Event, Inquiry, Outcome, OutcomeMonthTally, OutcomeTally
from storage.queries import outcome_counts as counts
from storage.queries import outcomes as q
from storage.queries import tallies, tally_reads, tally_rebuild
from storage.session import make_engine
from storage.tables import table_of
from tests.conftest import _empty_all_tables

# Seventy days over 1 Nov 2026, when New York leaves DST: November and December are whole months
# (read from the month tallies), around them whole days (the day tallies) and part-days (the facts).
T0 = datetime(2026, 10, 28, 0, tzinfo=UTC)
DAYS = 70
MINUTES = DAYS * 24 * 60
TEAMS, HOLDERS = ("north", "south"), ("U1", "U2", "U3")

# The first minutes of November, December and January, and the last of the months before.
MONTH_EDGES = [
    (datetime(2026, m, 1, tzinfo=UTC) - T0) // timedelta(minutes=1) + shift
    for m in (11, 12)
    for shift in (-1, 0, 1)
] + [MINUTES - 1]
minute = st.one_of(  # a fair share exactly on a UTC midnight, or at a month's edge
    st.integers(min_value=0, max_value=MINUTES - 1),
    st.integers(0, DAYS - 1).map(lambda d: d * 24 * 60),
    st.sampled_from(MONTH_EDGES),
)
fact = st.tuples(
    st.sampled_from(TEAMS),
    st.sampled_from(HOLDERS),
    st.sampled_from((q.FIRST_RESPONSE, q.RESOLUTION, q.STATUS_UPDATE)),
    st.sampled_from(("on_time", "missed", "late")),
    st.sampled_from((1, 1, 1, -1, 0)),
    minute,
)
transactions = st.lists(st.tuples(st.lists(fact, min_size=1, max_size=6), st.booleans()), max_size=8)
NOVEMBER = (datetime(2026, 11, 1, tzinfo=UTC) - T0) // timedelta(minutes=1)
DECEMBER = (datetime(2026, 12, 1, tzinfo=UTC) - T0) // timedelta(minutes=1)
window = st.one_of(
    st.tuples(minute, st.integers(min_value=0, max_value=MINUTES)),
    # A period holding a whole month or two: from before November to after its end.
    st.tuples(st.integers(0, NOVEMBER), st.integers(DECEMBER, MINUTES)).map(lambda w: (w[0], w[1] - w[0])),
)


def _store(sessions, batches) -> None:
    serial = 0
    with sessions.begin() as s:
        s.add(Inquiry(id=1, **_inquiry()))
    for facts, rolled_back in batches:
        s = sessions()
        s.begin()
        for team, holder, kind, outcome, weight, at in facts:
            serial += 1
            q.insert_fact(s, _fact(serial, team, holder, kind, outcome, weight, at))
        if rolled_back:
            s.rollback()
        else:
            s.commit()
        s.close()


def _fact(serial: int, team: str, holder: str, kind: str, outcome: str, weight: int, at: int) -> dict:
    decided = T0 + timedelta(minutes=at)
    return dict(
        key=f"1:{kind}:{serial}",
        inquiry_id=1,
        kind=kind,
        fact="decided",
        deadline=decided,
        decided_at=decided,
        holder=holder,
        team=team,
        outcome=outcome,
        weight=weight,
        business_hours=None,
        corrects=None,
        recorded_at=decided,
        recorded_by="test",
    )


def _inquiry() -> dict:
    return dict(
        team="north",
        kind="email",
        subject="Tallied",
        received_at=T0,
        logged_at=T0,
        logged_by="U1",
        assignee="U1",
        complexity="standard",
        needs_research=False,
        status="open",
        policy="department",
        rule="test",
        first_response_due=T0,
    )


def _rows(sessions) -> dict:
    """The day tallies' rows, and the month tallies' (kept in the same commits)."""
    with sessions() as s:
        days = {
            ("day", r.team, r.holder, r.day): tuple(getattr(r, c) for c in tallies.OUTCOME_COLUMNS)
            for r in s.scalars(select(OutcomeTally))
        }
        months = {
            ("month", r.team, r.holder, r.month): tuple(getattr(r, c) for c in tallies.OUTCOME_COLUMNS)
            for r in s.scalars(select(OutcomeMonthTally))
        }
    return {**days, **months}


def _nonzero(rows: counts.CountRows) -> dict:
    return {
        (team, holder): {k: v for k, v in values.items() if v}
        for team, holder, values in rows
        if any(values.values())
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=transactions, windows=st.lists(window, min_size=1, max_size=4))
def test_tallies_are_the_sum_of_the_facts(engine: Engine, sessions, batches, windows) -> None:
    _empty_all_tables(engine)
    _store(sessions, batches)
    kept = _rows(sessions)
    with engine.begin() as conn:
        tally_rebuild.rebuild_outcomes(conn)
    assert {k: v for k, v in kept.items() if any(v)} == {k: v for k, v in _rows(sessions).items() if any(v)}
    with sessions() as s:
        for at, length in windows:
            start = T0 + timedelta(minutes=at)
            end = start + timedelta(minutes=length)
            for teams, users in ((None, None), (("north",), None), (TEAMS, ("U2",))):
                read = counts.outcome_counts(session=s, teams=teams, users=users, start=start, end=end)
                facts = counts.counts_from_facts(s, teams, users, start, end)
                assert _nonzero(read) == _nonzero(facts), (start, end, teams, users)


def test_a_period_of_whole_days_reads_the_tallies_not_the_facts(sessions) -> None:
    """The tallies are what is read: a tally row changed by hand shows in the report's counts
    (so the fast path is really taken). A first day mostly inside the period is its tally less
    the facts of its hours before the start; one mostly outside is the facts of its hours inside."""
    day2 = [60 * (24 + hour) for hour in (3, 6, 20)]  # day 2 at 03:00, 06:00 and 20:00
    _store(sessions, [([("north", "U1", q.FIRST_RESPONSE, "on_time", 1, at)], False) for at in day2])
    with sessions.begin() as s:
        s.execute(text("UPDATE outcome_tallies SET first_response_on_time = 7"))
    end = T0 + timedelta(days=3)
    with sessions() as s:
        whole = counts.outcome_counts(session=s, teams=None, users=None, start=T0, end=end)
        mostly_in = counts.outcome_counts(
            session=s, teams=None, users=None, start=T0 + timedelta(hours=29), end=end
        )
        mostly_out = counts.outcome_counts(
            session=s, teams=None, users=None, start=T0 + timedelta(hours=37), end=end
        )
    assert _nonzero(whole) == {("north", "U1"): {"deadlines": 7, "on_time": 7}}
    # from 05:00 of day 2: its tally less the fact of 03:00
    assert _nonzero(mostly_in) == {("north", "U1"): {"deadlines": 6, "on_time": 6}}
    # from 13:00 of day 2: the fact of 20:00 only
    assert _nonzero(mostly_out) == {("north", "U1"): {"deadlines": 1, "on_time": 1}}
    assert tally_reads.split(T0 + timedelta(hours=29), end).less_edges == (
        (T0 + timedelta(days=1), T0 + timedelta(hours=29)),
    )


def test_a_period_of_whole_months_reads_the_month_tallies(sessions) -> None:
    """A whole month is read from its month tally (changed by hand here: so that path is really
    taken), the days around it from the day tallies, the part-days from the facts."""
    november = datetime(2026, 11, 1, tzinfo=UTC)
    in_november = (november - T0) // timedelta(minutes=1) + 60 * 24 * 3  # 4 Nov, 00:00
    before = 60 * 24 * 2 + 7 * 60  # 30 Oct, 07:00: a whole day of the period, before November
    _store(
        sessions,
        [
            ([("north", "U1", q.FIRST_RESPONSE, "on_time", 1, in_november)], False),
            ([("north", "U1", q.FIRST_RESPONSE, "missed", 1, before)], False),
        ],
    )
    with sessions.begin() as s:
        s.execute(
            text("UPDATE outcome_month_tallies SET first_response_on_time = 9 WHERE month = '2026-11-01'")
        )
    start = T0 + timedelta(hours=5)  # a part-day, then whole days, then November, then whole days
    with sessions() as s:
        read = counts.outcome_counts(
            session=s, teams=None, users=None, start=start, end=datetime(2026, 12, 3, 5, tzinfo=UTC)
        )
        facts = counts.counts_from_facts(s, None, None, start, datetime(2026, 12, 3, 5, tzinfo=UTC))
    assert _nonzero(read) == {("north", "U1"): {"deadlines": 10, "on_time": 9, "missed": 1}}
    assert _nonzero(facts) == {("north", "U1"): {"deadlines": 2, "on_time": 1, "missed": 1}}


def test_a_month_mostly_inside_the_period_is_its_month_tally_less_the_days_outside(sessions) -> None:
    """A period from 3 November, 05:00 (midnight in New York) to 27 November: November's month
    tally (changed by hand: that path is really taken) less its day tallies of 1–2 and 27–30
    November and the facts of 3 November before 05:00. A fact on 2 November is outside, one on 3
    November at 04:00 too, one at 06:00 inside."""
    november = datetime(2026, 11, 1, tzinfo=UTC)
    at = lambda day, hour: (november + timedelta(days=day - 1, hours=hour) - T0) // timedelta(minutes=1)  # noqa: E731
    facts = [(2, 12, "missed"), (3, 4, "missed"), (3, 6, "on_time"), (15, 12, "on_time"), (28, 12, "missed")]
    _store(sessions, [([("north", "U1", q.FIRST_RESPONSE, o, 1, at(d, h))], False) for d, h, o in facts])
    start, end = november + timedelta(days=2, hours=5), november + timedelta(days=26)
    cut = tally_reads.split(start, end)
    assert (cut.months, cut.days) == ((date(2026, 11, 1), date(2026, 12, 1)), ())
    assert cut.less == ((date(2026, 11, 1), date(2026, 11, 3)), (date(2026, 11, 27), date(2026, 12, 1)))
    assert (cut.edges, cut.less_edges) == ((), ((november + timedelta(days=2), start),))
    with sessions() as s:
        read = counts.outcome_counts(session=s, teams=None, users=None, start=start, end=end)
        facts_read = counts.counts_from_facts(s, None, None, start, end)
    assert _nonzero(read) == _nonzero(facts_read) == {("north", "U1"): {"deadlines": 2, "on_time": 2}}
    with sessions.begin() as s:
        s.execute(
            text("UPDATE outcome_month_tallies SET first_response_on_time = 9 WHERE month = '2026-11-01'")
        )
    with sessions() as s:
        read = counts.outcome_counts(session=s, teams=None, users=None, start=start, end=end)
    # 9 for the month, less 1 on 2 November (a day tally), less 1 on 3 November at 04:00 (a fact)
    assert _nonzero(read) == {("north", "U1"): {"deadlines": 9, "on_time": 9}}


def test_a_fiscal_year_in_a_us_zone_reads_months_and_no_day_rows() -> None:
    """FY2027 in New York, 1 October 2026 04:00 UTC to 1 October 2027 04:00 UTC: twelve months
    from the month tallies, less the facts of 1 October 2026 before 04:00, plus those of 1 October
    2027 before 04:00; no day row, and 8 hours of the record, not the 30 day rows a person of
    October 2–31 and the 24 hours it once read."""
    cut = tally_reads.split(datetime(2026, 10, 1, 4, tzinfo=UTC), datetime(2027, 10, 1, 4, tzinfo=UTC))
    assert cut.months == (date(2026, 10, 1), date(2027, 10, 1))
    assert (cut.days, cut.less) == ((), ())
    assert cut.edges == ((datetime(2027, 10, 1, tzinfo=UTC), datetime(2027, 10, 1, 4, tzinfo=UTC)),)
    assert cut.less_edges == ((datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 1, 4, tzinfo=UTC)),)
    week = tally_reads.split(datetime(2026, 11, 2, 5, tzinfo=UTC), datetime(2026, 11, 9, 5, tzinfo=UTC))
    assert (week.months, week.days, week.less) == (None, ((date(2026, 11, 2), date(2026, 11, 9)),), ())
    hours = tally_reads.split(datetime(2026, 11, 2, 13, tzinfo=UTC), datetime(2026, 11, 2, 14, tzinfo=UTC))
    assert hours == tally_reads.Split(
        None, (), ((datetime(2026, 11, 2, 13, tzinfo=UTC), datetime(2026, 11, 2, 14, tzinfo=UTC)),)
    )


def test_the_migration_tallies_the_facts_stored_before_it(database_url: str, tmp_path) -> None:
    if database_url.startswith("postgres"):
        pytest.skip("a database of its own at revision 0006: a SQLite file")
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade(engine, "0006_installations")
        with engine.begin() as conn:  # as 0006 had them: facts, no tallies
            conn.execute(insert(table_of(Inquiry)), [{"id": 1, **_inquiry()}])
            conn.execute(insert(table_of(Outcome)), [_fact(n, *f) for n, f in enumerate(_few())])
            handed = {"inquiry_id": 1, "type": "reassigned", "actor": "USUP", "at": T0}
            conn.execute(insert(table_of(Event)), [{**handed, "payload": {"from": "U1", "to": "U2"}}])
        upgrade(engine)
        rows = _rows(sessionmaker(engine))
        with engine.connect() as conn:
            activity = conn.execute(text("SELECT team, person, day, received FROM activity_tallies")).all()
            handovers = conn.execute(text("SELECT person, month, gave, took FROM handover_tallies")).all()
    finally:
        engine.dispose()
    assert activity == [("north", "U1", "2026-10-28", 1)]
    assert sorted(handovers) == [("U1", "2026-10-01", 1, 0), ("U2", "2026-10-01", 0, 1)]
    october = T0.date().replace(day=1)
    assert rows == {
        ("day", "north", "U1", T0.date()): (2, 0, 0, 0, 0, 0, 0, 0, 0),
        ("day", "south", "U2", (T0 + timedelta(days=1)).date()): (0, 1, 1, 0, 0, 0, 0, 0, 0),
        ("month", "north", "U1", october): (2, 0, 0, 0, 0, 0, 0, 0, 0),
        ("month", "south", "U2", october): (0, 1, 1, 0, 0, 0, 0, 0, 0),
    }


def _few() -> list:
    return [
        ("north", "U1", q.FIRST_RESPONSE, "on_time", 1, 10),
        ("north", "U1", q.FIRST_RESPONSE, "on_time", 1, 20),
        ("south", "U2", q.FIRST_RESPONSE, "missed", 1, 24 * 60 + 5),
        ("south", "U2", q.FIRST_RESPONSE, "late", 1, 24 * 60 + 5),
    ]


def test_a_replaced_rating_counts_once_with_its_new_score(sessions) -> None:
    """Rated 2, then 5 a day later: the year reads one rating of 5, for one person, through the
    tallies, and the tallies equal a rebuild from the record."""
    from bot.config.loading import config_from_dict
    from bot.lifecycle import InquiryDraft, InquiryService
    from bot.reports.build import build_report
    from bot.reports.periods import parse_period
    from bot.time.clock import FixedClock

    config = config_from_dict(
        {"admins": ["UADMIN"], "teams": {"north": {"members": ["U1", "U2"], "supervisors": ["USUP"]}}}
    )
    clock = FixedClock(datetime(2026, 11, 16, 15, tzinfo=UTC))  # Monday 10:00 in New York
    service = InquiryService(sessions, config, clock)
    item = service.log(actor="U1", draft=InquiryDraft(kind="email", subject="Form 12")).id
    clock.set(clock.now() + timedelta(hours=1))
    service.acknowledge(actor="USUP", inquiry_id=item)
    service.feedback(actor="USUP", inquiry_id=item, score=2)
    clock.set(clock.now() + timedelta(days=1))
    service.feedback(actor="USUP", inquiry_id=item, score=5, comment="Re-rated after the call")
    year = parse_period("FY2027", today=date(2026, 11, 20))
    with sessions() as s:
        report = build_report(s, config, kind="all", subject="all", period=year, now=clock.now())
    rated = {line.user: (line.metrics.feedback_count, line.metrics.feedback_sum) for line in report.people}
    assert (report.totals.feedback_count, report.totals.feedback_sum) == (1, 5)
    assert sorted(rated.values())[-1] == (1, 5) and sum(n for n, _ in rated.values()) == 1
    kept = _activity(sessions)
    with sessions.begin() as s:
        tally_rebuild.rebuild_activity(s.connection())
    assert _activity(sessions) == kept


def _activity(sessions) -> dict:
    with sessions() as s:
        return {
            (r.team, r.person, r.day): tuple(getattr(r, c) for c in tallies.ACTIVITY_COLUMNS)
            for r in s.scalars(select(ActivityTally))
            if any(getattr(r, c) for c in tallies.ACTIVITY_COLUMNS)
        }


def test_hand_overs_by_hand_and_by_cover_are_tallied_as_appended(sessions) -> None:
    """Reassigned and covered events (one by the scheduler's bulk insert, one without a giver) are
    counted for everyone through their tallies (whole UTC months) and the events (part-months), as
    the events read one by one count them."""
    from storage.queries.closures import insert_events
    from storage.queries.events import append_event
    from storage.queries.report_events import _hand_over_pairs, reassignment_counts
    from storage.queries.reports import Scope, Window

    with sessions.begin() as s:
        s.add(Inquiry(id=1, **_inquiry()))
    day = T0 + timedelta(days=6, hours=15)  # 3 Nov: a whole UTC month of the period below
    with sessions.begin() as s:
        append_event(
            session=s,
            type="reassigned",
            actor="USUP",
            at=day,
            inquiry_id=1,
            payload={"from": "U1", "to": "U2"},
        )
        append_event(
            session=s, type="covered", actor="inquirybot", at=day, inquiry_id=1, payload={"to": "U3"}
        )
        append_event(session=s, type="updated", actor="U2", at=day, inquiry_id=1, payload={"to": "U9"})
    with sessions.begin() as s:
        insert_events(
            s,
            [
                dict(
                    inquiry_id=1,
                    type="covered",
                    actor="inquirybot",
                    at=day,
                    payload={"from": "U2", "to": "U3"},
                ),
                dict(  # handed to oneself: one event for U2, not two
                    inquiry_id=1, type="reassigned", actor="USUP", at=day, payload={"from": "U2", "to": "U2"}
                ),
            ],
        )
    with sessions.begin() as s:  # 30 Oct: a part-month at the period's start, read from the events
        append_event(
            session=s,
            type="reassigned",
            actor="USUP",
            at=T0 + timedelta(days=2),
            inquiry_id=1,
            payload={"from": "U3", "to": "U1"},
        )
    window = Window(T0 + timedelta(hours=5), T0 + timedelta(days=38), T0 + timedelta(days=40))
    assert tally_reads.month_cut(window.start, window.end).months == (date(2026, 11, 1), date(2026, 12, 1))
    with sessions() as s:
        everyone = reassignment_counts(session=s, scope=Scope(), window=window)
        read_one_by_one = sorted(_hand_over_pairs(s, None, window), key=str)
    assert everyone == ({"U1": 2, "U2": 3, "U3": 3}, 5)
    assert read_one_by_one == sorted(
        [("U1", "U2", 1), (None, "U3", 1), ("U2", "U3", 1), ("U3", "U1", 1), ("U2", "U2", 1)], key=str
    )
    # Most of November: its month tally, less the events of November outside the period.
    after, before = day + timedelta(hours=1), day - timedelta(hours=1)
    late_november = T0 + timedelta(days=31)
    for start, expected in ((after, ({}, 0)), (before, ({"U1": 1, "U2": 3, "U3": 2}, 4))):
        window = Window(start, late_november, late_november)
        assert tally_reads.month_cut(start, late_november).months == (date(2026, 11, 1), date(2026, 12, 1))
        with sessions() as s:
            assert reassignment_counts(session=s, scope=Scope(), window=window) == expected
    with sessions() as s:
        kept = {
            tuple(r)
            for r in s.execute(text("SELECT person, month, gave, took, to_self FROM handover_tallies"))
        }
    with sessions.begin() as s:
        tally_rebuild.rebuild_handovers(s.connection())
    with sessions() as s:
        assert {
            tuple(r)
            for r in s.execute(text("SELECT person, month, gave, took, to_self FROM handover_tallies"))
        } == kept
    # The month tally is what is read (changed by hand here: that path is really taken).
    with sessions.begin() as s:
        s.execute(
            text("UPDATE handover_tallies SET gave = gave + 5 WHERE person = 'U1' AND month = '2026-11-01'")
        )
    with sessions() as s:
        window = Window(before, late_november, late_november)
        assert reassignment_counts(session=s, scope=Scope(), window=window) == (
            {"U1": 6, "U2": 3, "U3": 2},
            9,
        )


def test_tally_rows_are_taken_after_every_other_write_of_a_commit() -> None:
    """The deferred writes (inquiry UPDATE, events, outbox rows) go first, the tallies last: a
    transaction never waits for a row while holding a tally row another one needs."""
    from sqlalchemy.orm import Session

    import storage.queries.inquiries  # noqa: F401  (imports both, in the app's order)

    hooks = [f"{f.__module__}.{f.__name__}" for f in Session().dispatch.before_commit]
    assert hooks.index("storage.queries.deferred._send") < hooks.index("storage.queries.tallies._apply")
