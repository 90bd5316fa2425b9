"""Replays and races over real HTTP, on one served app: a slash command Slack delivers again
(X-Slack-Retry-Num, the same body re-signed, or the very same request) logs one inquiry; two
supervisors deciding one dispute at once store one decision; two disputes of one outcome sent at
once store one dispute (docs/record.md, docs/outcomes.md)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bot.lifecycle.outcome_job import decide_fallen
from bot.rendering.record import REPLAYED
from inquirybot.slack_standin.signing import signed_headers
from inquirybot.slack_standin.slack import FORM, Response
from storage.models import Event, Inquiry, Outcome, OutcomeDispute
from tests.slack.helpers import count, know_zone


def at_once(*sends: Callable[[], Response]) -> list[Response]:
    """Each request from its own thread, released together."""
    gate = threading.Barrier(len(sends))

    def go(send: Callable[[], Response]) -> Response:
        gate.wait()
        return send()

    with ThreadPoolExecutor(len(sends)) as pool:
        return list(pool.map(go, sends))


def test_a_slash_command_slack_delivers_again_logs_one_inquiry(slack, web, served, runtime, clock):
    know_zone(slack, web, "U1")
    body = slack.command_body("log email Export license status")
    first = slack.post(body, FORM)
    assert first.text.startswith(":white_check_mark: Logged *INQ-1*")
    clock.set(clock.now() + timedelta(seconds=4))  # Slack's retry: the same body, signed again
    for retry in ("1", "2"):
        again = slack.post(
            body, FORM, extra={"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        )
        assert again.status == 200 and again.text == REPLAYED, again.text
    same = signed_headers(slack.secret, body, FORM, slack.now())
    for _ in range(2):  # the very same signed request, twice more
        assert slack.send(body.encode(), same).text == REPLAYED
    served.settle()
    assert count(runtime, Inquiry) == 1
    assert slack.command("list mine").text == "Your open inquiries: 1."


def test_a_slash_command_delivered_twice_at_once_logs_one_inquiry(slack, web, served, runtime):
    know_zone(slack, web, "U1")
    body = slack.command_body("log email Delivered twice at once")
    retried = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    answers = at_once(lambda: slack.post(body, FORM), lambda: slack.post(body, FORM, extra=retried))
    assert sorted(a.text == REPLAYED for a in answers) == [False, True], [a.text for a in answers]
    served.settle()
    assert count(runtime, Inquiry) == 1


def missed(slack, web, runtime, clock) -> None:
    for person in ("U1", "S1", "UADMIN"):
        know_zone(slack, web, person)
    slack.command("log email Export license status")  # Wed 10:00, due Thu 17:00
    clock.set(clock.now() + timedelta(days=2))
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 1


def test_two_decisions_on_one_dispute_sent_at_once_store_one(slack, web, served, runtime, clock):
    missed(slack, web, runtime, clock)
    slack.command("dispute INQ-1 I answered by phone", user="U1")
    facts, disputes = count(runtime, Outcome), count(runtime, OutcomeDispute)
    answers = at_once(
        lambda: slack.command("uphold INQ-1 no call in the phone log", user="S1"),
        lambda: slack.command("void INQ-1 the phone log shows the call", user="UADMIN"),
    )
    served.settle()
    decided = [a.text for a in answers if a.text.startswith((":scales: Upheld", ":wastebasket: Voided"))]
    refused = [a.text for a in answers if "no open dispute" in a.text]
    assert len(decided) == 1 and len(refused) == 1, [a.text for a in answers]
    assert "already" in refused[0]  # names who decided first
    assert count(runtime, OutcomeDispute) == disputes + 1
    voided = decided[0].startswith(":wastebasket:")
    assert count(runtime, Outcome) == facts + (1 if voided else 0)  # one void fact, or none


def test_two_disputes_of_one_outcome_sent_at_once_store_one(slack, web, served, runtime, clock):
    missed(slack, web, runtime, clock)
    events, disputes = count(runtime, Event), count(runtime, OutcomeDispute)
    answers = at_once(
        lambda: slack.command("dispute INQ-1 I answered by phone", user="U1"),
        lambda: slack.command("dispute INQ-1 the customer confirms my call", user="U1"),
    )
    served.settle()
    texts = [a.text for a in answers]
    assert sum(t.startswith(":speech_balloon: You disputed") for t in texts) == 1, texts
    assert sum("you already disputed INQ-1" in t for t in texts) == 1, texts
    assert count(runtime, OutcomeDispute) == disputes + 1
    assert count(runtime, Event) == events
