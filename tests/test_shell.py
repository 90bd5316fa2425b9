"""`inquirybot shell` driven as a person would: through piped standard input and a pseudo-terminal,
checking the text it shows. The shell uses its own temporary SQLite database (embedded by design)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

INQUIRYBOT = str(Path(sys.executable).with_name("inquirybot"))
MONDAY_2PM = "2026-11-23T14:00:00-05:00"  # the Monday before Thanksgiving


def run_shell(*lines: str, args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("INQUIRYBOT_CONFIG", "DATABASE_URL")}
    return subprocess.run(
        [INQUIRYBOT, "shell", "--now", MONDAY_2PM, *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_log_nudge_button_and_report_through_piped_stdin():
    result = run_shell(
        "/inquiry log email Export license status; from Jane Doe <jane@example.com>; received today 9am; assign @bob",
        ":as bob",
        ":click Snooze 1h",
        ":time tomorrow 4:30pm",
        "/inquiry ack INQ-1 expect Friday; Working on it",
        "/inquiry report me this week",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # the logger's confirmation and the assignee's DM, deadlines in the team's zone
    assert "Logged INQ-1 for @bob — first response due Tue 24 Nov 2026, 5:00 PM EST" in out
    assert "DM to @bob\n  INQ-1 is now yours (from @alice)" in out
    # the button press updates the message it was on
    assert "(message updated) DM to @bob" in out and "snoozed until Mon 23 Nov 2026, 3:00 PM EST" in out
    # moving the clock runs the scheduler: the 50% nudge at Tue 09:00 and the last-hour nudge at 16:00
    assert "-- Tue 24 Nov 2026 09:00 EST --" in out
    assert "needs a first response by Tue 24 Nov 2026 17:00 EST (8 business hours left)" in out
    assert "1 business hour left: INQ-1" in out
    assert "Acknowledged INQ-1" in out and "(on time)" in out
    assert "Fri 27 Nov 2026, 5:00 PM EST" in out
    # the report, as the assignee sees it: Mon 09:00 -> Tue 16:30 is 15.5 business hours
    report = out.split("@bob> /inquiry report me this week", 1)[1]
    assert "== Inquiry report: this week ==" in report
    assert "@bob, this week (Nov 23 – Nov 29, 2026)" in report
    assert "Received 1" in report
    assert "Time to first response median 15.5 business hours, 90th percentile 15.5" in report


def test_bad_shell_input_explains_in_one_line_and_keeps_running():
    result = run_shell(
        ":frobnicate",
        ":as @zed",
        ":time yesterday",
        "/giphy cats",
        ":click Resolve",
        "/inquiry log telegram Hello",
        "/inquiry list",
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert "! unknown shell command :frobnicate; try :help" in lines
    assert any(line.startswith("! unknown user '@zed'; known users: @alice, @bob") for line in lines)
    assert any(
        line.startswith("! :time “yesterday” is Sun 22 Nov 2026 00:00 EST, not after now") for line in lines
    )
    assert any(line.startswith("! only /inquiry is a command here") for line in lines)
    assert "! there is no message with buttons yet; log an inquiry first" in lines
    assert any("telegram" in line and "kind" in line.lower() for line in lines)  # the bot's own parse error
    assert "Your open inquiries: none." in result.stdout  # still running after all of that


def test_demo_fortnight_gives_reports_and_home_something_to_show():
    result = run_shell(":as carol", "/inquiry list team", ":home", args=("--demo",))
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("demo: 10 inquiries over the last fortnight for team trade")
    assert "Your team's open inquiries:" in out
    assert "[App Home of @carol]" in out and "== Team trade:" in out


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_interactive_terminal_session():
    env = {k: v for k, v in os.environ.items() if k not in ("INQUIRYBOT_CONFIG", "DATABASE_URL")}
    env["TERM"] = "dumb"
    pid, fd = pty.fork()
    if pid == 0:  # child: the shell on a terminal
        os.execve(INQUIRYBOT, [INQUIRYBOT, "shell", "--now", MONDAY_2PM], env)
    seen = b""

    def read_until(marker: bytes, timeout: float = 60) -> bytes:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
        assert marker in seen, seen.decode(errors="replace")[-2000:]
        return seen

    try:
        read_until(b"@alice> ")
        os.write(fd, b"/inquiry log phone Tariff question; complex; needs research\r")
        out = read_until(b"#trade-escalations")
        assert b"Logged INQ-1 for @dan" in out
        os.write(fd, b":quit\r")
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.close(fd)


def test_time_in_days_keeps_the_time_of_day_and_say_tries_the_out_of_office_answer():
    result = run_shell(
        ":as bob",
        "/inquiry away today to Friday alternate @alice",
        ":as carol",
        ":say #trade-team Hi @bob, can you send me the form?",
        ":say #nowhere hello",
        ":time in 2 days",
        ":help",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "#trade-team · you (@carol) posted\n  Hi @bob, can you send me the form?" in out
    reply = out.split("you (@carol) posted", 1)[1]
    assert "@bob is away until" in reply and "please contact @alice" in reply
    assert "! unknown channel '#nowhere'; channels here: #trade-team, #trade-escalations" in out
    assert "the time is now Wed 25 Nov 2026 14:00 EST" in out  # Monday 14:00 + 2 days, not midnight
    assert ":say #channel <text>" in out and "keeps" in out
    # :help lists all the shell does: the forms and how to fill them, the message shortcut
    help_text = out.split("> :help", 1)[1]
    for shown in (":as @name", ":time <when>", ":say", ":shortcut", ":click", ":home", ":cancel", ":quit"):
        assert shown in help_text, shown
    for form in ("/inquiry alone", "Post update", "Set away", "field by field"):
        assert form in help_text, form


def test_a_subcommand_typed_without_slash_inquiry_is_pointed_to_it():
    result = run_shell("log email Hello", "ack 1", "hello there")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert (
        "! Slack commands start with /inquiry here as in Slack: did you mean /inquiry log email Hello?" in out
    )
    assert "did you mean /inquiry ack 1?" in out
    assert "@alice> hello there\n! type a Slack command such as /inquiry help" in out
