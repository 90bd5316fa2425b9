"""Fuzz: random /inquiry text through real HTTP. Always a 200 with a helpful message, never a 500 or
an apology for our own failure, and nothing stored from a command that failed to parse."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import When, parse_command
from bot.commands.model import NewCommand
from bot.errors import InputError
from tests.slack.helpers import know_zone, snapshot

FRAGMENTS = st.sampled_from(
    [
        "log",
        "email",
        "phone",
        "written",
        "in person",
        ";",
        " ",
        "from Jane Doe",
        "received",
        "due",
        "assign",
        "complex",
        "simple",
        "needs research",
        "yesterday 3pm",
        "Friday 5pm",
        "tomorrow",
        "in 3 days",
        "<@U2|bob>",
        "<@U1>",
        "<#C1|general>",
        "&amp;",
        "&lt;",
        "&gt;",
        "<mailto:a@b.gov|a@b.gov>",
        "“",
        "”",
        '"',
        "INQ-1",
        "1",
        "2",
        "expect",
        "ack",
        "update",
        "resolve",
        "close",
        "duplicate",
        "reassign",
        "escalate",
        "snooze",
        "1h",
        "feedback",
        "5",
        "away",
        "to",
        "alternate",
        "back",
        "list",
        "team",
        "overdue",
        "show",
        "explain",
        "help",
        "report",
        "because",
        "\u00a0",
        "🙂",
        "漢字",
        "<",
        ">",
        "|",
    ]
)
TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.lists(FRAGMENTS, min_size=1, max_size=12).map(" ".join),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_random_command_text(slack, web, runtime, text):
    know_zone(slack, web, "U1")
    expected_parse_error = False
    try:
        parsed = parse_command(text, when=When(now=runtime.clock.now(), tz="America/New_York"))
    except InputError:
        expected_parse_error, parsed = True, None
    before = snapshot(runtime)
    response = slack.command(text)
    assert response.status == 200
    if isinstance(parsed, NewCommand):
        assert response.body == b""  # the form opens instead
        return
    reply = response.json()
    assert reply["response_type"] == "ephemeral" and reply["text"].strip()
    assert "Something went wrong on our side" not in reply["text"]
    if expected_parse_error:
        assert reply["text"].startswith(":warning: ") and "\nExample: `/inquiry" in reply["text"]
        assert snapshot(runtime) == before
    elif reply["text"].startswith(":warning: "):
        assert snapshot(runtime) == before  # refused by the service: nothing changed either
