"""SQLite's writer queue in storage: reentrant, exclusive, granted in arrival order, with a bounded wait."""

from __future__ import annotations

import threading

import pytest

from storage.writer_gate import WriterGate


def test_reentrant_and_exclusive():
    lock = WriterGate()
    inside: list[str] = []
    with lock, lock:  # the command holds it while the service takes it again
        other = threading.Thread(target=lambda: (lock.acquire(), inside.append("other"), lock.release()))
        other.start()
        other.join(0.2)
        assert inside == []  # still ours after the inner release
    other.join(5)
    assert inside == ["other"]


def test_waiters_are_served_first_come_first_served():
    lock = WriterGate()
    order: list[int] = []
    lock.acquire()
    threads = []
    for n in range(8):
        t = threading.Thread(target=lambda n=n: (lock.acquire(), order.append(n), lock.release()))
        t.start()
        while len(lock._waiting) < n + 1:  # noqa: SLF001 - wait until it has queued, to fix the order
            threading.Event().wait(0.001)
        threads.append(t)
    lock.release()
    for t in threads:
        t.join(5)
    assert order == list(range(8))


def test_the_releasing_thread_queues_behind_those_waiting():
    lock = WriterGate()
    order: list[str] = []
    lock.acquire()
    waiter = threading.Thread(target=lambda: (lock.acquire(), order.append("waiter"), lock.release()))
    waiter.start()
    while not lock._waiting:  # noqa: SLF001
        threading.Event().wait(0.001)
    lock.release()
    lock.acquire()  # handed to the waiter already: we wait for our turn
    order.append("releaser")
    lock.release()
    waiter.join(5)
    assert order == ["waiter", "releaser"]


def test_only_the_holder_may_release():
    lock = WriterGate()
    with pytest.raises(RuntimeError):
        lock.release()
    lock.acquire()
    errors: list[Exception] = []

    def release_elsewhere() -> None:
        try:
            lock.release()
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=release_elsewhere)
    t.start()
    t.join(5)
    assert len(errors) == 1
    lock.release()


def test_a_bounded_wait_gives_up_and_leaves_the_queue():
    import time

    lock = WriterGate()
    lock.acquire()
    got: list[bool] = []
    started = time.monotonic()
    t = threading.Thread(target=lambda: got.append(lock.acquire(timeout=0.2)))
    t.start()
    t.join(5)
    assert got == [False] and 0.15 < time.monotonic() - started < 2
    assert not lock._waiting  # noqa: SLF001 - gave up its place
    lock.release()
    assert lock.acquire(timeout=0) and lock.held()
    lock.release()
