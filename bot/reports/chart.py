"""The report chart as something to send: the PNG and its alt text, as a pending file block for an
outbox message (bot/delivery/uploads.py) or as a file for `inquirybot report --chart`. A chart that cannot be
drawn never stops the message it rides on: it is logged and the message goes without it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from bot.config.teams import Config
from bot.delivery.outbox import enqueue
from bot.delivery.uploads import pending_file
from bot.rendering.chart import FILENAME, chart_alt, chart_dm_text, chart_png, chart_title
from bot.reports.build import Report
from bot.reports.trend import Chart, chart_for
from bot.time.clock import Clock
from storage.queries.profiles import display_names
from storage.session import Session, SessionFactory, read_only, transaction

log = logging.getLogger("inquirybot.reports")


def drawn(session: Session, config: Config, report: Report, now: datetime) -> tuple[Chart, bytes, str] | None:
    """(chart data, PNG bytes, alt text) for a team report; None for other reports."""
    chart = chart_for(session, config, report, now)
    if chart is None:
        return None
    ids = [p.label for p in chart.people]
    cached = display_names(session=session, user_ids=ids)
    names = {**{u: config.names[u] for u in ids if u in config.names}, **cached}  # Slack's name first
    return chart, chart_png(chart, names=names), chart_alt(chart, names)


def chart_file_block(
    session: Session, config: Config, report: Report, now: datetime
) -> dict[str, Any] | None:
    try:
        found = drawn(session, config, report, now)
    except Exception:
        log.exception(
            "could not draw the chart for %s, %s; sending without it", report.title, report.period.label
        )
        return None
    if found is None:
        return None
    chart, png, alt = found
    return pending_file(png, filename=FILENAME, title=chart_title(chart), alt=alt)


def queue_chart(sessions: SessionFactory, config: Config, clock: Clock, actor: str, report: Report) -> bool:
    """Send a team report's chart to the asker as a DM through the outbox (an ephemeral reply cannot
    carry an uploaded file). True if a message was queued (the caller then wakes the deliverer)."""
    if report.kind != "team":
        return False
    now = clock.now()
    with read_only(sessions)() as session:  # drawing takes a moment: no write lock meanwhile
        block = chart_file_block(session, config, report, now)
    if block is None:
        return False
    with transaction(sessions) as session:
        enqueue(
            session,
            key=f"chart:{report.subject}:{actor}:{now.isoformat()}",
            team=report.subject,
            kind="chart",
            channel=actor,
            text=chart_dm_text(report.title, report.period.label, block["alt"]),
            now=now,
            blocks=[
                {
                    "type": "section",
                    "text": {
                        "type": "mrkdwn",
                        "text": chart_dm_text(report.title, report.period.label, None),
                    },
                },
                block,
            ],
        )
    return True
