"""A busy or unavailable database (docs/faults.md "A busy database"): a second process holds the
lock, and the command answers "busy — nothing was stored" well inside Slack's 3 s and stores
nothing; /healthz answers within a second. On PostgreSQL also: backends ended under the app."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
from sqlalchemy import text as sql

from bot.config.runtime import Runtime
from storage.models import Inquiry
from storage.session import make_engine, normalize_url, session_factory
from tests.slack.harness import ServedApp, ServedSlack
from tests.slack.helpers import count, know_zone, snapshot

HOLD = textwrap.dedent("""
    import sys, time
    from sqlalchemy import create_engine, text
    url, seconds = sys.argv[1], float(sys.argv[2])
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            conn.connection.dbapi_connection.isolation_level = None
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(text("LOCK TABLE inquiries, events, outbox IN ACCESS EXCLUSIVE MODE"))
        print("locked", flush=True)
        time.sleep(seconds)
        conn.rollback()
""")


@pytest.fixture
def lock_holder(database_url):
    """Start a second process that holds the database's write lock (SQLite) or the tables' locks
    (PostgreSQL) for `seconds`."""
    started: list[subprocess.Popen] = []

    def hold(seconds: float) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, database_url, str(seconds)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "locked"
        started.append(proc)
        return proc

    yield hold
    for proc in started:
        proc.kill()
        proc.wait(10)


def test_a_command_on_a_locked_database_says_busy_and_stores_nothing(slack, web, runtime, lock_holder):
    know_zone(slack, web, "U1")
    before = snapshot(runtime)
    holder = lock_holder(20)
    started = time.monotonic()
    response = slack.command("log email Permit renewal")
    took = time.monotonic() - started
    assert response.status == 200
    assert "busy — nothing was stored, please try again" in response.text
    assert took < 3.0, f"answered after {took:.1f} s; Slack gives up at 3 s"
    health_started = time.monotonic()
    health = slack.request("GET", "/healthz")
    assert time.monotonic() - health_started < 1.0
    assert health.status in (200, 503)
    holder.kill()
    holder.wait(10)
    assert snapshot(runtime) == before  # nothing landed after the user was told it did not
    again = slack.command("log email Permit renewal")
    assert "Logged *INQ-1*" in again.text
    assert count(runtime, Inquiry) == 1


def test_several_commands_at_once_on_a_locked_database_all_answer_in_time(slack, web, runtime, lock_holder):
    from concurrent.futures import ThreadPoolExecutor

    know_zone(slack, web, "U1")
    lock_holder(15)
    started = time.monotonic()
    with ThreadPoolExecutor(5) as pool:
        replies = list(pool.map(lambda n: slack.command(f"log email Item {n}"), range(5)))
    took = time.monotonic() - started
    assert all("nothing was stored" in r.text for r in replies), [r.text for r in replies]
    assert took < 3.0, f"the last answer came after {took:.1f} s"


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never says a word: a hung database server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


@pytest.mark.parametrize("how", ["refused", "silent"])
def test_healthz_answers_within_a_second_when_the_database_is_unreachable(clock, web, silent_server, how):
    from bot.config.loading import config_from_dict
    from bot.config.settings import Settings
    from tests.slack.conftest import CONFIG
    from tests.slack.harness import SECRET

    port = 1 if how == "refused" else silent_server  # nothing listens on port 1
    url = f"postgresql://postgres@127.0.0.1:{port}/nowhere"
    engine = make_engine(url)
    settings = Settings(
        database_url=url, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=web.url
    )
    served = ServedApp(Runtime(settings, config_from_dict(CONFIG), engine, session_factory(engine), clock))
    try:
        sim = ServedSlack(served.port, web, clock)
        started = time.monotonic()
        response = sim.request("GET", "/healthz")
        assert time.monotonic() - started < 1.0
        assert response.status == 503 and response.json()["ok"] is False
        started = time.monotonic()  # asked again while the first probe may still hang: still prompt
        assert sim.request("GET", "/healthz").status == 503
        assert time.monotonic() - started < 1.0
    finally:
        served.stop()
        engine.dispose()


def test_postgres_backends_ended_under_the_app_never_cost_a_command(database_url, sessions, clock, web):
    if not database_url.startswith("postgres"):
        pytest.skip("PostgreSQL only: pg_terminate_backend")
    from bot.config.loading import config_from_dict
    from bot.config.settings import Settings
    from tests.slack.conftest import CONFIG
    from tests.slack.harness import SECRET

    name = f"inquirybot-{uuid.uuid4().hex[:8]}"
    url = normalize_url(database_url).update_query_dict({"application_name": name}).render_as_string(False)
    engine = make_engine(url)
    settings = Settings(
        database_url=url, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=web.url
    )
    runtime = Runtime(settings, config_from_dict(CONFIG), engine, session_factory(engine), clock)
    served = ServedApp(runtime)
    admin = make_engine(database_url)
    try:
        slack = ServedSlack(served.port, web, clock)
        know_zone(slack, web, "U1")
        assert "Logged" in slack.command("log email First").text
        with admin.connect() as conn:
            ended = conn.execute(
                sql(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :n"
                ),
                {"n": name},
            ).scalar()
        assert ended >= 1
        reply = slack.command("log email Second").text
        assert "Logged" in reply or "nothing was stored" in reply, reply
        assert "Something went wrong" not in reply
        final = slack.command("log email Third").text
        assert "Logged" in final, final
    finally:
        served.stop()
        engine.dispose()
        admin.dispose()


def test_a_reply_dm_that_cannot_be_queued_on_a_locked_database_goes_directly(
    slack, web, served, runtime, clock, lock_holder, deliver
):
    """The ephemeral confirmation refused, and the database locked when its DM is to be queued in
    the outbox: the DM is sent directly instead (once), rather than lost."""
    from tests.slack.faults import Fault
    from tests.slack.test_web_api_faults_http import in_dm, logged_from_the_form

    web.fail("chat.postEphemeral", Fault(500, {"ok": False, "error": "internal_error"}, delay=3))
    assert logged_from_the_form(slack, web, clock).status == 200
    holder = lock_holder(8)  # taken while the ephemeral waits for its answer
    served.executor.settle(timeout=15)
    holder.kill()
    holder.wait(10)
    [dm] = in_dm(web, "U1")
    assert dm["text"].startswith(":white_check_mark: Logged *INQ-1*")
    deliver()
    assert len(in_dm(web, "U1")) == 1
