"""What the Slack layer calls for `/inquiry report [me|team|@user] [period]` (handlers/commands.py)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.outbox import enqueue
from bot.rendering.chart import chart_dm_text, chart_note
from bot.rendering.replies import Reply
from bot.rendering.report import report_blocks, report_summary
from bot.reports.build import Report
from bot.reports.chart import chart_file_block
from bot.reports.service import ReportService
from storage.session import read_only, transaction


def report_reply(runtime: Any, *, actor: str, scope: str | None, period: str | None, tz: str | None,
                 later: Callable[[Callable[[], None]], None] | None = None,
                 wake: Callable[[], None] | None = None) -> Reply:
    """An ephemeral reply; refused or malformed requests raise Forbidden / InputError, which the
    handler shows as one line with an example. A team's report also sends its chart to the asker
    as a DM through the outbox (an ephemeral message cannot carry an uploaded file), drawn after
    the reply (`later`, the handler's background pool) so the reply is not held up by the drawing;
    `wake` then tells the deliverer."""
    report = ReportService(runtime.sessions, runtime.config, runtime.clock).report(
        actor=actor, subject=scope or "me", period_text=period or None
    )
    blocks = report_blocks(report, tz)
    if report.kind == "team":
        def send_chart() -> None:
            if queue_chart(runtime, actor, report) and wake is not None:
                wake()
        (later or (lambda work: work()))(send_chart)
        blocks = [*blocks[:-1], chart_note(), blocks[-1]] if len(blocks) < 50 else blocks
    return Reply(report_summary(report), blocks)


def queue_chart(runtime: Any, actor: str, report: Report) -> bool:
    now = runtime.clock.now()
    with read_only(runtime.sessions)() as session:  # drawing takes a moment: no write lock meanwhile
        block = chart_file_block(session, runtime.config, report, now)
    if block is None:
        return False
    with transaction(runtime.sessions) as session:
        enqueue(session, key=f"chart:{report.subject}:{actor}:{now.isoformat()}", team=report.subject, kind="chart",
                channel=actor, text=chart_dm_text(report.title, report.period.label, block["alt"]), now=now,
                blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": chart_dm_text(
                    report.title, report.period.label, None)}}, block])
    return True
