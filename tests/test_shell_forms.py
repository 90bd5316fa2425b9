"""The shell fills in the forms it shows, field by field, and sends them through the app as Slack
does (a signed view_submission through Bolt's dispatch): a value Slack's client would not take is
asked again at once; a field the app refuses (response_action=errors) is shown and asked again, the
other answers kept; nothing is stored until the form is accepted (docs/shell.md)."""

from __future__ import annotations

from tests.test_shell import run_shell


def after(out: str, marker: str) -> str:
    assert marker in out, out[-3000:]
    return out.split(marker, 1)[1]


def test_inquiry_alone_opens_the_log_form_and_it_is_filled_and_checked_field_by_field():
    result = run_shell(
        "/inquiry",
        "telegram",  # Kind: not one of the choices (Slack's client would not offer it)
        "phone",
        "",  # Subject is required
        "Tariff on steel",
        "Jane Doe",
        "",  # Customer contact: optional, left empty
        "today 9am",  # Received
        "",  # Complexity: keeps standard
        "yes",  # Needs research
        "@zed",  # Assignee: nobody of that name
        "@bob",
        "yesterday",  # Established deadline before the receipt: the app refuses this field
        "Program deadline",
        "Friday 5pm",  # asked again, alone
        ":as bob",
        "/inquiry show INQ-1",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    form = after(out, "@alice> /inquiry\n[form: Log an inquiry]")
    assert "Kind: email" in form and "Assignee (optional): @alice" in form  # the values it starts with
    assert (
        "! Kind “telegram” is not one of the choices: email, phone, written, in-person, slack, other" in form
    )
    assert "! Subject is required; type a value" in form
    assert "! unknown user '@zed'" in form
    refused = after(form, "[form not sent: Log an inquiry]")
    assert (
        "! Established deadline: due Sun 22 Nov 2026, 5:00 PM EST is before the inquiry was received"
        in refused
    )
    # only the refused field is asked again, showing what was typed
    again = refused.split("\n")[2]
    assert (
        again.startswith("  Log an inquiry · Established deadline")
        and "[Sun 22 Nov 2026 17:00 EST]: Friday 5pm" in again
    )
    sent = after(refused, "[form sent: Log an inquiry]")
    assert "Logged INQ-1 for @bob" in sent  # INQ-1: the refused submission stored nothing
    card = after(sent, "@bob> /inquiry show INQ-1")
    assert "Customer Jane Doe" in card and "needs research" in card
    assert "Received Mon 23 Nov 2026, 9:00 AM EST (Phone)" in card
    assert "First response due Fri 27 Nov 2026, 5:00 PM EST" in card
    assert "Program deadline" in card


def test_message_shortcut_logs_a_posted_message_with_its_link():
    result = run_shell(
        ":as carol",
        ":say #trade-team Hi @bob, can you send me the export form?",
        ":shortcut",
        "",  # Kind: slack, as the shortcut set it
        "-",  # Subject cannot be emptied
        "Export form request",
        "",
        "",
        "tomorrow 9am",  # Received in the future: the app refuses it
        "",
        "",
        "@bob",
        "",
        "",
        "today 1pm",
        "/inquiry list @bob",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    form = after(out, "@carol> :shortcut\n[form: Log an inquiry]")
    assert "Source: the message (https://test.slack.com/archives/C0TEAM/p" in form
    assert "Subject: Hi @bob, can you send me the export form?" in form  # prefilled, names shown
    assert "! Subject is required; it cannot be left empty" in form
    refused = after(form, "[form not sent: Log an inquiry]")
    assert "! Received:" in refused and "is in the future" in refused
    sent = after(refused, "[form sent: Log an inquiry]")
    assert "Logged INQ-1 for @bob" in sent
    listed = after(sent, "@carol> /inquiry list @bob")
    assert "INQ-1: Export form request" in listed


def test_post_update_form_shows_the_promise_and_is_checked():
    result = run_shell(
        "/inquiry log email Export license status; from Jane Doe; received today 9am; assign @bob",
        ":as bob",
        "/inquiry ack INQ-1 expect Friday",
        ":click Post update",
        "",  # the status is required
        "Waiting on the licensing office",
        "last month",  # too vague to be a date
        "Wednesday 3pm",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    form = after(out, "@bob> :click Post update\n[form: Update INQ-1]")
    # the header names the deadline the item works to now, not the first response already given
    assert "INQ-1: Export license status; resolution promised by Fri 27 Nov 2026, 5:00 PM EST" in form
    assert "! What's the status? is required" in form
    assert "! Resolution now expected by “last month” is too vague" in form
    sent = after(form, "[form sent: Update INQ-1]")
    assert "(message updated)" in sent
    assert "Update posted on INQ-1. Resolution promised for Wed 25 Nov 2026, 3:00 PM EST." in sent


def test_set_away_form_from_app_home_then_the_away_answer_in_a_thread():
    result = run_shell(
        ":as bob",
        ":home",
        ":click Set away",
        "",  # Away from: now
        "yesterday",  # Back on before the start: the app refuses it
        "@alice",
        "Friday",
        ":as carol",
        ":say #trade-team Hi @bob, any news?",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    form = after(out, "@bob> :click Set away\n[form: Set away]")
    assert "Away from: Mon 23 Nov 2026 14:00 EST" in form
    refused = after(form, "[form not sent: Set away]")
    assert (
        "! Back on: absence end Sun 22 Nov 2026, 12:00 AM EST is not after its start Mon 23 Nov 2026, 2:00 PM EST"
        in refused
    )
    sent = after(refused, "[form sent: Set away]")
    assert "[App Home of @bob]" in sent and "@alice covers" in sent
    thread = after(sent, "you (@carol) posted")
    assert "#trade-team (in thread)" in thread and "@bob is away until Fri 27 Nov 2026" in thread


def test_cancel_closes_a_form_and_nothing_is_stored():
    result = run_shell("/inquiry", "phone", ":time in 1 hour", ":cancel", "/inquiry list")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "! a form is open: answer its field, or :cancel to close it (got :time)" in out
    assert "form “Log an inquiry” closed, nothing sent" in out
    assert "Your open inquiries: none." in out
