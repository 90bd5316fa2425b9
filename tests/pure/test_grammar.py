"""The /inquiry grammar: Slack's real text forms in, typed commands out; bad input -> InputError
naming the problem with a working example. Pure: no database, no HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands import When, parse_command
from bot.commands.model import (
    AckCommand,
    AwayCommand,
    BackCommand,
    CloseCommand,
    EscalateCommand,
    FeedbackCommand,
    HelpCommand,
    ListCommand,
    LogCommand,
    NewCommand,
    ReassignCommand,
    ReportCommand,
    ResolveCommand,
    ShowCommand,
    SnoozeCommand,
    UpdateCommand,
)
from bot.commands.text import normalize
from bot.errors import InputError

NY, CHI, LA = ZoneInfo("America/New_York"), ZoneInfo("America/Chicago"), ZoneInfo("America/Los_Angeles")
# Wednesday 4 March 2026, 10:30 in New York
NOW = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


def parse(text: str, tz: str = "America/New_York", now: datetime = NOW):
    return parse_command(text, when=When(now=now, tz=tz))


def local(value: datetime, zone: ZoneInfo) -> tuple:
    v = value.astimezone(zone)
    return (v.year, v.month, v.day, v.hour, v.minute)


# ---- what Slack sends -------------------------------------------------------------------------


def test_the_spec_example_as_slack_escapes_it():
    text = (
        "log email Export license status; from Jane Doe &lt;<mailto:jane@example.com|jane@example.com>&gt;; "
        "received yesterday 3pm; complex; needs research; assign <@U123|bob>; due Friday 5pm"
    )
    command = parse(text)
    assert isinstance(command, LogCommand)
    d = command.draft
    assert (d.kind, d.subject) == ("email", "Export license status")
    assert (d.customer_name, d.customer_contact) == ("Jane Doe", "jane@example.com")
    assert local(d.received_at, NY) == (2026, 3, 3, 15, 0)
    assert (d.complexity, d.needs_research, d.assignee) == ("complex", True, "U123")
    assert local(d.due, NY) == (2026, 3, 6, 17, 0)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("<@U123|bob>", "\ue000@U123\ue001"),
        ("<@W0ABC>", "\ue000@W0ABC\ue001"),
        ("<#C123|general>", "\ue000#C123|general\ue001"),
        ("<mailto:a@b.gov|a@b.gov>", "a@b.gov"),
        ("<https://x.gov/a?b=1|x.gov>", "https://x.gov/a?b=1"),
        ("<!here>", "@here"),
        ("Smith &amp; Sons &lt;3 &gt;", "Smith & Sons <3 >"),
        ("&amp;lt;", "&lt;"),  # the user typed "&lt;" literally
        ("“quoted” ‘single’", "\"quoted\" 'single'"),
        ("  a \u00a0\u2003 b\t\nc  ", "a b c"),
        ("zero\u200bwidth", "zerowidth"),
        ("Ünïcødé — 漢字 🙂", "Ünïcødé — 漢字 🙂"),
        ("sneaky \ue000@U1\ue001", "sneaky @U1"),  # sentinels cannot be typed in
    ],
)
def test_normalize_reads_slack_markup(raw, expected):
    assert normalize(raw) == expected


def test_mention_without_label_and_subject_keeps_slack_markup():
    d = parse("log slack Question from <@U777> about <#C9|grants>; assign <@U42>").draft
    assert d.subject == "Question from <@U777> about <#C9|grants>"
    assert d.assignee == "U42"


def test_a_hand_typed_at_name_is_not_a_mention():
    with pytest.raises(InputError, match="@-mention") as err:
        parse("log email hi; assign @bob")
    assert err.value.example.startswith("/inquiry log")


@pytest.mark.parametrize(
    "typed, shows",
    [
        ("away tomorrow to friday alternate bob", "/inquiry away "),  # was the log example
        ("reassign 8 bob", "/inquiry reassign "),
        ("log email hi; assign bob", "/inquiry log "),
    ],
)
def test_a_hand_typed_name_shows_the_example_of_the_command_typed(typed, shows):
    with pytest.raises(InputError, match="@-mention") as err:
        parse(typed)
    assert err.value.example.startswith(shows), err.value.example


def test_quoted_subject_may_hold_a_semicolon():
    assert parse("log email “Export; license”; simple").draft.subject == "Export; license"


def test_extra_spaces_and_case():
    d = parse("  LOG   Phone    Call back re:  permit ;  FROM  202-555-0100 ;  Needs Research ").draft
    assert (d.kind, d.subject, d.customer_contact, d.customer_name, d.needs_research) == (
        "phone",
        "Call back re: permit",
        "202-555-0100",
        None,
        True,
    )


@pytest.mark.parametrize(
    "head, kind",
    [
        ("in person", "in-person"),
        ("in-person", "in-person"),
        ("letter", "written"),
        ("mail", "written"),
        ("call", "phone"),
        ("chat", "slack"),
        ("other", "other"),
    ],
)
def test_kind_words(head, kind):
    assert parse(f"log {head} something").draft.kind == kind


@pytest.mark.parametrize(
    "customer, name, contact",
    [
        ("Jane Doe &lt;<mailto:jane@x.gov|jane@x.gov>&gt;", "Jane Doe", "jane@x.gov"),
        ("<mailto:jane@x.gov|jane@x.gov>", None, "jane@x.gov"),
        ("Jane Doe, (202) 555-0100", "Jane Doe", "(202) 555-0100"),
        ("Dr. José Núñez", "Dr. José Núñez", None),
    ],
)
def test_customer(customer, name, contact):
    d = parse(f"log email hello; from {customer}").draft
    assert (d.customer_name, d.customer_contact) == (name, contact)


# ---- dates in the user's zone -----------------------------------------------------------------


def test_dates_are_read_in_the_users_zone_relative_to_the_clock():
    # 05:30 UTC on Thursday 5 March: just past midnight in New York, Wednesday evening in Los Angeles.
    now = datetime(2026, 3, 5, 5, 30, tzinfo=UTC)
    la = parse("log email x; received yesterday 3pm", tz="America/Los_Angeles", now=now).draft.received_at
    ny = parse("log email x; received yesterday 3pm", tz="America/New_York", now=now).draft.received_at
    assert local(la, LA) == (2026, 3, 3, 15, 0)
    assert local(ny, NY) == (2026, 3, 4, 15, 0)


def test_received_prefers_the_past_and_due_the_future():
    d = parse("log email x; received Friday 9am; due Friday 5pm").draft
    assert local(d.received_at, NY) == (2026, 2, 27, 9, 0)
    assert local(d.due, NY) == (2026, 3, 6, 17, 0)


def test_date_without_time():
    d = parse("log email x; received yesterday; due in 3 days").draft
    assert local(d.received_at, NY) == (2026, 3, 3, 0, 0)  # start of that day: the clock starts at opening
    assert local(d.due, NY) == (2026, 3, 7, 17, 0)  # close of business


def test_dst_spring_forward_keeps_local_wall_time():
    d = parse("log email x; due 2026-03-10 14:00", tz="America/Chicago").draft
    assert d.due == datetime(2026, 3, 10, 19, 0, tzinfo=UTC)  # CDT (UTC-5) after 8 March


def test_due_with_reason():
    d = parse("log written Records request; due 2026-03-20 because program office deadline").draft
    assert d.due_reason == "program office deadline"
    d = parse("log written Records request; due 2026-03-20; because FOIA statute").draft
    assert d.due_reason == "FOIA statute"


def test_future_received_is_refused():
    with pytest.raises(InputError, match="in the future"):
        parse("log email x; received tomorrow 9am")


@pytest.mark.parametrize("phrase", ["next week", "blah blah", "2026-13-45", "2026-02-30", "March"])
def test_unreadable_or_vague_dates(phrase):
    with pytest.raises(InputError, match="due") as err:
        parse(f"log email x; due {phrase}")
    assert err.value.example


# ---- every subcommand -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", NewCommand()),
        ("new", NewCommand()),
        ("new Export license", NewCommand("Export license")),
        ("list", ListCommand("mine")),
        ("list team", ListCommand("team")),
        ("list overdue", ListCommand("overdue")),
        ("list <@U9|x>", ListCommand("U9")),
        ("show INQ-12", ShowCommand(12)),
        ("show inq 12", ShowCommand(12)),
        ("show #12", ShowCommand(12)),
        ("show 12", ShowCommand(12)),
        ("ack INQ-3", AckCommand(3)),
        ("ack 3; called her back", AckCommand(3, note="called her back")),
        ("resolve 4", ResolveCommand(4)),
        ("resolve 4 sent the copy &amp; closed", ResolveCommand(4, note="sent the copy & closed")),
        ("close 4 duplicate of INQ-2", CloseCommand(4, "duplicate", original=2)),
        ("close 4 duplicate inq-2, same caller", CloseCommand(4, "duplicate", "same caller", original=2)),
        ("close 4 withdrawn she called back", CloseCommand(4, "withdrawn", "she called back")),
        ("reassign 4 <@U2|bob>", ReassignCommand(4, "U2")),
        ("reassign INQ-4 to <@U2>", ReassignCommand(4, "U2")),
        ("escalate 4", EscalateCommand(4)),
        ("escalate 4 needs policy call", EscalateCommand(4, "needs policy call")),
        ("snooze 4", SnoozeCommand(4, timedelta(hours=1))),
        ("snooze 4 90m", SnoozeCommand(4, timedelta(minutes=90))),
        ("snooze 4 2 hours 30 min", SnoozeCommand(4, timedelta(hours=2, minutes=30))),
        ("snooze 4 1 day", SnoozeCommand(4, timedelta(days=1))),
        ("feedback 4 5", FeedbackCommand(4, 5)),
        ("feedback 4 3/5 slow but right", FeedbackCommand(4, 3, "slow but right")),
        ("back", BackCommand()),
        ("report", ReportCommand("me", "")),
        ("report team last week", ReportCommand("team", "last week")),
        ("report <@U5> FY2026", ReportCommand("U5", "FY2026")),
        ("report this month", ReportCommand("me", "this month")),
        ("help", HelpCommand()),
        ("help acknowledge", HelpCommand("ack")),
    ],
)
def test_subcommands(text, expected):
    assert parse(text) == expected


def test_ack_with_expect_and_note():
    command = parse("ack INQ-12 expect Friday 5pm; told her we'd check")
    assert isinstance(command, AckCommand)
    assert (command.inquiry_id, command.note) == (12, "told her we'd check")
    assert local(command.expect, NY) == (2026, 3, 6, 17, 0)


def test_update_with_expect():
    command = parse("update 12 Waiting on licensing; expect next Tuesday")
    assert isinstance(command, UpdateCommand)
    assert command.note == "Waiting on licensing"
    assert local(command.expect, NY) == (2026, 3, 10, 17, 0)


def test_away_monday_to_friday_reads_the_end_from_the_start():
    command = parse("away Monday to Friday alternate <@U2|bob>")
    assert isinstance(command, AwayCommand)
    assert local(command.start, NY) == (2026, 3, 9, 0, 0)
    assert local(command.end, NY) == (2026, 3, 13, 23, 59)
    assert command.alternate == "U2"


def test_away_until():
    command = parse("away until Friday; alternate <@U2>")
    assert command.start == NOW and local(command.end, NY) == (2026, 3, 6, 23, 59)


# ---- bad input: a plain message and a working example ------------------------------------------


@pytest.mark.parametrize(
    "text, problem",
    [
        ("lsit", "Did you mean “list”"),
        ("email hi", "start with “log”"),
        ("log", "needs a kind"),
        ("log email", "needs a subject"),
        ("log fax-machine hi", "not an inquiry kind"),
        ("log email hi; whatever this is", "I don't understand"),
        ("log email hi; from a@b.gov; from c@d.gov", "repeats"),
        ("log email hi; simple; complex", "complexity given twice"),
        ("log email hi; because boss said", "no due date"),
        ("show", "needs an inquiry id"),
        ("show abc", "“abc” is not an inquiry id"),
        ("show INQ-0", "not an inquiry id"),
        ("ack 12 expect someday", "expect “someday”"),
        ("update 12", "needs a note"),
        ("close 12 because", "duplicate or withdrawn"),
        ("close 12 duplicate", "needs the item it duplicates"),
        ("close 12 duplicate of the other one", "needs the item it duplicates"),
        ("close 12 withdrawn", "withdrawn needs a note"),
        ("reassign 12", "@-mention"),
        ("reassign 12 bob", "@-mention"),
        ("snooze 12 forever", "duration"),
        ("snooze 12 0h", "longer than zero"),
        ("snooze 12 90 days", "at most 30 days"),
        ("feedback 12 9", "score from 1 to 5"),
        ("feedback 12", "score from 1 to 5"),
        ("list everybody", "mine, team, overdue"),
        ("away Monday to Friday", "alternate"),
        ("away Friday to Monday alternate <@U2>", None),  # Friday to the Monday after: fine
        ("away yesterday to yesterday alternate <@U2>", "over already"),
        ("away tomorrow alternate bob", "@-mention"),
    ],
)
def test_bad_input_names_the_problem_with_an_example(text, problem):
    if problem is None:
        parse(text)
        return
    with pytest.raises(InputError) as err:
        parse(text)
    assert problem in str(err.value)
    assert err.value.example and err.value.example.startswith("/inquiry")


# ---- fuzz: anything a user can type is a command or an InputError, never a crash -----------------

slackish = st.sampled_from(
    [
        "log",
        "email",
        "phone",
        "in person",
        ";",
        " ",
        "from",
        "received",
        "due",
        "assign",
        "complex",
        "needs research",
        "yesterday 3pm",
        "Friday 5pm",
        "<@U123|bob>",
        "<@W9>",
        "<#C1|gen>",
        "&amp;",
        "&lt;",
        "&gt;",
        "<mailto:a@b.gov|a@b.gov>",
        "“",
        "”",
        '"',
        "INQ-12",
        "12",
        "expect",
        "ack",
        "update",
        "away",
        "to",
        "alternate",
        "snooze",
        "1h",
        "feedback",
        "5",
        "report",
        "team",
        "list",
        "\u00a0",
        "🙂",
        "漢字",
        "<",
        ">",
        "|",
        "\x00",
        "\ud800",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=120), st.lists(slackish, max_size=14).map(" ".join)))
def test_any_text_parses_or_raises_input_error(text):
    try:
        command = parse(text)
    except InputError as err:
        assert str(err) and err.example
    else:
        assert command is not None


def test_subcommand_name_is_the_parsers_own_reading():
    from bot.commands import subcommand_name

    assert subcommand_name("Report team last week") == "report"  # what lets a report skip the write queue
    assert subcommand_name("  ACKNOWLEDGE INQ-3") == "ack"
    assert subcommand_name("") == ""
