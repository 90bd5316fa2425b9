"""Small readers over what the stand-in recorded: button ids, texts, counts in the database."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, inspect, select, table

from bot.config.loading import config_from_dict
from bot.config.runtime import Runtime
from bot.config.settings import Settings
from storage.models import Event, Inquiry, OutboxMessage
from tests.slack.harness import SECRET


def runtime_with(config: dict[str, Any], database_url, engine, sessions, clock, web) -> Runtime:
    """The served app's runtime on `config`, talking to the Web API stand-in `web`."""
    settings = Settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=web.url,
    )
    return Runtime(settings, config_from_dict(config), engine, sessions, clock)


def count(runtime, model=Inquiry) -> int:
    with runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def snapshot(runtime) -> tuple[int, int, int]:
    """How much is stored: inquiries, events, outbox rows. A refused command changes none of them."""
    return count(runtime, Inquiry), count(runtime, Event), count(runtime, OutboxMessage)


def stored(runtime) -> dict[str, int]:
    """Rows in every table: a refused request changes none of them (not even a replay claim)."""
    names = [n for n in inspect(runtime.engine).get_table_names() if n != "alembic_version"]
    with runtime.sessions() as s:
        return {n: s.scalar(select(func.count()).select_from(table(n))) for n in names}


def buttons(blocks: list[dict[str, Any]] | None) -> list[str]:
    return [e["action_id"] for b in blocks or [] if b.get("type") == "actions" for e in b["elements"]]


def text_of(blocks: list[dict[str, Any]] | None) -> str:
    return json.dumps(blocks or [], ensure_ascii=False)


def know_zone(slack, web, user: str = "U1") -> None:
    """One command so the app learns the user's zone; later replies then ride on the acknowledgement."""
    if any(call.get("user") == user for call in web.calls_to("users.info")):
        return
    before = len(web.calls_to("response_url"))
    slack.command("help", user=user)
    web.wait_for("response_url", before + 1)
