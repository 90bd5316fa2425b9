"""Delivery survives its processes being killed (docs/delivery.md): repeated `kill -9` of `tick`
and of `serve` during a burst of 300 messages gives zero duplicates and zero losses, with the Web
API stand-in answering conversations.history from what it recorded and rate-limiting it as Slack
does for apps outside the Marketplace (1 call per period, 15 messages a page; the period is
shortened here). SIGTERM finishes the message in flight, releases the other claims and exits
within 10 s."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.delivery.outbox import enqueue
from storage.models import OutboxMessage
from storage.session import transaction
from tests.slack.harness import SECRET
from tests.slack.serve_process import CLI

ROOT = Path(__file__).resolve().parents[2]
BURST, PEOPLE = 300, 30
LEASE = 2.0  # seconds (INQUIRYBOT_DELIVERY_LEASE): how soon a dead deliverer's claims are taken over


def seed_burst(sessions, now: datetime) -> set[str]:
    keys = set()
    with transaction(sessions) as s:
        for n in range(BURST):
            key = f"burst:{n}"
            enqueue(
                s,
                key=key,
                team="default",
                kind="reply",
                channel=f"U{n % PEOPLE:03d}",
                text=f"Message {n}",
                now=now,
            )
            keys.add(key)
    return keys


def _env(database_url: str, api_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": api_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "xapp-test",  # `socket`: its WebSocket never connects here; delivery runs anyway
        "INQUIRYBOT_DELIVERY_LEASE": str(LEASE),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("INQUIRYBOT_CONFIG", None)
    return env


STARTED: list[subprocess.Popen] = []


def start(env: dict[str, str], *args: str) -> subprocess.Popen:
    command = [*CLI, *args]
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    STARTED.append(proc)
    return proc


@pytest.fixture(autouse=True)
def _no_process_left_behind():
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def delivered(stand_in) -> Counter[str]:
    with stand_in._lock:  # noqa: SLF001 - the stand-in keeps accepted messages in a dict
        messages = list(stand_in.messages.values())
    return Counter((m.get("metadata") or {}).get("event_payload", {}).get("key") for m in messages)


def statuses(sessions) -> Counter[str]:
    with sessions() as s:
        return Counter(
            dict(s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
        )


def wait_for_posts(stand_in, more_than: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while len(stand_in.calls_to("chat.postMessage")) <= more_than and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.fixture
def burst(stand_in, sessions, database_url):
    stand_in.wall_clock_ts()  # the processes run on the system clock
    stand_in.limit_history(calls=1, per_seconds=0.25, page=15)
    stand_in.post_delay = 0.01
    keys = seed_burst(sessions, datetime.now(UTC))
    return keys, _env(database_url, stand_in.url)


ARGS = {
    "tick": ("tick", "--wait", "30"),
    "serve": ("serve", "--host", "127.0.0.1", "--port", "0"),
    "socket": ("socket",),
}


def test_kill_9_of_tick_and_serve_during_a_burst_loses_nothing_and_sends_nothing_twice(
    burst, stand_in, sessions
):
    keys, env = burst
    rng = random.Random(15)
    kills = 0
    for program in ("tick", "tick", "tick", "serve", "serve"):
        before = len(stand_in.calls_to("chat.postMessage"))
        proc = start(env, *ARGS[program])
        wait_for_posts(stand_in, before + rng.randint(5, 40))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        kills += 1
        time.sleep(LEASE)  # its claims' lease runs out; the next deliverer takes them over
    for _ in range(15):  # cron runs tick until nothing is left
        left = statuses(sessions)
        if set(left) == {"sent"}:
            break
        time.sleep(LEASE if left.get("sending") else 0)
        done = start(env, "tick", "--wait", "10")
        out, err = done.communicate(timeout=120)
        assert done.returncode == 0, err[-2000:]
    assert kills == 5
    sent = delivered(stand_in)
    assert set(sent) == keys, f"lost: {sorted(keys - set(sent))[:5]}"  # zero losses
    assert max(sent.values()) == 1, [k for k, n in sent.items() if n > 1][:5]  # zero duplicates
    assert statuses(sessions) == Counter({"sent": BURST})
    lookups = stand_in.calls_to("conversations.history")
    assert lookups, "the killed deliverers' claims were looked up in Slack before any resend"
    for call in lookups:  # narrow: one conversation, a window, a small page, with metadata
        assert call["oldest"] and call["latest"] and int(call["limit"]) <= 15
        assert 0 < float(call["latest"]) - float(call["oldest"]) < 600, call  # minutes, not the whole history
        assert call["channel"] in {f"DU{n:03d}" for n in range(PEOPLE)}, call
        assert str(call["include_all_metadata"]).lower() in ("1", "true")
    posts = stand_in.calls_to("chat.postMessage")
    metadata = [
        p["metadata"] if isinstance(p["metadata"], dict) else json.loads(p["metadata"]) for p in posts
    ]
    assert {m["event_type"] for m in metadata} == {"inquirybot_outbox"}  # every post carries its key


@pytest.mark.parametrize("program", ["tick", "serve", "socket"])
def test_sigterm_finishes_the_message_in_flight_and_releases_the_rest(burst, stand_in, sessions, program):
    keys, env = burst
    stand_in.post_delay = 0.05
    args = ARGS[program]
    proc = start(env, *args)
    wait_for_posts(stand_in, 20)
    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    out, err = proc.communicate(timeout=30)
    took = time.monotonic() - started
    assert took < 10.0, f"{program} took {took:.1f} s to stop"
    assert "Traceback" not in err, err[-2000:]
    assert proc.returncode == 0, (proc.returncode, err[-2000:])
    left = statuses(sessions)
    assert "sending" not in left, left  # every claim released or recorded
    sent = delivered(stand_in)
    with sessions() as s:
        recorded = set(s.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.status == "sent")))
    assert recorded == set(sent) and max(sent.values()) == 1  # what Slack has is what we recorded
    assert 0 < len(recorded) < BURST and left["pending"] == BURST - len(recorded)


def test_history_lookups_wait_for_retry_after_and_never_resend_blindly(sessions, stand_in):
    """In process: a lost claim, with history rate-limited — the row waits for the lookup."""
    from datetime import timedelta

    from bot.config.loading import config_from_dict
    from bot.delivery.deliverer import Deliverer, DeliveryPolicy
    from bot.time.clock import FixedClock
    from handlers.sender import SlackSender

    stand_in.wall_clock_ts()
    stand_in.limit_history(calls=1, per_seconds=2.0, page=15)
    now = datetime.now(UTC)
    clock = FixedClock(now)
    with transaction(sessions) as s:
        enqueue(s, key="once", team="default", kind="reply", channel="UBOB", text="Hello", now=now)
    config = config_from_dict({"teams": {"default": {"members": ["UBOB"]}}})
    real = SlackSender("xoxb-test", stand_in.url)

    class Dies:
        def send(self, message):
            real.send(message)
            raise SystemExit("killed after Slack accepted it")

    policy = DeliveryPolicy(lease=timedelta(seconds=1))
    with pytest.raises(SystemExit):
        Deliverer(sessions, config, clock, Dies(), policy=policy, sleep=lambda s: None).run_once()
    stand_in.calls_to("conversations.history")
    stand_in._history_calls.append(time.monotonic())  # noqa: SLF001 - the minute's one call is used up
    clock.advance(timedelta(seconds=2))
    d = Deliverer(sessions, config, clock, real, policy=policy, sleep=lambda s: None)
    stats = d.run_once()
    assert (stats.deferred, stats.sent, stats.recovered) == (1, 0, 0)  # 429: waits, does not resend
    with sessions() as s:
        row = s.scalars(select(OutboxMessage)).one()
    assert row.status == "pending" and row.last_error.startswith("no answer (maybe sent)")
    time.sleep(2.1)
    clock.set(row.next_attempt_at)
    stats = d.run_once()
    assert (stats.recovered, stats.sent) == (1, 0)
    assert delivered(stand_in) == Counter({"once": 1})
