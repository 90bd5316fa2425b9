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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from storage.queries.reports import tune_for_reports
from storage.snapshots import snapshot_sessions

T = TypeVar("T")

# One connection per core, up to four: more connections than cores only take turns, and each
# split adds a statement of its own.
DEFAULT_CONNECTIONS = max(1, min(4, os.cpu_count() or 1))


class Readers:
    """Sessions on one snapshot; `run` spreads tasks over them, at most one task per session at a time."""

    def __init__(self, sessions: Sequence[Session]):
        if not sessions:
            raise ValueError("Readers needs at least one session")
        self.sessions = list(sessions)
        for session in self.sessions:
            tune_for_reports(session)

    @classmethod
    def of(cls, source: Session | Readers) -> Readers:
        return source if isinstance(source, Readers) else cls([source])

    @property
    def first(self) -> Session:
        return self.sessions[0]

    def __len__(self) -> int:
        return len(self.sessions)

    def run(self, tasks: Sequence[Callable[[Session], T]]) -> list[T]:
        """Each task's result, in the order given; tasks start in that order (longest first is best)."""
        if len(self.sessions) == 1 or len(tasks) <= 1:
            return [task(self.first) for task in tasks]
        free: queue.SimpleQueue[Session] = queue.SimpleQueue()
        for session in self.sessions:
            free.put(session)

        def call(task: Callable[[Session], T]) -> T:
            session = free.get()
            try:
                return task(session)
            finally:
                free.put(session)

        with ThreadPoolExecutor(max_workers=len(self.sessions), thread_name_prefix="report") as pool:
            return list(pool.map(call, tasks))


def task(fn: Callable[..., T], **kwargs) -> Callable[[Session], T]:
    """`fn(session=…, **kwargs)` as a task for Readers.run."""
    return lambda session: fn(session=session, **kwargs)


@contextmanager
def open_readers(factory: sessionmaker[Session], connections: int = DEFAULT_CONNECTIONS) -> Iterator[Readers]:
    """Read-only sessions on one snapshot for building reports (one where the engine can't share)."""
    with snapshot_sessions(factory, connections) as sessions:
        yield Readers(sessions)
