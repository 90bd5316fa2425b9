"""The deliverer against the Web API stand-in: retries, Retry-After, backoff, give-up with an admin
notice, pacing, quiet hours, lost claims, live cards, and concurrent deliverers."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.delivery.deliverer import Deliverer, DeliveryPolicy
from bot.delivery.outbox import enqueue
from bot.delivery.sending import Outgoing, SendResult
from bot.lifecycle import InquiryDraft, InquiryService
from bot.lifecycle.cards import live_cards
from bot.time.clock import FixedClock
from handlers.sender import SlackSender
from storage.models import OutboxMessage
from storage.session import transaction
from tests.scheduler.conftest import ALICE, BOB, ESCALATIONS, TEAM_CHANNEL, et, key_of, team_config
from tests.slack.faults import Fault

RATE_LIMITED = Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"})
SERVER_ERROR = Fault(500, {"ok": False, "error": "internal_error"})


@pytest.fixture
def config():
    return team_config()


@pytest.fixture
def clock():
    return FixedClock(et(2026, 3, 10, 10, 0))


def deliverer(sessions, config, clock, stand_in, **policy) -> Deliverer:
    return Deliverer(
        sessions,
        config,
        clock,
        SlackSender("xoxb-test", stand_in.url),
        policy=DeliveryPolicy(**policy),
        sleep=lambda s: None,
        render=live_cards,
    )


def queue(sessions, clock, key, channel=TEAM_CHANNEL, kind="post", text="hello", **kw) -> None:
    with transaction(sessions) as s:
        assert enqueue(s, key=key, team="help", kind=kind, channel=channel, text=text, now=clock.now(), **kw)


def row(sessions, key) -> OutboxMessage:
    with sessions() as s:
        return s.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).one()


def posts(stand_in) -> list[str]:
    return [key_of(p) for p in stand_in.calls_to("chat.postMessage")]


def test_a_message_is_sent_once_and_recorded(sessions, config, clock, stand_in):
    queue(sessions, clock, "k1")
    stats = deliverer(sessions, config, clock, stand_in).run_once()
    assert (stats.sent, posts(stand_in)) == (1, ["k1"])
    sent = row(sessions, "k1")
    assert (sent.status, sent.attempts, sent.sent_at, sent.claimed_by) == ("sent", 1, clock.now(), None)
    assert sent.slack_ts
    assert deliverer(sessions, config, clock, stand_in).run_once().sent == 0


def test_429_waits_retry_after_and_pauses_this_deliverer(sessions, config, clock, stand_in):
    stand_in.fail("chat.postMessage", RATE_LIMITED)
    queue(sessions, clock, "a")
    queue(sessions, clock, "b", channel=ESCALATIONS)
    d = deliverer(sessions, config, clock, stand_in)
    stats = d.run_once()
    assert (stats.sent, stats.retried, stats.deferred) == (0, 1, 1)  # b was not even tried
    assert row(sessions, "a").next_attempt_at >= clock.now() + timedelta(seconds=7)
    clock.advance(timedelta(seconds=6))
    assert d.run_once().sent == 0
    clock.advance(timedelta(seconds=2))
    assert d.run_once().sent == 2
    assert sorted(posts(stand_in)) == ["a", "a", "b"]  # the refused attempt, then each once


def test_5xx_backs_off_exponentially_with_jitter(sessions, config, clock, stand_in):
    stand_in.fail("chat.postMessage", SERVER_ERROR, SERVER_ERROR, SERVER_ERROR)
    queue(sessions, clock, "k")
    d = deliverer(sessions, config, clock, stand_in, backoff_base=2.0)
    delays = []
    while row(sessions, "k").status != "sent":
        d.run_once()
        r = row(sessions, "k")
        if r.status == "pending":
            delays.append((r.next_attempt_at - clock.now()).total_seconds())
            clock.set(r.next_attempt_at)
    assert 1 <= delays[0] <= 2 and 2 <= delays[1] <= 4 and 4 <= delays[2] <= 8
    assert row(sessions, "k").attempts == 4 and posts(stand_in).count("k") == 4


def test_gives_up_after_a_bounded_time_logs_and_tells_the_admins(sessions, config, clock, stand_in, caplog):
    stand_in.fail("chat.postMessage", *[SERVER_ERROR] * 200)
    queue(sessions, clock, "doomed", channel=BOB)
    d = deliverer(sessions, config, clock, stand_in, give_up_after=timedelta(minutes=10), backoff_max=60)
    with caplog.at_level(logging.ERROR, logger="inquirybot.delivery"):
        for _ in range(100):
            d.run_once()
            r = row(sessions, "doomed")
            if r.status == "failed":
                break
            clock.set(r.next_attempt_at)
    assert r.status == "failed" and "500" in r.last_error
    assert clock.now() - et(2026, 3, 10, 10, 0) <= timedelta(minutes=12)
    assert any("failed for good" in m for m in caplog.messages)
    notice = row(sessions, f"undeliverable:{r.id}:UADMIN")
    assert notice.kind == "admin_notice" and notice.channel == "UADMIN" and "doomed" in notice.text
    stand_in.reset()  # Slack recovers; the notice (itself retried meanwhile) goes out
    clock.set(max(clock.now(), row(sessions, notice.dedupe_key).next_attempt_at))
    d.run_once()
    assert posts(stand_in) == [notice.dedupe_key]


def test_a_permanent_error_fails_at_once(sessions, config, clock, stand_in):
    stand_in.fail("chat.postMessage", Fault(200, {"ok": False, "error": "channel_not_found"}))
    queue(sessions, clock, "gone", channel="CGONE")
    stats = deliverer(sessions, config, clock, stand_in).run_once()
    assert stats.failed == 1
    r = row(sessions, "gone")
    assert (r.status, r.attempts, r.last_error) == ("failed", 1, "Slack said channel_not_found")


def test_sends_are_paced_per_channel(sessions, config, clock, stand_in):
    for n in range(3):
        queue(sessions, clock, f"esc{n}", channel=ESCALATIONS)
    queue(sessions, clock, "team", channel=TEAM_CHANNEL)
    d = deliverer(sessions, config, clock, stand_in, pace=1.0)
    assert d.run_once().sent == 2  # one per channel
    assert sorted(posts(stand_in)) == ["esc0", "team"]
    assert d.run_once().sent == 0  # same instant: the channel is still hot
    clock.advance(timedelta(seconds=1))
    assert d.run_once().sent == 1
    clock.advance(timedelta(seconds=1))
    assert d.run_once().sent == 1
    assert posts(stand_in) == ["esc0", "team", "esc1", "esc2"]


def test_scheduled_kinds_wait_for_the_recipients_opening(sessions, config, clock, stand_in):
    clock.set(et(2026, 3, 10, 18, 30))
    queue(sessions, clock, "late-nudge", channel=BOB, kind="nudge")
    queue(sessions, clock, "reply", channel=TEAM_CHANNEL, kind="absence_notice")
    d = deliverer(sessions, config, clock, stand_in)
    d.run_once()
    assert posts(stand_in) == ["reply"]  # a reply to someone's message goes at once
    assert row(sessions, "late-nudge").next_attempt_at == et(2026, 3, 11, 9, 0)
    clock.set(et(2026, 3, 11, 9, 0))
    d.run_once()
    assert posts(stand_in) == ["reply", "late-nudge"]


class _DiesAfterSending:
    """A sender whose process 'dies' right after Slack accepted the message."""

    def __init__(self, real: SlackSender):
        self.real = real

    def send(self, message: Outgoing):
        self.real.send(message)
        raise SystemExit("killed between Slack's answer and the database write")


# The stand-in's message ts are 1700000001… (14 Nov 2023 22:13:21 UTC, counted afresh in each
# test) and conversations.history honours `oldest` and `latest`, so these tests run at that moment.
NOV_2023 = datetime(2023, 11, 14, 22, 13, tzinfo=UTC)


@pytest.mark.parametrize("history", [True, False], ids=["history-readable", "no-history-scope"])
def test_a_claim_lost_mid_send(sessions, config, stand_in, history):
    clock = FixedClock(NOV_2023)
    queue(sessions, clock, "once", channel=BOB)
    real = SlackSender("xoxb-test", stand_in.url)
    with pytest.raises(SystemExit):
        Deliverer(sessions, config, clock, _DiesAfterSending(real), sleep=lambda s: None).run_once()
    assert row(sessions, "once").status == "sending"
    clock.advance(timedelta(minutes=6))  # the lease (5 minutes) ran out
    if not history:
        stand_in.fail("conversations.history", Fault(200, {"ok": False, "error": "missing_scope"}))
    stats = Deliverer(
        sessions, config, clock, SlackSender("xoxb-test", stand_in.url), sleep=lambda s: None
    ).run_once()
    assert row(sessions, "once").status == "sent"
    if history:  # found by its metadata key in Slack: recorded, not resent
        assert (stats.recovered, posts(stand_in)) == (1, ["once"])
    else:  # cannot tell: at-least-once, the README says so
        assert (stats.sent, posts(stand_in)) == (1, ["once", "once"])


class _AnswerLost:
    """Slack posts the message, but the answer never reaches us (a read timeout)."""

    def __init__(self, real: SlackSender):
        self.real = real

    def send(self, message: Outgoing):
        self.real.send(message)
        return SendResult.retry("TimeoutError: timed out", maybe_sent=True)


def test_a_send_without_an_answer_is_looked_up_before_it_is_retried(sessions, config, stand_in):
    clock = FixedClock(NOV_2023)
    queue(sessions, clock, "once", channel=BOB)
    real = SlackSender("xoxb-test", stand_in.url)
    Deliverer(sessions, config, clock, _AnswerLost(real), sleep=lambda s: None).run_once()
    assert row(sessions, "once").last_error.startswith("no answer (maybe sent)")
    clock.set(row(sessions, "once").next_attempt_at)
    stats = Deliverer(sessions, config, clock, real, sleep=lambda s: None).run_once()
    assert (stats.recovered, posts(stand_in), row(sessions, "once").status) == (1, ["once"], "sent")


def test_the_card_is_rendered_at_delivery_time(sessions, config, clock, stand_in):
    service = InquiryService(sessions, config, clock)
    inq = service.log(actor=ALICE, draft=InquiryDraft(kind="email", subject="Card", assignee=BOB))
    service.acknowledge(actor=BOB, inquiry_id=inq.id)  # before the "assigned" DM went out
    deliverer(sessions, config, clock, stand_in).run_once()
    (dm,) = stand_in.calls_to("chat.postMessage")
    buttons = [e["text"]["text"] for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "Post update" in buttons and "Acknowledge" not in buttons
    assert dm["blocks"][0]["text"]["text"] == dm["text"]  # the message's own words head the card


def test_two_deliverers_at_once_send_each_row_once(sessions, config, clock, stand_in):
    for n in range(120):
        queue(sessions, clock, f"m{n}", channel=f"U{n:04d}")
    workers = [deliverer(sessions, config, clock, stand_in, batch=10) for _ in range(2)]
    threads = [threading.Thread(target=w.run_once) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = posts(stand_in)
    assert sorted(sent) == sorted(f"m{n}" for n in range(120))


def test_sender_maps_slack_and_network_faults(stand_in):
    sender = SlackSender("xoxb-test", stand_in.url)
    msg = Outgoing(1, "k", "post", TEAM_CHANNEL, "hi")
    stand_in.fail(
        "chat.postMessage",
        RATE_LIMITED,
        Fault(503, {"ok": False, "error": "service_unavailable"}),
        Fault(200, {"ok": False, "error": "invalid_auth"}),
        Fault(200, {"ok": False, "error": "is_archived"}),
    )
    limited = sender.send(msg)
    assert (limited.outcome, limited.retry_after, limited.rate_limited) == ("retry", 7.0, True)
    assert sender.send(msg).outcome == "retry"
    assert sender.send(msg).outcome == "retry"  # fixable by an admin: keep trying until give-up
    assert sender.send(msg).outcome == "failed"
    assert sender.send(msg).outcome == "sent"


def test_a_timeout_is_retried():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/api/"
        result = SlackSender("xoxb-test", url, timeout=1).send(Outgoing(1, "k", "post", TEAM_CHANNEL, "hi"))
    finally:
        silent.close()
    assert result.outcome == "retry" and "timed out" in result.error.lower() and result.maybe_sent
