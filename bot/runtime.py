"""Everything a process needs, built once at start-up and validated: settings, config, database, clock."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Config, load_config
from bot.errors import ConfigError
from bot.settings import Settings, settings_from_env
from storage.session import DatabaseUrlError, answering, make_engine, session_factory


@dataclass
class Runtime:
    settings: Settings
    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock


def answering_runtime(runtime: Runtime) -> Runtime:
    """The same runtime for work a person waits for (Slack requests): each unit of work waits at
    most storage's ANSWER_WAIT for the database, then says busy and stores nothing."""
    return replace(runtime, sessions=answering(runtime.sessions))


def build_runtime(
    env: Mapping[str, str] | None = None,
    *,
    clock: Clock | None = None,
    settings: Settings | None = None,
    config: Config | None = None,
    check_database: bool = True,
) -> Runtime:
    settings = settings or settings_from_env(env)
    config = config or load_config(settings.config_path)
    engine = open_database(settings.database_url, check=check_database)
    return Runtime(settings, config, engine, session_factory(engine), clock or SystemClock())


def open_database(url: str, *, check: bool = True) -> Engine:
    try:
        engine = make_engine(url)
    except DatabaseUrlError as exc:
        raise ConfigError(f"{exc}; set DATABASE_URL to sqlite:///path.db or postgresql://user@host/db") from None
    if check:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
            raise ConfigError(
                f"cannot reach the database at DATABASE_URL={engine.url.render_as_string()} ({reason}); "
                "start it or fix DATABASE_URL"
            ) from None
    return engine
