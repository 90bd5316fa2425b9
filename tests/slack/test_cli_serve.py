"""`inquirybot serve` and `inquirybot socket` as a user starts them: a real process, real settings
from the environment, waitress on a free port, the in-process scheduler delivering the DM."""

from __future__ import annotations

import re
import socket
import subprocess
import time

import pytest

from inquirybot.slack_standin.signing import signed_headers
from inquirybot.slack_standin.slack import FORM
from tests.slack.harness import SECRET, Response, ServedSlack
from tests.slack.serve_process import CLI, free_port, served_env, start_serve, wait_until_up


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def env(database_url, sessions, web) -> dict[str, str]:
    return served_env(database_url, web)


def test_serve_answers_slack_and_the_scheduler_sends_the_dm(env, web, clock):
    env = {**env, "INQUIRYBOT_PUBLIC_URL": "https://feedback.example.gov"}
    port = free_port()
    process = start_serve(port, env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        sim = ServedSlack(port, web, clock)
        wait_until_up(sim, process, time.monotonic() + 30)
        body = sim.command_body("log email From the real server; assign <@U2|bob>")
        now = int(time.time())  # the server runs on the system clock
        headers = signed_headers(SECRET, body, "application/x-www-form-urlencoded", now)
        response: Response = sim.request("POST", "/slack/events", body.encode(), headers)
        assert response.status == 200
        reply = web.wait_for("response_url")[0]  # U1's zone was not known yet
        assert reply["text"].startswith(":white_check_mark: Logged *INQ-1* for <@U2>")
        dm = None
        deadline = time.monotonic() + 20
        while dm is None and time.monotonic() < deadline:
            dm = next(iter(web.dms_to("U2")), None)
            time.sleep(0.1)
        assert dm is not None and dm["text"].startswith("INQ-1 is now yours (from <@U1>)")
        forged = sim.request(
            "POST", "/slack/events", body.encode(), {**headers, "X-Slack-Signature": "v0=00"}
        )
        assert forged.status == 401
        # The customer's feedback page is served by the same process, at the link bob's answer carries.
        ack = sim.command_body("ack INQ-1", user="U2")
        answered = sim.request(
            "POST", "/slack/events", ack.encode(), signed_headers(SECRET, ack, FORM, int(time.time()))
        )
        acked = answered.text or web.wait_for("response_url", 2)[-1]["text"]  # bob's zone may be known
        token = re.search(r"https://feedback\.example\.gov/feedback/([A-Za-z0-9_-]{32})", acked)
        assert token is not None, acked
        page = sim.request("GET", f"/feedback/{token.group(1)}")
        assert page.status == 200 and b"INQ-1" in page.body and b"<form" in page.body
        tampered = sim.request("GET", "/feedback/" + "A" * 32)
        assert (tampered.status, tampered.body) == (404, b"Not found\n")
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"serving Slack on http://127.0.0.1:{port}/slack/events" in output


def test_start_up_says_what_matters_and_not_that_the_bot_token_is_unused(env, web, clock):
    """Every start logged Bolt's "As you gave `client` as well, `token` will be unused." — Bolt had
    read SLACK_BOT_TOKEN itself; the token is used, by the client we give it (handlers/bolt_env.py)."""
    port = free_port()
    process = start_serve(port, env, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_up(ServedSlack(port, web, clock), process, time.monotonic() + 30)
    finally:
        process.terminate()
        err = process.communicate(timeout=20)[1]
    assert "will be unused" not in err, err
    # what is worth saying still is: the config's own warning, and where it serves
    assert "inquirybot: warning: team 'default' has no channel, so it gets no weekly digest" in err
    assert f"serving Slack on http://127.0.0.1:{port}/slack/events" in err


def test_missing_settings_are_one_line_and_exit_2(env):
    """Exactly one line: the operator saw seven INFO lines of Alembic loading its plugins first."""
    no_secret = cli("serve", "--port", str(free_port()), env={**env, "SLACK_SIGNING_SECRET": ""})
    assert (no_secret.returncode, no_secret.stdout) == (2, "")
    assert no_secret.stderr.count("\n") == 1, no_secret.stderr
    assert no_secret.stderr.startswith("inquirybot: SLACK_SIGNING_SECRET is not set")
    no_app_token = cli("socket", env=env)
    assert (no_app_token.returncode, no_app_token.stdout) == (2, "")
    assert no_app_token.stderr.count("\n") == 1, no_app_token.stderr
    assert no_app_token.stderr.startswith("inquirybot: SLACK_APP_TOKEN is not set")
    no_token = cli("serve", "--port", str(free_port()), env={**env, "SLACK_BOT_TOKEN": ""})
    assert (no_token.returncode, no_token.stderr.count("\n")) == (2, 1), no_token.stderr
    assert no_token.stderr.startswith("inquirybot: SLACK_BOT_TOKEN is not set")


def test_the_real_server_answers_health_and_slack_with_hundreds_of_idle_sockets_open(env, web, clock):
    """`inquirybot serve` as a process, 300 clients holding connections open (half of them part-way
    through a request): /healthz and a signed command still answer at once."""
    port = free_port()
    process = start_serve(port, env, "--no-scheduler")
    idle: list[socket.socket] = []
    try:
        sim = ServedSlack(port, web, clock)
        wait_until_up(sim, process, time.monotonic() + 30)
        for n in range(300):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            if n % 2:
                s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
            idle.append(s)
        started = time.monotonic()
        assert sim.request("GET", "/healthz").status == 200
        assert time.monotonic() - started < 2.0
        body = sim.command_body("help")
        headers = signed_headers(SECRET, body, "application/x-www-form-urlencoded", int(time.time()))
        started = time.monotonic()
        assert sim.request("POST", "/slack/events", body.encode(), headers).status == 200
        assert time.monotonic() - started < 3.0  # inside Slack's 3 s
    finally:
        for s in idle:
            s.close()
        process.terminate()
        process.wait(20)
