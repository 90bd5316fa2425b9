"""The shipped Web API stand-in (inquirybot/slack_standin/webapi.py), extended for tests: faults
queued per method (HTTP 429 with Retry-After, 500, {"ok": false, "error": …}, or an answer that
comes too late: `delay`) and waiting for work that happens after the acknowledgement."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from inquirybot.slack_standin.webapi import WebApiStandIn


@dataclass
class Fault:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: past the client's timeout, a request without an answer
    # status 0: the stand-in's normal answer (the message posted, say), only `delay` late


LATE = 0  # Fault(LATE, delay=…): done, but the answer comes after the caller stopped waiting


class FaultyWebApi(WebApiStandIn):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.faults: dict[str, list[Fault]] = {}
        self._late = threading.local()  # the delay of the fault this request thread is answering

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self.faults.clear()

    def fail(self, method: str, *faults: Fault) -> None:
        """The next calls to `method` get these answers, in order; later calls succeed again."""
        with self._lock:
            self.faults.setdefault(method, []).extend(faults)

    def intercept(self, method: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        queued = self.faults.get(method)
        fault = queued.pop(0) if queued else None
        if fault is None:
            return None
        self._late.delay = fault.delay
        if fault.status == LATE:
            return None
        return fault.status, fault.body or {"ok": False, "error": "fatal_error"}, fault.headers

    def answer(
        self, method: str, params: dict[str, Any], token: str | None, path: str
    ) -> tuple[int, dict, dict]:
        self._late.delay = 0.0
        answered = super().answer(method, params, token, path)
        if self._late.delay:  # slept outside the lock: other calls are answered meanwhile
            time.sleep(self._late.delay)
        return answered

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Work after the acknowledgement happens in the background: wait until it has reached us."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_to(method)
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, (
                    f"expected {count} {method} call(s), got {len(found)}: {self.summary()}"
                )
                return found
            time.sleep(0.02)
