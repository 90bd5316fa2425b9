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
    assert "Missed first responses 0 late · 0 unanswered" in report
    assert "Resolution by promised date 0%, 0 of 1" in report
