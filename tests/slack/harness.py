"""The app served as `inquirybot serve` serves it (waitress on a free localhost port), and Slack played
against it over real HTTP with the shipped SlackSim (inquirybot/slack_standin/slack.py)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.config.runtime import Runtime
from bot.time.clock import Clock
from inquirybot.bootstrap import build_app, build_services
from inquirybot.cli.serve import make_server, wsgi_app
from inquirybot.process import build_installed_process
from inquirybot.slack_standin.slack import Response, SlackSim, http_request, over_http
from inquirybot.slack_standin.webapi import WebApiStandIn

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # Slack's published test secret


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, counting work in flight so a test can wait for what runs after the ack."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="test-listener")
        self._busy = 0
        self._cond = threading.Condition()

    def submit(self, fn, /, *args, **kwargs):
        with self._cond:
            self._busy += 1

        def run():
            try:
                return fn(*args, **kwargs)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

        return super().submit(run)

    def settle(self, timeout: float = 10.0) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: self._busy == 0, timeout), "background work did not finish"


class Serving:
    """A WSGI application behind waitress on a free localhost port, in a thread of its own."""

    def __init__(self, application: Any):
        self.server = make_server(application, host="127.0.0.1", port=0, threads=8)
        self.port = self.server.effective_port
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="served-app", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        # waitress's run() has no stop from another thread; loop in short steps and close here.
        while not self._stopping.is_set():
            self.server.asyncore.loop(timeout=0.05, map=self.server._map, use_poll=True, count=1)
        self.server.close()

    def stop(self) -> None:
        self._stopping.set()
        self.thread.join(5)


class ServedApp(Serving):
    """The app the composition root builds, behind waitress, exactly as `inquirybot serve` runs it."""

    def __init__(self, runtime: Runtime, **kwargs: Any):
        self.executor = TrackingExecutor()
        kwargs.setdefault("process_before_response", True)  # as `inquirybot serve` runs it
        self.services = build_services(runtime)
        self.app = build_app(runtime, self.services, listener_executor=self.executor, **kwargs)
        super().__init__(wsgi_app(self.app, runtime))

    def settle(self) -> None:
        """Wait until the work listeners do after acknowledging (users.info, redraws, DMs) is done."""
        self.executor.settle()

    def stop(self) -> None:
        self.executor.shutdown(wait=True)  # background work of the last test finishes here, not in the next
        super().stop()


class ServedInstalls(Serving):
    """`inquirybot serve` installed through OAuth (SLACK_CLIENT_ID/SECRET/STATE_SECRET): the install
    app, and one tenant per installation (inquirybot/tenants.py), as the composition root builds them.
    `scheduler`: each tenant's scheduler with these options, started as `serve` starts them."""

    def __init__(self, runtime: Runtime, scheduler: dict[str, float] | None = None):
        self.executor = TrackingExecutor()
        self.process = build_installed_process(
            runtime,
            with_scheduler=scheduler is not None,
            listener_executor=self.executor,
            scheduler_options=scheduler,
        )
        if scheduler is not None:
            self.process.start()
        assert self.process.tenants is not None and self.process.router is not None
        self.tenants = self.process.tenants
        super().__init__(
            wsgi_app(self.process.app, runtime, router=self.process.router, tenant_pages=self.tenants.pages)
        )

    def settle(self) -> None:
        self.executor.settle()

    def stop(self) -> None:
        self.executor.shutdown(wait=True)
        super().stop()
        self.tenants.close(drop=True)


class ServedSlack(SlackSim):
    """The shipped SlackSim over real HTTP to the served app, plus raw requests (health, bad bodies)."""

    def __init__(self, port: int, web: WebApiStandIn, clock: Clock, secret: str = SECRET):
        super().__init__(over_http(port), web, clock, secret)
        self.port = port

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Response:
        return http_request(self.port, method, path, body, headers)


# view.state.values elements, as Slack sends each element type.


def text(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def select(value: str | None) -> dict[str, Any]:
    option = None if value is None else {"text": {"type": "plain_text", "text": value}, "value": value}
    return {"type": "static_select", "selected_option": option}


def user(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def when(instant: Any | None) -> dict[str, Any]:
    return {
        "type": "datetimepicker",
        "selected_date_time": None if instant is None else int(instant.timestamp()),
    }


def checks(*values: str) -> dict[str, Any]:
    return {
        "type": "checkboxes",
        "selected_options": [{"text": {"type": "plain_text", "text": v}, "value": v} for v in values],
    }
