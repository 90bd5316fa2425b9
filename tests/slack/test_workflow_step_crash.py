"""`kill -9` of `inquirybot serve` in the middle of a Workflow Builder step, then Slack's retry of
the same `function_executed` event (same event_id, X-Slack-Retry-Num: 1) to a new `serve`: exactly
one inquiry is logged and the step is completed with it (docs/faults.md). Before, the event id was
recorded as seen in its own transaction first, so the retry was dropped as a repeat: killed before
the inquiry was stored, none was logged; killed after, the step never completed."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from inquirybot.slack_standin.signing import signed_headers
from storage.models import Inquiry
from storage.refs import inquiry_ref
from tests.slack.faults import LATE, Fault
from tests.slack.harness import SECRET, ServedSlack
from tests.slack.serve_process import free_port, served_env, start_serve, wait_until_up

BODY = (Path(__file__).parent / "samples" / "function_executed_log_inquiry.json").read_text()


@pytest.fixture
def serve(database_url, web, clock):
    """Starts an `inquirybot serve` on the test database; each is killed at the end if still up."""
    web.add_bot("xoxb-test", team="T111", enterprise="E111")  # the sample's workspace
    env = served_env(database_url, web)
    started = []

    def start():
        port = free_port()
        process = start_serve(port, env)
        sim = ServedSlack(port, web, clock)
        started.append(process)
        wait_until_up(sim, process, time.monotonic() + 40)
        return sim, process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=20)


def deliver(sim: ServedSlack, retry: int | None = None):
    """The sample event, signed on the system clock (serve's); a retry carries Slack's headers."""
    headers = signed_headers(SECRET, BODY, "application/json", int(time.time()))
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_error"}
    return sim.request("POST", "/slack/events", BODY.encode(), headers)


def deliver_in_background(sim: ServedSlack) -> None:
    """The first delivery, whose answer never comes: serve is killed while it works."""

    def send():
        try:
            deliver(sim)
        except OSError:  # the connection dies with the process
            pass

    threading.Thread(target=send, daemon=True).start()


def until(condition, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen"
        time.sleep(0.05)


def logged(sessions) -> list[int]:
    with sessions() as s:
        return list(s.scalars(select(Inquiry.id).where(Inquiry.workflow_execution_id == "Fx111")))


def completed(web) -> list[str]:
    return [
        c["outputs"]["inquiry_id"]
        for c in web.calls_to("functions.completeSuccess")
        if c.get("function_execution_id") == "Fx111"
    ]


def retry_after_the_kill(serve, web, sessions) -> None:
    sim, _ = serve()
    assert deliver(sim, retry=1).status == 200
    until(lambda: completed(web)[-1:] == [inquiry_ref(i) for i in logged(sessions)], "the step's completion")
    [inquiry] = logged(sessions)
    assert completed(web)[-1] == inquiry_ref(inquiry)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Inquiry)) == 1
    assert web.calls_to("functions.completeError") == []


def test_killed_after_logging_before_the_step_completed(serve, web, sessions):
    """The inquiry is stored; serve dies while functions.completeSuccess waits for Slack's answer.
    The retry finds the stored inquiry and completes the step with it."""
    web.fail("functions.completeSuccess", Fault(LATE, delay=30))
    sim, process = serve()
    deliver_in_background(sim)
    until(lambda: len(web.calls_to("functions.completeSuccess")) == 1, "the first completion attempt")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert len(logged(sessions)) == 1
    retry_after_the_kill(serve, web, sessions)
    assert len(web.calls_to("functions.completeSuccess")) == 2


def test_killed_before_the_inquiry_was_stored(serve, web, sessions, engine):
    """serve dies while its INSERT of the inquiry waits on a lock the test holds (after the event
    reached the step, before anything of it was committed). The retry logs it, once."""
    if engine.dialect.name != "postgresql":
        pytest.skip("a table lock another process waits on, mid-transaction: PostgreSQL")
    sim, process = serve()
    with engine.connect() as holder:
        holder.execute(text("LOCK TABLE inquiries IN EXCLUSIVE MODE"))
        waiting = text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'inquiries'::regclass")

        def blocked() -> bool:
            with engine.connect() as c:
                return bool(c.scalar(waiting))

        deliver_in_background(sim)
        until(blocked, "serve's INSERT waiting on the lock")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        holder.rollback()
    assert logged(sessions) == [] and web.calls_to("functions.completeSuccess") == []
    retry_after_the_kill(serve, web, sessions)
    assert len(web.calls_to("functions.completeSuccess")) == 1
