"""Customers' own ratings in the record: kept apart from staff-entered feedback in the report, the
digest, the evidence and the JSON/CSV exports; the newest rating of an item is the one that counts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config.loading import config_from_dict
from bot.customer_feedback import CustomerPage, FeedbackLinks
from bot.customer_feedback.form import RatingForm
from bot.lifecycle import InquiryDraft, InquiryService
from bot.rendering.digest import digest_blocks, digest_text
from bot.rendering.report import report_blocks
from bot.rendering.report_text import report_text
from bot.reports.build import build_report
from bot.reports.digest import collect_digest
from bot.reports.export import CSV_COLUMNS, report_csv, report_dict
from bot.reports.periods import Period
from bot.time.clock import FixedClock

MONDAY = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York
WEEK = Period(date(2026, 3, 2), date(2026, 3, 8), "week 10")
CONFIG = {"teams": {"desk": {"timezone": "America/New_York", "members": ["U1", "U2"], "supervisors": ["S1"]}}}
HOSTILE = "<!channel> <@U9> & <script>x</script>"


@pytest.fixture
def office(sessions):
    clock = FixedClock(MONDAY)
    config = config_from_dict(CONFIG)
    service = InquiryService(sessions, config, clock)
    links = FeedbackLinks(sessions, config, clock, "https://feedback.example.gov")
    page = CustomerPage(sessions, config, clock, "Office of Export Licensing")

    def answered(actor: str) -> str:
        view = service.log(actor=actor, draft=InquiryDraft(kind="email", subject="A question"))
        service.acknowledge(actor=actor, inquiry_id=view.id)
        return links.link_for(actor=actor, inquiry_id=view.id).url.rsplit("/", 1)[1]

    def rate(token: str, score: int, comment: str | None = None) -> None:
        clock.advance(timedelta(minutes=5))
        page.submit(token, RatingForm(score, comment))

    return sessions, config, clock, service, answered, rate


def report(sessions, config, clock, kind="team", subject="desk"):
    with sessions() as s:
        return build_report(s, config, kind=kind, subject=subject, period=WEEK, now=clock.now())


def test_customer_ratings_are_counted_apart_and_the_newest_counts(office):
    sessions, config, clock, service, answered, rate = office
    first, second = answered("U1"), answered("U2")
    rate(first, 1, "too slow")
    rate(first, 4, "sorted out after all")  # replaces the 1
    rate(second, 5)
    service.feedback(actor="S1", inquiry_id=1, score=2, comment="staff note")  # staff-entered, apart

    r = report(sessions, config, clock)
    assert (r.totals.customer_count, r.totals.customer_average) == (2, 4.5)
    assert (r.totals.feedback_count, r.totals.feedback_average) == (1, 2.0)
    people = {line.user: (line.metrics.customer_count, line.metrics.customer_sum) for line in r.people}
    assert people == {"U1": (1, 4), "U2": (1, 5)}
    assert [(q.ref, q.score, q.comment) for q in r.evidence.customer_feedback] == [
        ("INQ-1", 4, "sorted out after all")
    ]
    assert [f.comment for f in r.evidence.feedback] == ["staff note"]

    data = report_dict(r)
    assert (data["totals"]["customer_feedback_count"], data["totals"]["customer_feedback_average"]) == (
        2,
        4.5,
    )
    assert (data["totals"]["feedback_count"], data["totals"]["feedback_average"]) == (1, 2.0)
    assert data["evidence"]["customer_feedback"] == [
        {
            "id": 1,
            "ref": "INQ-1",
            "user": "U1",
            "score": 4,
            "comment": "sorted out after all",
            "at": "2026-03-02T15:10:00Z",
        }
    ]
    assert data["evidence"]["feedback"][0]["comment"] == "staff note"
    rows = list(csv.DictReader(io.StringIO(report_csv(r))))
    assert {"customer_feedback_count", "customer_feedback_average"} <= set(CSV_COLUMNS)
    assert [(row["user"], row["customer_feedback_average"]) for row in rows] == [
        ("U1", "4.0"),
        ("U2", "5.0"),
        ("", "4.5"),
    ]

    me = report(sessions, config, clock, kind="person", subject="U1")
    assert (me.totals.customer_count, me.totals.customer_sum) == (1, 4)
    text = report_text(me)
    assert "Customer ratings (their own)        4.0 of 5 on average (1 rating)" in text
    assert "Feedback                            2.0 of 5 on average (1 rating, entered by staff)" in text
    assert "INQ-1 4 out of 5 (@U1) “sorted out after all”" in text


def test_customer_words_are_text_in_the_report_and_the_digest(office):
    sessions, config, clock, service, answered, rate = office
    rate(answered("U1"), 2, HOSTILE)
    blocks = str(report_blocks(report(sessions, config, clock)))
    assert "customers' own: 2.0 of 5 on average (1 rating)" in blocks and "staff-entered: none" in blocks
    assert "&lt;!channel&gt; &lt;@U9&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in blocks
    assert "<!channel>" not in blocks and "<@U9>" not in blocks
    with sessions() as s:
        digest = collect_digest(s, config, "desk", date(2026, 3, 2), clock.now())
    digest_view = str(digest_blocks(digest))
    assert "Customers' own words" in digest_view and "<!channel>" not in digest_view
    assert "customers' own ratings 2.0 of 5 on average (1 rating)" in digest_text(digest)
