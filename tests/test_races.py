"""Two people, two processes, one instant (docs/outcomes.md "Exactly once").

Each race is made deterministic: the second party runs, to its commit, at the very moment the first
begins its transaction (an engine `begin` hook on the first party's own engine, as another process
would), on a clock both share that moves on as real time would. Then the record must agree with
itself: one outcome per deadline, and what the person was told is what the facts say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import event, select
from test_lifecycle_helpers import CONFIG, NOW, draft
from test_outcome_properties import tallies_match_a_rebuild

from bot.config.teams import config_from_dict
from bot.lifecycle import InquiryService
from bot.lifecycle.outcome_job import decide_fallen
from bot.time.clock import FixedClock
from storage.models import Event, Inquiry, Outcome
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
