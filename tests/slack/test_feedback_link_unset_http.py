"""Without INQUIRYBOT_PUBLIC_URL there is no public address to give a customer, so no feedback link
is shown anywhere, and `/inquiry link` says what to set (docs/customer-feedback.md)."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import CustomerFeedbackLink
from tests.slack.helpers import know_zone, text_of


def test_no_public_address_no_link_and_link_says_what_to_set(slack, web, runtime):
    assert runtime.settings.public_url is None
    know_zone(slack, web, "U1")
    slack.command("log email Export license status")
    ack = slack.command("ack INQ-1")
    assert ack.text.startswith(":white_check_mark: Acknowledged *INQ-1*")
    for shown in (
        ack.text,
        text_of(ack.json()["blocks"]),
        text_of(slack.command("show INQ-1").json()["blocks"]),
    ):
        assert "/feedback/" not in shown and "feedback link" not in shown
    asked = slack.command("link INQ-1")
    assert asked.text.startswith(":warning: ") and "INQUIRYBOT_PUBLIC_URL is not set" in asked.text
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(CustomerFeedbackLink)) == 0
