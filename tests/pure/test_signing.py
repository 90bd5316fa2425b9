"""The shipped signer (inquirybot/slack_standin/signing.py), which every test request and the shell
use, checked independently: against Slack's published test vector (docs.slack.dev, "Verifying
requests from Slack"), and against slack_sdk's own verifier."""

from __future__ import annotations

from slack_sdk.signature import SignatureVerifier

from handlers.http_guard import signature_ok
from inquirybot.slack_standin.signing import sign, signed_headers

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TIMESTAMP = "1531420618"
BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_signature_matches_slacks_published_example():
    assert sign(SECRET, TIMESTAMP, BODY) == EXPECTED
    assert sign(SECRET, int(TIMESTAMP), BODY.encode("utf-8")) == EXPECTED


class _At:
    def now(self) -> float:
        return float(TIMESTAMP)


def test_slack_sdks_verifier_accepts_signed_headers():
    headers = signed_headers(SECRET, BODY, "application/x-www-form-urlencoded", int(TIMESTAMP))
    verifier = SignatureVerifier(signing_secret=SECRET, clock=_At())
    assert verifier.is_valid(BODY, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert not verifier.is_valid(
        BODY + "x", headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )


def test_the_apps_guard_accepts_the_published_example_for_five_minutes():
    """handlers/http_guard.py, the served app's own check: the example passes until 300 s have
    gone by, and a changed body never does."""
    body, sent = BODY.encode("utf-8"), int(TIMESTAMP)
    assert signature_ok(SECRET, TIMESTAMP, EXPECTED, body, sent + 300)
    assert not signature_ok(SECRET, TIMESTAMP, EXPECTED, body, sent + 301)
    assert not signature_ok(SECRET, TIMESTAMP, EXPECTED, body + b"x", sent)


def test_a_body_that_is_not_utf8_is_signed_as_its_bytes():
    body = b"payload=\xff\xfe"  # what the bad-input tests send: the app must refuse it, not the signer
    assert signature_ok(SECRET, TIMESTAMP, sign(SECRET, TIMESTAMP, body), body, int(TIMESTAMP))
