"""The named jobs, in one table, runnable on demand (`inquirybot tick`) or by the background thread.

Each job opens its own sessions (transactions commit per batch and roll back on failure); a job
that fails is logged and reported without stopping the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.config.teams import Config
from bot.delivery.deliverer import Deliverer
from bot.errors import is_database_busy
from bot.lifecycle import absence
from bot.lifecycle.replan import sync_calendars
from bot.scheduling.digests import run_digests
from bot.scheduling.reminder_pass import run_reminders
from bot.time.clock import Clock
from storage.session import SessionFactory, transaction

log = logging.getLogger("inquirybot.jobs")


@dataclass
class JobContext:
    sessions: SessionFactory
    config: Config
    clock: Clock
    deliverer: Deliverer | None = None  # None: queue only (`tick --no-deliver`)
    drain_wait: float = 0.0  # deliver: also wait for what falls due within this many seconds


@dataclass(frozen=True)
class JobResult:
    name: str
    ok: bool
    summary: str


def _cover_absences(ctx: JobContext) -> str:
    with transaction(ctx.sessions) as s:
        moved = absence.cover_all(s, ctx.config, ctx.clock.now())
    return f"{moved} items moved to alternates"


def _outcomes(ctx: JobContext) -> str:
    from bot.lifecycle.outcome_job import decide_fallen

    return f"{decide_fallen(ctx.sessions, ctx.config, ctx.clock)} outcomes decided at their deadline"


def _reminders(ctx: JobContext) -> str:
    return str(run_reminders(ctx.sessions, ctx.config, ctx.clock))


def _digests(ctx: JobContext) -> str:
    return f"{run_digests(ctx.sessions, ctx.config, ctx.clock)} digests queued"


def _deliver(ctx: JobContext) -> str:
    if ctx.deliverer is None:
        return "skipped (no sender)"
    # Quiet hours are read on the calendars: closures another process declared count (a cheap
    # version check; docs/closures.md), or a message would go out on a day declared closed.
    with ctx.sessions() as s:
        sync_calendars(s, ctx.config)
    stats = ctx.deliverer.drain(ctx.drain_wait) if ctx.drain_wait > 0 else ctx.deliverer.run_once()
    return str(stats)


JOBS: dict[str, Callable[[JobContext], str]] = {
    "outcomes": _outcomes,  # first: a miss is the holder's at the deadline, before cover moves the item
    "cover_absences": _cover_absences,  # first: nudges then go to the alternates
    "reminders": _reminders,
    "digests": _digests,
    "deliver": _deliver,
}
SCHEDULING_JOBS = ("outcomes", "cover_absences", "reminders", "digests")


def run_job(name: str, ctx: JobContext) -> JobResult:
    job = JOBS[name]  # an unknown name is a programming error, not a job failure
    try:
        summary = job(ctx)
    except Exception as exc:
        if is_database_busy(exc):  # locked, unreachable or not writable: rolled back, runs again next pass
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            log.error(
                "job %s stopped: the database did not answer (%s); its step in progress was not stored, the next pass runs it again",
                name,
                reason,
            )
            return JobResult(name, False, f"failed: the database did not answer ({reason})")
        log.exception("job %s failed", name)
        return JobResult(name, False, f"failed: {type(exc).__name__}: {exc}")
    log.info("job %s: %s", name, summary)
    return JobResult(name, True, summary)


def run_all(ctx: JobContext, names: tuple[str, ...] | None = None) -> list[JobResult]:
    return [run_job(name, ctx) for name in (names or tuple(JOBS))]
