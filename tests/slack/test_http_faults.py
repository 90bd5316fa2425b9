"""Hostile and broken requests over real HTTP (docs/faults.md "HTTP"): unsigned ones get 401 before
their body is parsed, signed but malformed ones 400 and one log line — never a 500, never a
traceback, never a stored row."""

from __future__ import annotations

import logging

import pytest

from inquirybot.slack_standin.signing import sign
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
    ts = slack.now()
    base = f"v0:{ts}:".encode() + body
    import hashlib
    import hmac

    signature = "v0=" + hmac.new(slack.secret.encode(), base, hashlib.sha256).hexdigest()
    return slack.request(
        "POST",
        "/slack/events",
        body,
        {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": signature},
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


def test_the_published_example_still_passes_the_guard():
    from handlers.http_guard import signature_ok

    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
        b"channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&"
        b"response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert sign(secret, 1531420618, body) == expected
    assert signature_ok(secret, "1531420618", expected, body, 1531420618 + 300)
    assert not signature_ok(secret, "1531420618", expected, body, 1531420618 + 301)
    assert not signature_ok(secret, "1531420618", expected, body + b"x", 1531420618)


def test_well_formed_requests_still_work(slack, web):
    slack.command("help")
    web.wait_for("response_url")
    assert slack.command("help").status == 200
