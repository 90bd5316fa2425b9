"""The served app over HTTP: health, signature checks (Slack's v0 scheme, 5-minute window), and
the first /inquiry round trip."""

from __future__ import annotations

import pytest

from inquirybot.slack_standin.slack import FORM
from storage.models import Event, Inquiry
from tests.slack.helpers import count


def test_healthz(slack):
    response = slack.request("GET", "/healthz")
    assert response.status == 200 and response.json() == {"ok": True}
    assert slack.request("GET", "/nowhere").status == 404


@pytest.mark.parametrize(
    "served", [True, False], ids=["ack-in-request-thread", "bolt-default"], indirect=True
)
def test_log_replies_with_the_id_and_the_deadline_in_my_zone(slack, runtime, web):
    response = slack.command(
        "log email Export license status; from Jane Doe &lt;<mailto:jane@example.gov|jane@example.gov>&gt;",
        user="U2",
    )
    # U2 is new to us: acknowledged at once, the answer follows through response_url once users.info told us the zone
    assert response.status == 200
    [reply] = web.wait_for("response_url")
    assert reply["text"].startswith(
        ":white_check_mark: Logged *INQ-1* for you — first response due Thu 5 Mar 2026, 2:00 PM PST"
    )
    assert reply["response_type"] == "ephemeral"
    assert web.calls_to("users.info")[0]["user"] == "U2"
    # Second time the zone is cached: the reply rides on the acknowledgement itself
    second = slack.command("log phone Call back about permit", user="U2")
    assert second.status == 200 and second.json()["response_type"] == "ephemeral"
    assert second.text.startswith(":white_check_mark: Logged *INQ-2* for you — first response due")
    assert "PST" in second.text
    assert len(web.calls_to("users.info")) == 1
    assert count(runtime, Inquiry) == 2


def test_forged_unsigned_and_stale_requests_get_401_and_store_nothing(slack, runtime, clock):
    body = slack.command_body("log email Forged request")
    now = slack.now()
    forged = slack.post(body, FORM, extra={"X-Slack-Signature": "v0=" + "0" * 64})
    unsigned = slack.post(body, FORM, sign=False)
    stale = slack.post(body, FORM, timestamp=now - 301)
    future = slack.post(body, FORM, timestamp=now + 301)
    for response in (forged, unsigned, stale, future):
        assert response.status == 401 and response.json() == {"error": "invalid request"}
    assert count(runtime, Inquiry) == 0 and count(runtime, Event) == 0


def test_exactly_five_minutes_old_still_passes(slack, runtime, web):
    slack.command("help", user="U1")  # learn U1's zone first so the next reply rides on the ack
    web.wait_for("response_url")
    response = slack.post(slack.command_body("log email Just in time"), FORM, timestamp=slack.now() - 300)
    assert response.status == 200 and "Logged *INQ-1*" in response.text
