"""What a process runs with: settings, config, database and clock, built once by the composition
root (inquirybot/bootstrap.py) and handed down."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.config.settings import Settings
from bot.config.teams import Config
from bot.time.clock import Clock
from storage.session import Engine, SessionFactory, answering


@dataclass
class Runtime:
    settings: Settings
    config: Config
    engine: Engine
    sessions: SessionFactory
    clock: Clock


def answering_runtime(runtime: Runtime) -> Runtime:
    """The same runtime for work a person waits for (Slack requests): each unit of work waits at
    most storage's ANSWER_WAIT for the database, then says busy and stores nothing (docs/faults.md)."""
    return replace(runtime, sessions=answering(runtime.sessions))
