"""App Home's on-time line names the rating period it counts, and says what `/inquiry report me`
says for it — on the last evening of a fiscal year (already 1 October in UTC) and the first
morning of the next (nothing due yet), over real HTTP."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.lifecycle import InquiryDraft, InquiryService
from tests.slack.helpers import know_zone, text_of

ET = ZoneInfo("America/New_York")


def _home(slack, web, served, event_id: str) -> str:
    slack.event(
        {"type": "app_home_opened", "user": "U1", "channel": "D0", "tab": "home", "event_ts": "1.1"},
        event_id=event_id,
    )
    served.settle()
    return text_of(web.homes["U1"]["blocks"])


def test_home_names_the_rating_period_across_the_fiscal_year_boundary(slack, web, served, runtime, clock):
    service = InquiryService(runtime.sessions, runtime.config, runtime.clock)
    clock.set(datetime(2026, 9, 29, 10, 0, tzinfo=ET))
    item = service.log(actor="U1", draft=InquiryDraft(kind="email", subject="Last days of FY2026"))
    clock.set(datetime(2026, 9, 29, 11, 0, tzinfo=ET))
    service.acknowledge(actor="U1", inquiry_id=item.id)
    know_zone(slack, web, "U1")

    clock.set(datetime(2026, 9, 30, 23, 30, tzinfo=ET))  # Oct 1, 03:30 UTC: still FY2026 in New York
    home = _home(slack, web, served, "EvHome1")
    report = slack.command("report me").text
    fy2026 = "this rating period (Oct 1, 2025 – Sep 30, 2026)"
    assert f"on-time first responses {fy2026}: *100%, 1 of 1*" in home, home
    assert fy2026 in report and "on time 100%, 1 of 1" in report

    clock.set(datetime(2026, 10, 1, 9, 5, tzinfo=ET))  # the first morning of FY2027
    home = _home(slack, web, served, "EvHome2")
    report = slack.command("report me").text
    fy2027 = "this rating period (Oct 1, 2026 – Sep 30, 2027)"
    assert f"on-time first responses {fy2027}: *none due*" in home, home
    assert fy2027 in report and "on time none due" in report
