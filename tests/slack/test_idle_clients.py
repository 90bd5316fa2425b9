"""Idle and slow clients cannot starve the server (docs/faults.md "HTTP"): with hundreds of idle
sockets open — some silent, some half-way through their headers — /healthz and a signed Slack
command still answer at once, and silent connections are closed after the channel timeout."""

from __future__ import annotations

import socket
import time

IDLE = 600


def _open(port: int, n: int) -> list[socket.socket]:
    sockets = []
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2:  # a slow client: half a request, then nothing
            s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
        sockets.append(s)
    return sockets


def test_hundreds_of_idle_sockets_do_not_block_health_or_slack(slack, web, served):
    idle = _open(served.port, IDLE)
    try:
        started = time.monotonic()
        health = slack.request("GET", "/healthz")
        took = time.monotonic() - started
        # starved, it answered after 20 s or never; the bound is loose for a loaded machine
        assert health.status == 200 and took < 5.0, f"/healthz took {took:.2f} s"
        slack.command("help")
        web.wait_for("response_url")
        started = time.monotonic()
        assert slack.command("help").status == 200
        assert time.monotonic() - started < 5.0
    finally:
        for s in idle:
            s.close()


def test_a_silent_connection_is_closed_by_the_server(served, monkeypatch):
    from inquirybot.cli import serve

    s = socket.create_connection(
        ("127.0.0.1", served.port), timeout=serve.CHANNEL_TIMEOUT + 2 * serve.CLEANUP_INTERVAL + 5
    )
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
        started = time.monotonic()
        assert s.recv(1) == b""  # closed by the server, not by our timeout
        assert time.monotonic() - started < serve.CHANNEL_TIMEOUT + 2 * serve.CLEANUP_INTERVAL + 2
    finally:
        s.close()
