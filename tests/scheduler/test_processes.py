"""Several `inquirybot tick` processes at once against one database and the Web API stand-in:
every due nudge is delivered exactly once — also while Slack answers 429 and 500 for a while.

PostgreSQL: 4 processes, 10,000 due nudges. SQLite: 2 processes, 600 (BEGIN IMMEDIATE serialises
the writers; the point is that they still never double-send).
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from storage.models import Event, Inquiry, OutboxMessage
from tests.scheduler.conftest import et
from tests.slack.faults import Fault
from tests.slack.serve_process import CLI

ROOT = Path(__file__).resolve().parents[2]
NOW = et(2026, 3, 10, 10, 0)  # Tuesday 10:00 in New York: open
RECEIVED = et(2026, 3, 9, 9, 0)  # Monday 09:00; due COB Tuesday; the 50% nudge fell due Mon 17:00
FAULT_PAIRS = 15  # "for a while": the first 30 chat.postMessage calls answer 429 (Retry-After: 1) or 500


def seed_due_inquiries(engine, count: int) -> None:
    rows = [
        {
            "team": "default",
            "kind": "email",
            "subject": f"Inquiry {n}",
            "received_at": RECEIVED,
            "logged_at": RECEIVED,
            "logged_by": "ULOGGER",
            "assignee": f"U{n:06d}",
            "complexity": "standard",
            "needs_research": False,
            "status": "open",
            "policy": "department",
            "rule": "1 business day",
            "first_response_due": et(2026, 3, 10, 17, 0),
            "escalation_level": 0,
            "escalated": False,
            "reassignments": 0,
            "next_action_at": RECEIVED,
        }
        for n in range(count)
    ]
    with engine.begin() as conn:
        conn.execute(insert(Inquiry), rows)


def run_ticks(
    database_url: str, api_url: str, processes: int, now: datetime
) -> list[subprocess.CompletedProcess]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_API_URL": api_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("INQUIRYBOT_CONFIG", None)
    command = [
        *CLI,
        "tick",
        "--now",
        now.isoformat(),
        "--wait",
        "10",
    ]
    started = [
        subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(processes)
    ]
    done = []
    for proc in started:
        out, err = proc.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def delivered_keys(stand_in) -> Counter[str]:
    """Keys of the messages Slack accepted (refused attempts are calls, not messages)."""
    with stand_in._lock:  # noqa: SLF001 - the stand-in keeps accepted messages in a dict
        messages = list(stand_in.messages.values())
    return Counter((m.get("metadata") or {}).get("event_payload", {}).get("key") for m in messages)


@pytest.fixture
def scale(engine):
    return (4, 10_000) if engine.dialect.name == "postgresql" else (2, 600)


@pytest.mark.parametrize("faults", [False, True], ids=["slack-healthy", "slack-429-and-500-for-a-while"])
def test_concurrent_ticks_deliver_each_nudge_exactly_once(
    database_url, engine, sessions, stand_in, scale, faults
):
    processes, count = scale
    seed_due_inquiries(engine, count)
    if faults:
        rate_limited = Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
        server_error = Fault(500, {"ok": False, "error": "internal_error"})
        stand_in.fail("chat.postMessage", *[rate_limited, server_error] * FAULT_PAIRS)  # the first calls
    for minute in range(5):  # cron would run again each minute until nothing is left
        results = run_ticks(database_url, stand_in.url, processes, NOW + timedelta(minutes=minute))
        for r in results:
            assert r.returncode == 0, r.stderr[-2000:]
        with sessions() as s:
            left = s.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
            )
        if not left:
            break
    delivered = delivered_keys(stand_in)
    due = et(2026, 3, 10, 17, 0).astimezone(UTC).isoformat()
    expected = {f"inq:{n}:nudge_half:{due}:assignee" for n in range(1, count + 1)}
    assert set(delivered) == expected  # none lost, none extra
    assert max(delivered.values()) == 1  # none twice
    with sessions() as s:
        assert (
            s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent"))
            == count
        )
        assert s.scalar(select(func.count()).select_from(Event).where(Event.type == "reminded")) == count
        # Every inquiry now waits for its next step (1 business hour before the deadline).
        assert s.scalar(select(func.min(Inquiry.next_action_at))) == et(2026, 3, 10, 16, 0)
    if faults:
        refused = len(stand_in.calls_to("chat.postMessage")) - count
        assert refused == 2 * FAULT_PAIRS  # every fault was met, and each refused send was retried
