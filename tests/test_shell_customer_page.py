"""The customer's side in `inquirybot shell`: the feedback link the bot shows is served by the shell
itself, `:open` shows the real page as text and `:rate` sends its form over HTTP with its cookie, as a
customer's browser would; the holder's DM and the report then show the customer's rating."""

from __future__ import annotations

import re
import socket

import pytest

from bot.errors import InputError
from inquirybot.shell.customer import CustomerBrowser
from tests.test_shell import run_shell

LINK = re.compile(r"http://127\.0\.0\.1:\d+/feedback/[A-Za-z0-9_-]{32}")


def test_a_customer_rates_through_the_link_the_shell_serves():
    result = run_shell(
        "/inquiry log email Export license status; from Jane Doe <jane@example.com>; received today 9am",
        "/inquiry ack INQ-1 expect Friday; Working on it",
        ":open",
        ":rate 7",
        ":rate Thanks for the <b>quick</b> answer",
        ":rate 4",
        ":open",
        "/inquiry report me this week",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    # the acknowledgement gives a link that works: the shell serves the page at its own address
    ack = out.split("> /inquiry ack INQ-1", 1)[1].split("> :open", 1)[0]
    links = LINK.findall(ack)
    assert links and "INQUIRYBOT_PUBLIC_URL is not set" not in out
    page = out.split("> :open\n", 1)[1]
    assert page.startswith(f"[customer's browser] {links[0]} · 200 OK\n")
    first = page.split("> :rate 7", 1)[0]
    assert "HOW DID WE DO?" in first and "You are rating how we handled your inquiry INQ-1." in first
    assert "( ) 5 — Very satisfied" in first and "( ) 1 — Very dissatisfied" in first
    assert "Comment (optional)" in first and "[Send my rating]" in first
    assert "Export license status" not in first and "Jane Doe" not in first  # no customer data
    # the browser offers only the page's choices; a rating left out is the page's own 400
    assert "! the page offers the ratings 5, 4, 3, 2, 1; got 7" in out
    missing = out.split("> :rate Thanks for the", 1)[1].split("> :rate 4", 1)[0]
    assert "· 400 Bad Request" in missing and "Error: Choose a rating from 1 to 5." in missing
    assert "[Thanks for the <b>quick</b> answer]" in missing  # what was typed is kept
    assert "DM to" not in missing
    # sent again with a rating (the comment kept): the thank-you, and the holder's DM as in Slack
    thanks = out.split("> :rate 4\n", 1)[1].split("> :open", 1)[0]
    assert (
        "· 200 OK" in thanks and "Your rating for inquiry INQ-1 is recorded: 4 out of 5, satisfied." in thanks
    )
    assert "DM to @alice\n  A customer rated INQ-1: 4 out of 5, satisfied. Their comment:" in thanks
    assert ">Thanks for the <b>quick</b> answer" in thanks
    again = out.split("> :open\n", 2)[2]
    assert "You rated it 4, satisfied. Sending the form again replaces that rating." in again
    report = out.split("> /inquiry report me this week", 1)[1]
    assert (
        "Feedback staff-entered: none; customers' own: 4.0 of 5 on average (1 rating)" in report
    )  # one field, its lines kept apart
    assert "INQ-1 4 out of 5 (@alice) “Thanks for the <b>quick</b> answer”" in report


def test_open_without_a_link_says_how_to_get_one():
    result = run_shell(":open", ":rate 5", ":open example")
    out = result.stdout
    assert "! :open needs a feedback link: answer an item (/inquiry ack INQ-1) or ask for it" in out
    assert "! no feedback form is open: :open a customer's feedback link first" in out
    assert "! “example” is not a web address; :open takes a feedback link" in out


def test_open_refuses_a_link_the_shell_does_not_serve_in_words():
    result = run_shell(
        ":open http://127.0.0.1:1/feedback/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ":open https://example.com/feedback/x",
        ":open http://[::1",
        ":open http://127.0.0.1:99999/feedback/x",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr and "Errno" not in out
    served = re.search(r"they start (http://127\.0\.0\.1:\d+/feedback/)\)", out)
    assert served and served.group(1) != "http://127.0.0.1:1/feedback/"
    for link in ("http://127.0.0.1:1/feedback/", "https://example.com/", "http://127.0.0.1:99999/"):
        assert f"! “{link}" in out
    assert out.count("is not a feedback link this shell serves") == 3
    assert "! “http://[::1” is not a web address; :open takes a feedback link" in out


def test_a_page_that_cannot_be_reached_says_why_in_words():
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    offered = f"http://127.0.0.1:{port}/feedback/"
    with pytest.raises(InputError) as refused:
        CustomerBrowser().open(offered + "A" * 32, offered=offered)
    assert str(refused.value) == (
        "the customer's browser could not open the feedback page: nothing answers at that address; "
        "nothing was sent (is the shell still running?)"
    )
