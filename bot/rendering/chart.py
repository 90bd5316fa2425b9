"""The report chart as a PNG, with the alt text that states its numbers (docs/federal.md, "Charts").

Drawn with matplotlib's Agg canvas on a Figure of its own (no pyplot): no display, no global state,
so the deliverer's threads can draw side by side. matplotlib is imported on first use only, so
processes that never draw a chart do not pay for it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from bot.reports.metrics import percent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bot.reports.trend import Chart, Rate

ALT_LIMIT = 1000  # the file's alt_txt holds 1000 (the image block's 2000): both carry the same text
FILENAME = "on-time-trend.png"


def rate_words(rate: Rate) -> str:
    """`80% on time, 4 of 5`, or `none due`."""
    return (
        f"{percent(rate.on_time / rate.due)} on time, {rate.on_time} of {rate.due}"
        if rate.due
        else "none due"
    )


def week_words(label: str) -> str:
    """`week 46` for the picture's `W46`, which a screen reader spells out ("W forty-six")."""
    number = label.removeprefix("W")
    return f"week {number}" if number.isdigit() else label


def chart_title(chart: Chart) -> str:
    return f"Team {chart.team}: on-time first responses"


def chart_alt(chart: Chart, names: dict[str, str] | None = None) -> str:
    """Every figure the picture shows, in words, the number first. Alt text is read as it is (no
    mrkdwn), so people are named, not <@mentioned>. Within ALT_LIMIT: when everyone's figures do
    not fit (a big team), the team's rate each week, then how many people are below the meets
    threshold and each of them with their figures (lowest first; those that still do not fit are
    counted), how many are at or above it, and where every person's figures are."""
    names = names or {}
    weeks = "; ".join(f"{week_words(w.label)} {rate_words(w)}" for w in chart.weeks)
    head = f"{chart_title(chart)}. Last {len(chart.weeks)} weeks, oldest first: {weeks}. "

    def said(p: Rate) -> str:
        return f"{names.get(p.label, p.label)} {rate_words(p)}"

    people = "; ".join(said(p) for p in chart.people) or "nobody had a deadline"
    text = f"{head}Each person, {chart.period_label}: {people}."
    if len(text) <= ALT_LIMIT:
        return text
    meets = percent(chart.meets)
    below = sorted(
        (p for p in chart.people if p.fraction is not None and p.fraction < chart.meets),
        key=lambda p: (p.fraction, p.label),
    )
    rated = sum(1 for p in chart.people if p.fraction is not None)
    rest = f"{rated - len(below)} at or above it"
    if rated < len(chart.people):
        rest += f", {len(chart.people) - rated} with none due"
    tail = f". {rest}. Every person's figures are listed in the report."
    opening = f"{head}Each person, {chart.period_label}: {len(chart.people)} people; "
    if not below:
        return f"{opening}none below the meets threshold of {meets}{tail}"
    opening += f"{len(below)} below the meets threshold of {meets}: "
    for shown in range(len(below), -1, -1):
        listed = "; ".join(said(p) for p in below[:shown])
        more = len(below) - shown
        if more:
            listed += f"{'; ' if shown else ''}and {more} more below it"
        text = f"{opening}{listed}{tail}"
        if len(text) <= ALT_LIMIT:
            return text
    return text[: ALT_LIMIT - 1] + "…"  # only names longer than the whole limit get here


def chart_dm_text(title: str, period_label: str, alt: str | None) -> str:
    """The DM that carries a team report's chart; its text states the figures (`alt`) for
    notifications and screen readers, its section only what the chart is."""
    head = f"Chart for the {title} report, {period_label}"
    return (
        f"{head}: {alt}"
        if alt
        else f"*{head}*: the on-time rate over the last 12 weeks and each person's rate."
    )


def chart_note() -> dict[str, Any]:
    """The line under a team report saying where its chart went."""
    return {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": "The chart (12-week on-time trend, each person's rate) is on its way to you as a direct message.",
            }
        ],
    }


def with_chart_note(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A team report's blocks with chart_note() before the last one, if the message has room."""
    return [*blocks[:-1], chart_note(), blocks[-1]] if len(blocks) < 50 else blocks


def image_block(file_id: str, *, title: str, alt: str) -> dict[str, Any]:
    """The chart in a message, once uploaded (a Slack-hosted file, shown inline)."""
    return {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": alt[:2000],
        "title": {"type": "plain_text", "text": title[:2000]},
    }


def chart_png(chart: Chart, *, names: dict[str, str] | None = None) -> bytes:
    """Left: the weekly rate as a line (weeks with nothing due left out, not drawn as 0%).
    Right: each person's rate this period as a horizontal bar, labelled with the figures."""
    out = io.BytesIO()
    chart_figure(chart, names=names).savefig(out, format="png")
    return out.getvalue()


def chart_figure(chart: Chart, *, names: dict[str, str] | None = None) -> Figure:
    """The picture chart_png draws, before it is saved (its texts are what a reader sees)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    names = names or {}
    # Taller for a large team, so every person keeps a readable row; fixed margins (in inches),
    # not matplotlib's constrained layout, which measured every label again and took most of the time.
    height = max(4.2, 1.4 + 0.24 * len(chart.people))
    figure = Figure(figsize=(10, height), dpi=100)
    FigureCanvasAgg(figure)
    trend, people = figure.subplots(1, 2, width_ratios=(3, 2), gridspec_kw={"wspace": 0.45})
    figure.subplots_adjust(left=0.07, right=0.97, top=1 - 0.75 / height, bottom=0.75 / height)
    figure.suptitle(chart_title(chart), fontsize=13)

    xs = list(range(len(chart.weeks)))
    points = [(x, w.fraction) for x, w in zip(xs, chart.weeks) if w.fraction is not None]
    if points:
        trend.plot(
            [x for x, _ in points], [100 * f for _, f in points], marker="o", color="#1d3557", linewidth=2
        )
        for x, f in points:  # labelled as every rate is shown: cut to 0.1%, never rounded up
            trend.annotate(
                percent(f), (x, 100 * f), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8
            )
    trend.set_xticks(xs, [w.label for w in chart.weeks], rotation=45, fontsize=8)
    trend.set_ylim(0, 110)
    trend.yaxis.set_major_formatter(PercentFormatter())
    trend.set_title(f"Last {len(chart.weeks)} weeks", fontsize=10)
    trend.grid(axis="y", alpha=0.3)

    rows = list(reversed(chart.people))
    labels = [_short(names.get(p.label, p.label)) for p in rows]
    values = [100 * (p.fraction or 0) for p in rows]
    people.barh(range(len(rows)), values, color="#457b9d")
    for y, p in enumerate(rows):
        people.text(
            min(values[y], 100) + 2, y, rate_words(p).replace(" on time", ""), va="center", fontsize=8
        )
    people.set_yticks(range(len(rows)), labels, fontsize=8)
    people.set_xlim(0, 150)
    people.set_xticks([0, 25, 50, 75, 100])
    people.xaxis.set_major_formatter(PercentFormatter())
    people.set_title(f"Each person, {chart.period_label}", fontsize=10)
    if not rows:
        people.text(75, 0.5, "nobody had a deadline", ha="center", va="center")
    return figure


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
