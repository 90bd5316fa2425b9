"""What the Slack layer calls for `/inquiry report [me|team|@user] [period]` (handlers/commands.py)."""
from __future__ import annotations

from bot.rendering.replies import Reply
from bot.rendering.report import report_blocks, report_summary
from bot.reports.service import ReportService


def report_reply(reports: ReportService, *, actor: str, scope: str | None, period: str | None,
                 tz: str | None) -> Reply:
    """An ephemeral reply; refused or malformed requests raise Forbidden / InputError, which the
    handler shows as one line with an example."""
    report = reports.report(actor=actor, subject=scope or "me", period_text=period or None)
    return Reply(report_summary(report), report_blocks(report, tz))
