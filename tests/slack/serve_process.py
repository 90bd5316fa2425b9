"""`inquirybot serve` run as a real process for the tests that need one (tests/slack/test_cli_serve.py,
test_replay_processes.py): its command line, the environment it is given, and waiting for it to answer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Any

from tests.slack.harness import SECRET, ServedSlack

# The `inquirybot` console script, run with this interpreter.
CLI = [sys.executable, "-c", "import sys; from inquirybot.cli import main; sys.exit(main())"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_env(database_url: str, web: Any) -> dict[str, str]:
    """This process's environment without its Slack and inquirybot settings, then the test's own."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "INQUIRYBOT_"))}
    return {
        **base,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": web.url,
    }


def start_serve(port: int, env: dict[str, str], *extra: str, **popen: Any) -> subprocess.Popen:
    """`inquirybot serve` on 127.0.0.1:port; output discarded unless `popen` says otherwise."""
    streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, **popen}
    command = [*CLI, "serve", "--port", str(port), "--host", "127.0.0.1", *extra]
    return subprocess.Popen(command, env=env, **streams)


def wait_until_up(sim: ServedSlack, process: subprocess.Popen, deadline: float) -> None:
    """Until its /healthz answers 200; fails if the process ends or the monotonic deadline passes."""
    while True:
        try:
            if sim.request("GET", "/healthz").status == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline and process.poll() is None, "serve did not come up"
        time.sleep(0.1)
