"""Reports: periods, metrics, rating bands, evidence and the weekly digest (docs/reports.md)."""

from bot.reports.build import PersonLine, Report, build_report
from bot.reports.metrics import Band, Metrics, rating_band
from bot.reports.periods import Period, parse_period
from bot.reports.service import ReportService

__all__ = [
    "Band",
    "Metrics",
    "Period",
    "PersonLine",
    "Report",
    "ReportService",
    "build_report",
    "parse_period",
    "rating_band",
]
