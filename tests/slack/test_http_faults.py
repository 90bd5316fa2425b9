"""Hostile and broken requests over real HTTP (docs/faults.md "HTTP"): unsigned ones get 401 before
their body is parsed, signed but malformed ones 400 and one log line — never a 500, never a
traceback, never a stored row."""

from __future__ import annotations

import logging

import pytest

from inquirybot.slack_standin.signing import signed_headers
from inquirybot.slack_standin.slack import FORM
from tests.slack.helpers import snapshot

HOSTILE_BODIES = [
    b"payload={",
    b"payload=null",
    b"{",
    b"[]",
    b"\xff\xfe=\x00",
    b"payload=%7B%22type%22%3A1%7D",
    b"",
]


def _no_tracebacks(caplog) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
@pytest.mark.parametrize("content_type", [FORM, "application/json"])
def test_unsigned_bodies_get_401(slack, runtime, caplog, body, content_type):
    before = snapshot(runtime)
    for headers in (
        {"Content-Type": content_type},
        {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": "abc",
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
        {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(slack.now()),
            "X-Slack-Signature": "v0=bogus",
        },
        {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": "1e9",
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
    ):
        response = slack.request("POST", "/slack/events", body, headers)
        assert response.status == 401, (body, headers, response.body)
        assert response.json() == {"error": "invalid request"}
    assert snapshot(runtime) == before
    _no_tracebacks(caplog)


def _signed(slack, body: bytes, content_type: str):
    """Any bytes, signed with the shipped signer (which signs raw bytes, UTF-8 or not)."""
    return slack.request(
        "POST", "/slack/events", body, signed_headers(slack.secret, body, content_type, slack.now())
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload={", FORM),
        (b"payload=null", FORM),
        (b"payload=%5B%5D", FORM),
        (b"payload=%22text%22", FORM),
        (b"text=%ff%fe&command=%2Finquiry", FORM),  # percent-encoded bytes that are not UTF-8
        (b"\xff\xfe=\x00", FORM),
        (b"{", "application/json"),
        (b"[]", "application/json"),
        (b'"event"', "application/json"),
        (b"command=%2Finquiry&text=help", "text/plain"),
        (b"command=%2Finquiry&text=help", ""),
    ],
)
def test_signed_but_malformed_gets_400_and_one_log_line(slack, runtime, caplog, body, content_type):
    before = snapshot(runtime)
    caplog.set_level(logging.INFO)
    response = _signed(slack, body, content_type)
    assert response.status == 400, response.body
    assert "error" in response.json()
    assert snapshot(runtime) == before
    lines = [r for r in caplog.records if r.name == "inquirybot.http"]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    _no_tracebacks(caplog)


def test_well_formed_requests_still_work(slack, web):
    slack.command("help")
    web.wait_for("response_url")
    assert slack.command("help").status == 200
