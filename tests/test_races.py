"""Two people, two processes, one instant (docs/outcomes.md "Exactly once").

Each race is made deterministic: the second party runs, to its commit, at the very moment the first
begins its transaction (an engine `begin` hook on the first party's own engine, as another process
would), on a clock both share that moves on as real time would. Then the record must agree with
itself: one outcome per deadline, and what the person was told is what the facts say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from test_lifecycle_helpers import CONFIG, NOW, draft
from test_outcome_properties import tallies_match_a_rebuild

from bot.config.loading import config_from_dict
from bot.errors import NotFound
from bot.lifecycle import InquiryService
from bot.lifecycle.disputes import DisputeService
from bot.lifecycle.outcome_job import decide_fallen
from bot.lifecycle.replan import ClosureService
from bot.time.clock import FixedClock
from bot.time.closures import ClosureRequest
from storage.models import Event, Inquiry, OutboxMessage, Outcome, OutcomeDispute, OutcomePending
from storage.session import SessionFactory, make_engine, session_factory

MS = timedelta(milliseconds=1)


def racing(database_url: str, meanwhile: Callable[[], object]) -> SessionFactory:
    """Sessions on an engine of their own, whose first transaction lets `meanwhile` run first."""
    engine = make_engine(database_url)
    event.listen(engine, "begin", lambda _conn: meanwhile(), once=True)
    return session_factory(engine)


def one_outcome_per_deadline(sessions, engine) -> list[Outcome]:
    with sessions() as s:
        facts = list(s.scalars(select(Outcome).order_by(Outcome.id)))
    decided = Counter((f.inquiry_id, f.kind) for f in facts if f.fact == "decided")
    late = Counter(f.corrects for f in facts if f.fact == "late")
    assert set(decided.values()) <= {1} and set(late.values()) <= {1}
    tallies_match_a_rebuild(engine)
    return facts


def test_an_acknowledgement_that_waited_while_the_deadline_was_decided_missed_is_late_everywhere(
    sessions, engine, database_url
):
    """Bob acknowledges at 16:59:59.999; the scheduler's pass, a millisecond past 17:00, holds the
    item and stores the miss; Bob's acknowledgement gets the item after it. It was told "on time"
    (and its event said so) while the record held a miss turned late."""
    config = config_from_dict(CONFIG)
    item = InquiryService(sessions, config, FixedClock(NOW)).log(actor="UALICE", draft=draft(assignee="UBOB"))
    due = item.first_response_due
    clock = FixedClock(due - MS)

    def scheduler_pass():
        clock.set(due + MS)
        assert decide_fallen(sessions, config, clock) == 1
        clock.set(due + 2 * MS)

    bob = InquiryService(racing(database_url, scheduler_pass), config, clock)
    view = bob.acknowledge(actor="UBOB", inquiry_id=item.id)

    facts = one_outcome_per_deadline(sessions, engine)
    assert [(f.fact, f.outcome, f.holder) for f in facts] == [
        ("decided", "missed", "UBOB"),
        ("late", "late", "UBOB"),
    ]
    with sessions() as s:
        acked = s.scalars(select(Event).where(Event.type == "acknowledged")).one()
        row = s.get(Inquiry, item.id)
    assert view.first_response_at > due and row.first_response_at > due
    assert acked.payload["on_time"] is False and acked.at > due
    assert "late" in view.explanation[-1]


def test_a_reassignment_that_waited_while_the_deadline_was_decided_happens_after_it(
    sessions, engine, database_url
):
    """Sue hands Bob's item to Carol at 16:59:59.999 while the scheduler stores Bob's miss: the
    miss is Bob's, so the record must not say Carol held the item at the deadline."""
    config = config_from_dict(CONFIG)
    item = InquiryService(sessions, config, FixedClock(NOW)).log(actor="UALICE", draft=draft(assignee="UBOB"))
    due = item.first_response_due
    clock = FixedClock(due - MS)

    def scheduler_pass():
        clock.set(due + MS)
        decide_fallen(sessions, config, clock)
        clock.set(due + 2 * MS)

    sue = InquiryService(racing(database_url, scheduler_pass), config, clock)
    sue.reassign(actor="USUE", inquiry_id=item.id, to="UCAROL")

    facts = one_outcome_per_deadline(sessions, engine)
    assert [(f.outcome, f.holder) for f in facts] == [("missed", "UBOB")]
    with sessions() as s:
        moved = s.scalars(select(Event).where(Event.type == "reassigned")).one()
    assert moved.at > due  # the events, too, say Bob held it when it fell


def test_a_closure_declared_while_the_scheduler_decides_the_deadline_does_not_move_it_again(
    sessions, engine, database_url
):
    """An admin declares today closed at 16:59:59; the scheduler's pass at 17:00:01 holds the items
    and stores their misses; the declaration, given the items after it, moved the decided deadlines
    to Friday, where each was decided a second time: two first-response outcomes per item."""
    config = config_from_dict(CONFIG)
    logging = InquiryService(sessions, config, FixedClock(NOW))
    items = [logging.log(actor="UALICE", draft=draft(assignee="UBOB")) for _ in range(3)]
    due = items[0].first_response_due

    def scheduler_pass():
        assert decide_fallen(sessions, config_from_dict(CONFIG), FixedClock(due + 1000 * MS)) == 3

    # The declaration's own instant stays before the deadline: it read the time, then waited for
    # the items the scheduler held (PostgreSQL), as it does whenever the two meet.
    admin = ClosureService(racing(database_url, scheduler_pass), config, FixedClock(due - 1000 * MS))
    result = admin.declare(
        actor="UADMIN", request=ClosureRequest(first_day=date(2026, 11, 25), reason="snow")
    )

    assert result.moved == 0
    with sessions() as s:
        assert s.scalars(select(OutcomePending)).all() == []
        assert s.scalars(select(Event).where(Event.type == "deadline_moved")).all() == []
    decide_fallen(sessions, config, FixedClock(due + timedelta(days=7)))
    facts = sorted(one_outcome_per_deadline(sessions, engine), key=lambda f: f.inquiry_id)  # decided together
    assert [(f.inquiry_id, f.outcome, f.deadline) for f in facts] == [(i.id, "missed", due) for i in items]


def test_two_supervisors_deciding_one_dispute_at_once_the_second_reads_who_decided_first(
    sessions, engine, database_url
):
    """Sue clicks Uphold while the admin clicks Void on the same dispute: one decision is stored,
    and Sue, second, was told the item "has no open dispute to uphold; disputes are opened with
    /inquiry dispute INQ-n" — as if Bob had never disputed. She now reads who decided it, and how."""
    config = config_from_dict(CONFIG)
    item = InquiryService(sessions, config, FixedClock(NOW)).log(actor="UALICE", draft=draft(assignee="UBOB"))
    due = item.first_response_due
    decide_fallen(sessions, config, FixedClock(due + MS))
    clock = FixedClock(due + timedelta(hours=1))
    DisputeService(sessions, config, clock).dispute(actor="UBOB", inquiry_id=item.id, reason="I phoned")

    def admin_voids():
        admin = DisputeService(sessions, config, clock)
        admin.decide(actor="UADMIN", inquiry_id=item.id, decision="void", reason="call log shows it")

    sue = DisputeService(racing(database_url, admin_voids), config, clock)
    with pytest.raises(NotFound) as refused:
        sue.decide(actor="USUE", inquiry_id=item.id, decision="uphold", reason="no record of a call")

    assert str(refused.value) == (
        "INQ-1 has no open dispute to uphold: <@UADMIN> already voided its first-response outcome on "
        "Wed 25 Nov 2026, 6:00 PM EST (“call log shows it”); nothing changed"
    )
    facts = one_outcome_per_deadline(sessions, engine)
    assert [(f.fact, f.weight) for f in facts] == [("decided", 1), ("void", -1)]
    with sessions() as s:
        assert [d.action for d in s.scalars(select(OutcomeDispute).order_by(OutcomeDispute.id))] == [
            "disputed",
            "voided",
        ]
        assert [
            m.channel
            for m in s.scalars(
                select(OutboxMessage).where(OutboxMessage.dedupe_key.like("dispute-decided:%"))
            )
        ] == ["UBOB"]
