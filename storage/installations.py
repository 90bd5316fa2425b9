"""The tables of Slack's OAuth installs (docs/federal.md "Org-wide and multi-workspace install").

slack_sdk's SQLAlchemyInstallationStore and SQLAlchemyOAuthStateStore read and write these tables
(the composition root, inquirybot/tenants.py, wires them); they are declared here too, column for
column as those stores define them, so that Alembic creates them (0006_installations) and the
start-up schema check (storage/schema_check.py) knows them. This module also answers the one
question the rest of inquirybot asks of them: which installations are there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Engine, Index, Integer, String, Table, func, select

from storage.base import Base

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"


def _app(*, url: bool) -> list[Any]:
    """The columns both tables begin with (slack_installations also keeps the org's URL)."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        *([Column("enterprise_url", String(200))] if url else []),
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]


installations = Table(
    INSTALLATIONS,
    Base.metadata,
    *_app(url=True),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

bots = Table(
    BOTS,
    Base.metadata,
    *_app(url=False),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

oauth_states = Table(
    OAUTH_STATES,
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Installed:
    """One installation: an Enterprise org (org-wide install) or one workspace."""

    enterprise_id: str | None
    team_id: str | None
    is_enterprise_install: bool

    @classmethod
    def of(cls, enterprise_id: str | None, team_id: str | None, is_enterprise_install: object) -> Installed:
        """As a stored bot or an installation names it: an org-wide install is the org's, whatever
        workspace it was started from (so it has no team of its own)."""
        org = bool(is_enterprise_install)
        return cls(enterprise_id, None if org else team_id, org)

    @property
    def key(self) -> str:
        """What keeps its data apart: the org for an org-wide install, else the workspace."""
        key = self.enterprise_id if self.is_enterprise_install else self.team_id
        return key or ""


def installed(engine: Engine, client_id: str) -> list[Installed]:
    """Every installation of this app that has a bot, oldest first, once each."""
    c = bots.c
    query = (
        select(c.enterprise_id, c.team_id, c.is_enterprise_install)
        .where(c.client_id == client_id, c.bot_token.is_not(None))
        .group_by(c.enterprise_id, c.team_id, c.is_enterprise_install)
        .order_by(func.min(c.installed_at))
    )
    with engine.connect() as conn:
        found = [Installed.of(e, t, org) for e, t, org in conn.execute(query)]
    return list(dict.fromkeys(found))
