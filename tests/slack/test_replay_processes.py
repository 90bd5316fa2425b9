"""Replays change nothing across replicas (docs/record.md): two `inquirybot serve` processes on one
database receive the same signed request at once, and the same gesture re-signed; one inquiry is
stored, and the other delivery is answered as a replay. (PostgreSQL is the scale-out database; the
test runs on SQLite's shared file as well.)"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import func, select

from bot.rendering import modals as f
from bot.rendering.record import REPLAYED
from inquirybot.slack_standin.signing import signed_headers
from inquirybot.slack_standin.slack import FORM
from storage.models import Inquiry
from tests.slack.harness import SECRET, ServedSlack, checks, text, user, when
from tests.slack.harness import select as option
from tests.slack.serve_process import free_port, served_env, start_serve, wait_until_up


@pytest.fixture
def servers(database_url, sessions, web, clock):
    env = served_env(database_url, web)
    ports = [free_port(), free_port()]
    processes = [start_serve(port, env) for port in ports]
    sims = [ServedSlack(port, web, clock) for port in ports]
    try:
        deadline = time.monotonic() + 40
        for sim, process in zip(sims, processes):
            wait_until_up(sim, process, deadline)
        yield sims
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def stored(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(Inquiry))


def post_to_both(sims, bodies):
    """Each body to its server at the same moment, signed on the system clock (serve's clock)."""
    now = int(time.time())

    def send(pair):
        sim, body = pair
        return sim.request("POST", "/slack/events", body.encode(), signed_headers(SECRET, body, FORM, now))

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(send, zip(sims, bodies)))


def wait_for_logged(web, count: int) -> list[str]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        logged = [
            c["text"]
            for c in web.calls_to("response_url")
            if c.get("text", "").startswith(":white_check_mark:")
        ]
        if len(logged) >= count:
            return logged
        time.sleep(0.1)
    raise AssertionError("no confirmation arrived")


def test_one_signed_request_delivered_to_two_replicas_stores_one(servers, sessions, web):
    body = servers[0].command_body("log email Delivered twice")
    replies = post_to_both(servers, [body, body])
    assert [r.status for r in replies] == [200, 200]
    # The first delivery is confirmed through response_url (the user's zone was not known yet);
    # the other is answered at once as a replay.
    assert sum(r.text == REPLAYED for r in replies) == 1
    assert wait_for_logged(web, 1)[0].startswith(":white_check_mark: Logged *INQ-1*")
    time.sleep(0.5)  # would a second write land late? It must not
    assert stored(sessions) == 1


def test_one_gesture_signed_twice_on_two_replicas_stores_one(servers, sessions, web):
    first = dict(parse_qsl(servers[0].command_body("log email Gesture once")))
    again = urlencode({**first, "text": "log email Gesture again"})  # same trigger_id, another signature
    replies = post_to_both(servers, [urlencode(first), again])
    assert sum(r.text == REPLAYED for r in replies) == 1
    wait_for_logged(web, 1)
    time.sleep(0.5)
    assert stored(sessions) == 1


def test_one_view_submission_delivered_to_two_replicas_stores_one(servers, sessions, web):
    # A double-click on the form's submit, the two copies reaching different replicas: each copy has
    # its own trigger_id and signature, the same view id and hash.
    now = datetime.now(UTC)
    form = f.new_inquiry_modal(user_id="U1", now=now)
    values = {
        f.KIND: option("email"),
        f.SUBJECT: text("Submitted twice"),
        f.CUSTOMER_NAME: text(None),
        f.CUSTOMER_CONTACT: text(None),
        f.RECEIVED: when(now - timedelta(hours=1)),
        f.COMPLEXITY: option("standard"),
        f.NEEDS_RESEARCH: checks(),
        f.ASSIGNEE: user("U1"),
        f.DUE: when(None),
        f.DUE_REASON: text(None),
    }
    payloads = [servers[n].submit_payload(form, values, view_id="VTWICE") for n in (0, 1)]
    payloads[1]["trigger_id"] = payloads[0]["trigger_id"].replace("111.", "222.")
    replies = post_to_both(servers, [urlencode({"payload": json.dumps(p)}) for p in payloads])
    assert [r.status for r in replies] == [200, 200]
    assert [r.text for r in replies] == ["", ""]  # both close the modal; no inline errors
    time.sleep(1.0)  # would a second write land late? It must not
    assert stored(sessions) == 1
