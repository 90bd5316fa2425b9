"""Shared set-up for the closure tests: two teams (department and ita presets), one admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config.loading import config_from_dict
from bot.config.teams import Config
from bot.lifecycle import InquiryDraft, InquiryService
from bot.lifecycle.replan import ClosureService
from bot.time.clock import Clock
from storage.models import OutboxMessage

ET = ZoneInfo("America/New_York")

CONFIG = {
    "admins": ["UADMIN"],
    "teams": {
        "licensing": {"members": ["UALICE", "UBOB"], "supervisors": ["USUE"], "channel": "CTEAM"},
        "support": {
            "members": ["UDAN", "UERIN"],
            "supervisors": ["USAM"],
            "policy": "ita",
            "channel": "CSUP",
        },
    },
}


def et(*args: int) -> datetime:
    return datetime(*args, tzinfo=ET)


@dataclass
class Bot:
    config: Config
    service: InquiryService
    closures: ClosureService

    def log(self, actor: str, **draft):
        values = {"kind": "email", "subject": "Export license status", **draft}
        return self.service.log(actor=actor, draft=InquiryDraft(**values))


def make(sessions, clock: Clock, config: dict | None = None) -> Bot:
    cfg = config_from_dict(config or CONFIG)
    return Bot(cfg, InquiryService(sessions, cfg, clock), ClosureService(sessions, cfg, clock))


def outbox_of(sessions, kind: str, channel: str | None = None) -> list[OutboxMessage]:
    with sessions() as s:
        query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        if channel is not None:
            query = query.where(OutboxMessage.channel == channel)
        return list(s.scalars(query))
