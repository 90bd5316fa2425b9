"""Run a report's independent queries side by side, each on its own session of one snapshot.

One Python process computes on one core, but the database does the heavy part of a report (it
scans a covering index and counts), and SQLite's and psycopg's drivers release the GIL while it
does: two connections keep two cores busy. storage/snapshots.py makes the sessions see the same
instant, so the parts add up exactly as if read in one transaction.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from storage.queries.reports import tune_for_reports
from storage.session import Session, SessionFactory
from storage.snapshots import snapshot_sessions

T = TypeVar("T")

# One connection per core, up to four: more connections than cores only take turns, and each
# split adds a statement of its own.
DEFAULT_CONNECTIONS = max(1, min(4, os.cpu_count() or 1))


class Readers:
    """Sessions on one snapshot. `submit` runs a task on the first free one (in a worker thread when
    there are several; at once, in this thread, when there is one), so a report can start work that
    depends on earlier results while other queries are still running."""

    def __init__(self, sessions: Sequence[Session]):
        if not sessions:
            raise ValueError("Readers needs at least one session")
        self.sessions = list(sessions)
        for session in self.sessions:
            tune_for_reports(session, side_by_side=len(self.sessions) > 1)
        self._free: queue.SimpleQueue[Session] = queue.SimpleQueue()
        for session in self.sessions:
            self._free.put(session)
        self._pool = (
            ThreadPoolExecutor(max_workers=len(self.sessions), thread_name_prefix="report")
            if len(self.sessions) > 1
            else None
        )

    @classmethod
    def of(cls, source: Session | Readers) -> Readers:
        return source if isinstance(source, Readers) else cls([source])

    @property
    def first(self) -> Session:
        return self.sessions[0]

    def __len__(self) -> int:
        return len(self.sessions)

    def submit(self, fn: Callable[[Session], T]) -> Future[T]:
        """Tasks start in the order submitted (submit the longest and the most needed first)."""
        if self._pool is not None:
            return self._pool.submit(self._call, fn)
        done: Future[T] = Future()
        try:
            done.set_result(fn(self.first))
        except BaseException as error:  # re-raised by result(), as from a worker
            done.set_exception(error)
        return done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def _call(self, fn: Callable[[Session], T]) -> T:
        session = self._free.get()  # never waits: there are as many sessions as worker threads
        try:
            return fn(session)
        finally:
            self._free.put(session)


def task(fn: Callable[..., T], **kwargs: Any) -> Callable[[Session], T]:
    """`fn(session=…, **kwargs)` as a task for Readers.submit."""
    return lambda session: fn(session=session, **kwargs)


@contextmanager
def open_readers(factory: SessionFactory, connections: int = DEFAULT_CONNECTIONS) -> Iterator[Readers]:
    """Read-only sessions on one snapshot for building reports (one where the engine can't share)."""
    with snapshot_sessions(factory, connections) as sessions:
        readers = Readers(sessions)
        try:
            yield readers
        finally:
            readers.close()
