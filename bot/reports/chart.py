"""The report chart as something to send: the PNG and its alt text, as a pending file block for an
outbox message (bot/uploads.py) or as a file for `inquirybot report --chart`. A chart that cannot be
drawn never stops the message it rides on: it is logged and the message goes without it."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Config
from bot.rendering.chart import FILENAME, chart_alt, chart_png, chart_title
from bot.reports.build import Report
from bot.reports.trend import Chart, chart_for
from bot.uploads import pending_file
from storage.queries.profiles import display_names

log = logging.getLogger("inquirybot.reports")


def drawn(session: Session, config: Config, report: Report, now: datetime) -> tuple[Chart, bytes, str] | None:
    """(chart data, PNG bytes, alt text) for a team report; None for other reports."""
    chart = chart_for(session, config, report, now)
    if chart is None:
        return None
    names = display_names(session=session, user_ids=[p.label for p in chart.people])
    return chart, chart_png(chart, names=names), chart_alt(chart, names)


def chart_file_block(session: Session, config: Config, report: Report, now: datetime) -> dict[str, Any] | None:
    try:
        found = drawn(session, config, report, now)
    except Exception:
        log.exception("could not draw the chart for %s, %s; sending without it", report.title, report.period.label)
        return None
    if found is None:
        return None
    chart, png, alt = found
    return pending_file(png, filename=FILENAME, title=chart_title(chart), alt=alt)
