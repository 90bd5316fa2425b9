"""SQLite's single writer, queued in the process: a reentrant lock granted strictly in arrival order,
with a bounded wait (storage/session.py takes it when a transaction begins, so a unit of work that
cannot get the database in time gives up instead of queueing for ever).

SQLite admits one writer (every transaction here starts with BEGIN IMMEDIATE), and a connection
that finds the lock taken sleeps and retries with growing pauses (up to 100 ms each). Under
concurrent requests those pauses, not the work, made the slowest answers; this lock queues the
transactions of one process instead, first come first served, with no sleeping.

threading.RLock makes no promise of order: when it is released, whichever thread gets to run
first takes it — often the releasing thread itself, or one that has just arrived — so under a
burst some commands waited many turns while others waited none, and the slowest answers were
several times the typical one. Here each waiter queues, and the releasing owner hands the lock
straight to the oldest waiter, so a command waits for those ahead of it and no more.
"""

from __future__ import annotations

import threading
from collections import deque


class WriterGate:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._waiting: deque[tuple[int, threading.Lock]] = deque()

    def acquire(self, timeout: float | None = None) -> bool:
        """Wait for the lock, at most `timeout` seconds (None: as long as it takes); False if not had."""
        me = threading.get_ident()
        with self._guard:
            if self._owner == me:
                self._depth += 1
                return True
            if self._owner is None:
                self._owner, self._depth = me, 1
                return True
            turn = threading.Lock()
            turn.acquire()
            entry = (me, turn)
            self._waiting.append(entry)
        try:
            # released by the owner that hands us the lock (see release)
            got = turn.acquire() if timeout is None else turn.acquire(timeout=max(timeout, 0.0))
            if not got:
                with self._guard:
                    if entry in self._waiting:  # still queued: leave the queue
                        self._waiting.remove(entry)
                        return False
                # handed over just as the wait ran out: it is ours
                turn.acquire()
        except BaseException:  # interrupted while waiting: leave the queue, or pass on a lock handed over
            with self._guard:
                if entry in self._waiting:
                    self._waiting.remove(entry)
                    raise
            self.release()
            raise
        return True

    def release(self) -> None:
        with self._guard:
            if self._owner != threading.get_ident():
                raise RuntimeError("cannot release a WriterGate this thread does not hold")
            self._depth -= 1
            if self._depth:
                return
            if self._waiting:
                self._owner, turn = self._waiting.popleft()
                self._depth = 1
                turn.release()
            else:
                self._owner = None

    def abandon(self) -> None:
        """Release on behalf of whichever thread holds it (a connection returned to the pool from
        another thread, e.g. by the garbage collector): the next waiter gets it."""
        with self._guard:
            if self._owner is None:
                return
            self._depth = 1
            self._owner = threading.get_ident()
        self.release()

    def held(self) -> bool:
        """Does the calling thread hold it?"""
        with self._guard:
            return self._owner == threading.get_ident()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
