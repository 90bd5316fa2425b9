"""SIGTERM, the signal a supervisor (systemd, Kubernetes, docker stop) sends before SIGKILL, ends a
process as Ctrl-C does (docs/delivery.md "Stopping"): the message in flight is finished, the claims
on the rest are released, and the process exits well within the usual 10-second grace period."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def on_sigterm(action: Callable[[], None] | None = None, *, interrupt: bool = True) -> Iterator[None]:
    """While inside: SIGTERM runs `action`, then (with interrupt) raises KeyboardInterrupt in the
    main thread, as Ctrl-C would. Outside the main thread, signals cannot be caught: nothing is set."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(_signum: int, _frame: object) -> None:
        if action is not None:
            action()
        if interrupt:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handle)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
