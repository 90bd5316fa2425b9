"""The served app over real HTTP, a Web API stand-in, signed requests, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.config.runtime import Runtime
from bot.time.clock import FixedClock
from tests.slack.faults import FaultyWebApi
from tests.slack.harness import ServedApp, ServedSlack
from tests.slack.helpers import know_zone, runtime_with

START = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # Wednesday 10:00 in New York
CONFIG = {
    "admins": ["UADMIN"],
    "teams": {
        "desk": {
            "timezone": "America/New_York",
            "members": ["U1", "U2", "U3"],
            "supervisors": ["S1"],
            "specialists": ["U3"],
            "channel": "CTEAM",
            "escalation_channel": "CESC",
        }
    },
}


@pytest.fixture(scope="session")
def stand_in() -> Iterator[FaultyWebApi]:
    server = FaultyWebApi().start()
    yield server
    server.stop()


@pytest.fixture
def web(stand_in: FaultyWebApi) -> FaultyWebApi:
    stand_in.reset()
    stand_in.add_user("U1", tz="America/New_York", name="alice")
    stand_in.add_user("U2", tz="America/Los_Angeles", name="bob")
    stand_in.add_user("U3", tz="America/Chicago", name="carol")
    stand_in.add_user("S1", tz="America/New_York", name="sam")
    return stand_in


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def runtime(database_url, engine, sessions, clock, web) -> Runtime:
    return runtime_with(CONFIG, database_url, engine, sessions, clock, web)


@pytest.fixture
def served(runtime, request) -> Iterator[ServedApp]:
    """As `inquirybot serve` runs it (Bolt answers from the request thread); a test may ask for
    Bolt's default mode with @pytest.mark.parametrize("served", [False], indirect=True)."""
    app = ServedApp(runtime, process_before_response=getattr(request, "param", True))
    yield app
    app.stop()


@pytest.fixture
def slack(served, web, clock) -> ServedSlack:
    return ServedSlack(served.port, web, clock)


@pytest.fixture
def say(slack, web, served):
    """`/inquiry <text>` typed by `as_`, whose zone the app already knows: the reply rides on the ack."""

    def run(command: str, as_: str = "U1"):
        served.settle()  # zones learned after an earlier command are stored
        know_zone(slack, web, as_)
        return slack.command(command, user=as_)

    return run


@pytest.fixture
def deliver(runtime, web, served):
    """Run the outbox deliverer once (what the in-process scheduler does after a change), after the
    app's post-acknowledgement work has finished."""
    from handlers.sender import SlackSender
    from inquirybot.bootstrap import build_deliverer

    deliverer = build_deliverer(runtime, SlackSender("xoxb-test", web.url))

    def run():
        served.settle()
        return deliverer.run_once()

    return run
