"""ReportService: who may see which numbers, periods in words, and what Slack and App Home show."""

from __future__ import annotations

import pytest

from bot.errors import Forbidden, InputError
from bot.rendering.replies import Reply
from bot.rendering.report import home_line, report_blocks, report_summary
from bot.reports.service import ReportService
from bot.time.clock import FixedClock
from tests.reports.fortnight import ADMIN, LINK6, OTHER, OTHER_SUP, REPORT_NOW, SUP, A, B, C, at, block_texts


@pytest.fixture
def service(sessions, config):
    return ReportService(sessions, config, FixedClock(REPORT_NOW))


def test_employee_sees_own_numbers(service, fortnight):
    r = service.report(actor=B, subject="me", period_text="2026-11-02..2026-11-15")
    assert (r.kind, r.subject, r.totals.on_time, r.totals.deadlines) == ("person", B, 1, 3)
    assert service.report(actor=B, subject=f"<@{B}|bob>", period_text="last week").subject == B


@pytest.mark.parametrize(
    "actor, subject, why",
    [
        (B, "team", "only supervisors of team support and admins see the team's numbers"),
        (
            B,
            f"<@{A}|alice>",
            f"only <@{A}> themselves, a supervisor of their team and admins see their numbers",
        ),
        (OTHER_SUP, A, f"only <@{A}> themselves, a supervisor of their team and admins"),
        (OTHER_SUP, "support", "only supervisors of team support and admins"),
        (SUP, "all", "only admins see every team's numbers"),
    ],
)
def test_refusals_say_why(service, fortnight, actor, subject, why):
    with pytest.raises(Forbidden, match=why) as caught:
        service.report(actor=actor, subject=subject)
    assert "/inquiry report me" in str(caught.value)


def test_supervisor_sees_their_team_and_its_people(service, fortnight):
    team = service.report(actor=SUP, subject="team", period_text="2026-11-02..2026-11-15")
    assert (team.kind, team.subject, team.totals.deadlines, len(team.people)) == ("team", "support", 9, 3)
    assert (
        service.report(actor=SUP, subject=f"@{C}", period_text="2026-11-02..2026-11-15").totals.missed_open
        == 1
    )


def test_admin_sees_everything(service, fortnight):
    assert service.report(actor=ADMIN, subject="all").kind == "all"
    assert service.report(actor=ADMIN, subject="support").subject == "support"
    assert service.report(actor=ADMIN, subject=OTHER).subject == OTHER


def test_default_period_is_the_current_rating_period_and_bad_text_is_explained(service, fortnight):
    r = service.report(actor=A)
    assert r.period.label == "this rating period (Oct 1, 2026 – Sep 30, 2027)"
    with pytest.raises(InputError, match="period 'next tuesday' is not one I know") as caught:
        service.report(actor=A, period_text="next tuesday")
    assert "last week" in caught.value.example


def reports(sessions, config, now=REPORT_NOW) -> ReportService:
    return ReportService(sessions, config, FixedClock(now))


def report_reply(service, *, actor, scope, period, tz) -> Reply:
    """What handlers/commands.py answers `/inquiry report [scope] [period]` with."""
    report = service.report(actor=actor, subject=scope or "me", period_text=period or None)
    return Reply(report_summary(report), report_blocks(report, tz))


def on_time_summary(service, user_id) -> str:
    """The App Home line handlers/home.py shows."""
    return home_line(service.on_time(actor=user_id))


def test_slack_reply_reads_on_a_phone(sessions, config, fortnight):
    reply = report_reply(
        reports(sessions, config), actor=SUP, scope="team", period="last week", tz="America/Chicago"
    )
    assert isinstance(reply, Reply)
    assert reply.text == (
        "Report for Team support, last week (Nov 9 – Nov 15, 2026): on time 50%, 2 of 4 — Below Meets"
    )
    assert 0 < len(reply.blocks) <= 50
    text = "\n".join(block_texts(reply.blocks))
    assert "*On-time first responses: 50%, 2 of 4*" in text and "█" not in text and "░" not in text
    assert f"<@{C}>: 0% on time, 0 of 1; Below Meets" in text
    assert f"<@{B}>: 50% on time, 1 of 2; Below Meets" in text
    assert f"<{LINK6}|INQ-6>" in text and "due Mon 9 Nov 2026, 4:00 PM CST" in text  # the reader's zone
    assert all(len(line) <= 3000 for line in block_texts(reply.blocks))


def test_app_home_line_is_the_on_time_rate_this_rating_period(sessions, config, fortnight):
    assert on_time_summary(reports(sessions, config), A) == "100%, 4 of 4"
    assert on_time_summary(reports(sessions, config), B) == "33.3%, 1 of 3"
    assert on_time_summary(reports(sessions, config), OTHER) == "none due"
    later = reports(sessions, config, now=at(16, 18))
    assert on_time_summary(later, A) == "100%, 4 of 4"  # INQ-7 fell due Mon 16 17:00, answered on time
