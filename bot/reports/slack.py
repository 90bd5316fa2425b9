"""What the Slack layer calls for `/inquiry report [me|team|@user] [period]` (handlers/commands.py)."""
from __future__ import annotations

from typing import Any

from bot.rendering.replies import Reply
from bot.rendering.report import report_blocks, report_summary
from bot.reports.service import ReportService


def report_reply(runtime: Any, *, actor: str, scope: str | None, period: str | None, tz: str | None) -> Reply:
    """An ephemeral reply; refused or malformed requests raise Forbidden / InputError, which the
    handler shows as one line with an example."""
    report = ReportService(runtime.sessions, runtime.config, runtime.clock).report(
        actor=actor, subject=scope or "me", period_text=period or None
    )
    return Reply(report_summary(report), report_blocks(report, tz))
