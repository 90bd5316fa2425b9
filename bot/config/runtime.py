"""What a process runs with: settings, config, database and clock, built once by the composition
root (inquirybot/bootstrap.py) and handed down."""
from __future__ import annotations

from dataclasses import dataclass

from bot.config.settings import Settings
from bot.config.teams import Config
from bot.time.clock import Clock
from storage.session import Engine, SessionFactory


@dataclass
class Runtime:
    settings: Settings
    config: Config
    engine: Engine
    sessions: SessionFactory
    clock: Clock
