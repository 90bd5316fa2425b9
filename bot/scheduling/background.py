"""The background thread inside serve / socket: the scheduling jobs (bot/scheduling/jobs.py) every
minute, the deliverer every few seconds. `inquirybot tick` runs the same jobs once instead."""

from __future__ import annotations

import threading
import time

from bot.scheduling.jobs import SCHEDULING_JOBS, JobContext, run_job


class BackgroundScheduler:
    """A daemon thread: the scheduling jobs every `every` seconds, the deliverer every `deliver_every`."""

    def __init__(self, context: JobContext, *, every: float = 60.0, deliver_every: float = 3.0):
        self.context = context  # built by the composition root (inquirybot/bootstrap.py)
        self.every, self.deliver_every = every, deliver_every
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="inquirybot-scheduler", daemon=True)

    def start(self) -> BackgroundScheduler:
        self._thread.start()
        return self

    def wake(self) -> None:
        """Deliver soon (e.g. right after a handler queued a reply)."""
        self._wake.set()

    def stop(self, timeout: float = 8.0) -> None:
        """Finish the message in flight, release the other claims, and return (docs/delivery.md)."""
        self._stop.set()
        if self.context.deliverer is not None:
            self.context.deliverer.stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        next_pass = 0.0
        while not self._stop.is_set():
            if time.monotonic() >= next_pass:
                for name in SCHEDULING_JOBS:
                    run_job(name, self.context)
                next_pass = time.monotonic() + self.every
            if self.context.deliverer is not None and not self._stop.is_set():
                run_job("deliver", self.context)
            self._wake.wait(self.deliver_every)
            self._wake.clear()
