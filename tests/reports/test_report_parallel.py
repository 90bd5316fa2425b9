"""Reports read on several connections at once: the same numbers as on one, all from one snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.lifecycle import InquiryDraft, InquiryService
from bot.reports.build import build_report
from bot.reports.periods import parse_period
from bot.reports.readers import open_readers
from bot.time.clock import FixedClock
from storage.models import Inquiry
from storage.snapshots import snapshot_sessions
from tests.reports.fortnight import OTHER, REPORT_NOW, A, B, at, utc

CASES = [("team", "support"), ("all", "all"), ("person", A), ("person", B)]
PERIODS = ["2026-11-02..2026-11-15", "2026-11-09..2026-11-13", "FY2027"]


def _log(sessions, config, actor: str, subject: str, when) -> int:
    service = InquiryService(sessions, config, FixedClock(when))
    return service.log(actor=actor, draft=InquiryDraft(kind="email", subject=subject)).id


@pytest.fixture
def two_teams(sessions, fortnight, config):
    """The fortnight, plus items of the second team, so an every-team report splits its counting."""
    _log(sessions, config, OTHER, "Export license", at(3, 10))
    _log(sessions, config, OTHER, "Tariff code", at(10, 10))
    return fortnight


@pytest.mark.parametrize("connections", [2, 3])
@pytest.mark.parametrize("kind, subject", CASES)
def test_several_connections_give_the_report_one_connection_gives(
    sessions, two_teams, config, kind, subject, connections
):
    for text in PERIODS:
        period = parse_period(text, today=REPORT_NOW.date())
        kwargs = dict(kind=kind, subject=subject, period=period, now=utc(REPORT_NOW), evidence_limit=3)
        with open_readers(sessions, 1) as one:
            expected = build_report(one, config, **kwargs)
        with open_readers(sessions, connections) as many:
            assert len(many) == connections  # file SQLite and PostgreSQL both give separate connections
            got = build_report(many, config, **kwargs)
        assert got == expected
    if kind == "all":
        assert expected.totals.received == 13 and {line.team for line in expected.people} == {
            "support",
            "exports",
        }


def test_every_session_sees_the_moment_they_were_opened_not_later_commits(sessions, fortnight, config):
    count = select(func.count()).select_from(Inquiry)
    with snapshot_sessions(sessions, 3) as readers:
        before = [s.scalar(count) for s in readers[:1]]
        _log(sessions, config, B, "Logged while the report runs", at(16, 9))
        seen = before + [s.scalar(count) for s in readers[1:]]
        assert seen == [11, 11, 11]  # the new item is in no session's snapshot
        assert [s.scalar(count) for s in readers] == [11, 11, 11]  # and never appears during the report
    with sessions() as fresh:
        assert fresh.scalar(count) == 12


def test_a_report_counts_what_was_committed_before_it_began(sessions, fortnight, config):
    period = parse_period("2026-11-16..2026-11-20", today=REPORT_NOW.date())
    kwargs = dict(kind="team", subject="support", period=period, now=utc(at(16, 12)))
    with open_readers(sessions, 2) as readers:
        assert build_report(readers, config, **kwargs).totals.received == 0
    _log(sessions, config, B, "Monday question", at(16, 9))
    with open_readers(sessions, 2) as readers:
        assert build_report(readers, config, **kwargs).totals.received == 1


def test_a_promise_is_kept_apprised_by_an_update_before_its_date_not_after(sessions, config):
    """Status-update compliance: an update by the promised date counts, even when more come later;
    one only after the date does not; a resolve by the date counts without any update."""
    clock = FixedClock(at(2, 9))
    service = InquiryService(sessions, config, clock)
    ids = [
        service.log(actor=A, draft=InquiryDraft(kind="email", subject=f"Promise {n}")).id for n in range(3)
    ]
    clock.set(at(2, 10))
    for inquiry_id in ids:
        service.acknowledge(actor=A, inquiry_id=inquiry_id, expect=at(4, 17))
    clock.set(at(3, 12))
    service.update(actor=A, inquiry_id=ids[0], note="Waiting on the program office")
    clock.set(at(4, 16))
    service.resolve(actor=A, inquiry_id=ids[2])
    clock.set(at(5, 9))
    service.update(actor=A, inquiry_id=ids[0], note="Still waiting")
    service.update(actor=A, inquiry_id=ids[1], note="Sorry, late word")
    period = parse_period("2026-11-02..2026-11-06", today=at(9, 9).date())
    with open_readers(sessions, 2) as readers:
        totals = build_report(
            readers, config, kind="person", subject=A, period=period, now=utc(at(9, 9))
        ).totals
    assert (totals.promises, totals.promises_kept, totals.updates_ok) == (3, 1, 2)
