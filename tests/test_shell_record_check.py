"""What a rating official and a new employee see when they cross-check the record through the
shell: a kept database reopened, reminder wording, explain beside the report's evidence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

INQUIRYBOT = str(Path(sys.executable).with_name("inquirybot"))
MONDAY_0905 = "2026-11-30T09:05:00-05:00"


def run_shell(*lines: str, now: str = MONDAY_0905, args: tuple[str, ...] = ()) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("INQUIRYBOT_CONFIG", "DATABASE_URL")}
    result = subprocess.run(
        [INQUIRYBOT, "shell", "--now", now, *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_kept_database_reopened_in_a_new_shell_still_takes_commands(tmp_path):
    """`--database-url` keeps the shell's data; the next session's commands must not be taken for
    Slack delivering the first session's requests twice."""
    url = f"sqlite:///{tmp_path}/kept.db"
    first = run_shell("/inquiry log email Export license status", ":home", args=("--database-url", url))
    assert "Logged INQ-1 for you" in first
    second = run_shell(
        "/inquiry log phone Tariff on solar panels",
        ":home",
        now="2026-11-30T09:20:00-05:00",
        args=("--database-url", url),
    )
    assert "reached inquirybot twice" not in second
    assert "Logged INQ-2 for you" in second
    assert "[App Home of @alice]" in second and "2 open items" in second


def test_a_reminder_says_the_time_left_in_plain_numbers():
    """Logged at 09:05, the 50% nudge falls at 09:02:30 the next morning; it said
    "(7.95833 business hours left)"."""
    out = run_shell(
        "/inquiry log email Export license status",
        "/inquiry log written Letter: certificate of origin",
        ":time Thursday 10am",
    )
    assert "7.95833" not in out and "23.9583" not in out
    assert "needs a first response by Tue 1 Dec 2026 17:00 EST (8 business hours left)." in out
    assert "needs a first response by Mon 7 Dec 2026 17:00 EST (3 business days left)." in out


def test_the_report_and_app_home_do_not_disagree_about_missed_deadlines():
    """A first response on time and a promise missed: App Home listed the promise under "Missed
    deadlines this period" while the report said "Missed deadlines 0 late · 0 unanswered"; the
    report's line counts first responses only, and now says so."""
    out = run_shell(
        "/inquiry log email Export license status",
        "/inquiry ack INQ-1 expect tomorrow 3pm",
        ":time Wednesday 10am",
        ":home",
        "/inquiry report me this week",
    )
    home = out.split("@alice> :home", 1)[1].split("@alice> /inquiry report", 1)[0]
    assert "INQ-1 promised-resolution deadline Tue 1 Dec 2026, 3:00 PM EST — missed" in home
    report = out.split("@alice> /inquiry report me this week", 1)[1]
    assert "Missed deadlines" not in report
    assert "Missed first responses 0 late, 0 unanswered" in report
    assert "Resolution by promised date 0%, 0 of 1" in report


def test_explain_shows_the_outcomes_the_report_counts():
    """`explain` said "Status: open, no first response yet" for a miss the report counted, nothing of
    its dispute or void, and "closed, no first response yet" for a duplicate; it now lists each
    outcome, whose it is, when it was decided and what became of a dispute."""
    out = run_shell(
        "/inquiry log email Export license status",
        "/inquiry log email Export license, again; from Jane Doe",
        "/inquiry close INQ-2 duplicate of INQ-1",
        ":time Wednesday 10am",
        "/inquiry dispute INQ-1 the customer's email reached me late",
        ":as carol",
        "/inquiry void INQ-1 the mail server held it for a day",
        "/inquiry explain INQ-1",
        "/inquiry explain INQ-2",
        "/inquiry report @alice this week",
    )
    one = out.split("@carol> /inquiry explain INQ-1", 1)[1].split("@carol> /inquiry explain INQ-2", 1)[0]
    assert "Outcomes (each decided once; these are what the reports count):" in one
    assert (
        "First response due Tue 1 Dec 2026 17:00 EST: missed; counts for @alice, decided Tue 1 Dec 2026 17:00 EST"
        "; disputed by @alice: “the customer's email reached me late”"
        "; voided by @carol: “the mail server held it for a day” — it counts in no rate"
    ) in one
    two = out.split("@carol> /inquiry explain INQ-2", 1)[1].split("@carol> /inquiry report", 1)[0]
    assert "no first response yet" not in two
    assert "Status: closed as duplicate Mon 30 Nov 2026 09:05 EST, without a first response" in two
    assert "Outcomes: none — closed before any deadline fell, so no outcome counts in any rate" in two
    report = out.split("@carol> /inquiry report @alice this week", 1)[1]
    assert "On-time first responses: none due" in report  # the voided miss left the rate


def test_help_says_where_the_digest_and_the_exports_are():
    """A stranger looking for the weekly digest and the JSON / CSV export found neither in :help."""
    out = run_shell(":help")
    assert "weekly digest" in out and ":time Monday 9:05am" in out
    assert "inquirybot export|report|explain with DATABASE_URL=sqlite:///FILE" in out
