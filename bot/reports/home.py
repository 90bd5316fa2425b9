"""The App Home line: my on-time first-response rate this rating period (handlers/home.py calls it)."""
from __future__ import annotations

from bot.rendering.report import home_line
from bot.reports.service import ReportService


def on_time_summary(reports: ReportService, user_id: str) -> str:
    """`95% (19/20)`, or `— (none due)` before any deadline has fallen in the period."""
    report = reports.on_time(actor=user_id)
    return home_line(report)
