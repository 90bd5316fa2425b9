"""A reentrant lock granted strictly in arrival order.

threading.RLock makes no promise of order: when it is released, whichever thread gets to run
first takes it — often the releasing thread itself, or one that has just arrived — so under a
burst some commands waited many turns while others waited none, and the slowest answers were
several times the typical one. Here each waiter queues, and the releasing owner hands the lock
straight to the oldest waiter, so a command waits for those ahead of it and no more.
"""
from __future__ import annotations

import threading
from collections import deque


class FairLock:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._waiting: deque[tuple[int, threading.Lock]] = deque()

    def acquire(self) -> bool:
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
            turn.acquire()  # released by the owner that hands us the lock (see release)
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
                raise RuntimeError("cannot release a FairLock this thread does not hold")
            self._depth -= 1
            if self._depth:
                return
            if self._waiting:
                self._owner, turn = self._waiting.popleft()
                self._depth = 1
                turn.release()
            else:
                self._owner = None

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
