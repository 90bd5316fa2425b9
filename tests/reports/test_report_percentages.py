"""One rule for every rate shown or exported (docs/reports.md, "Percentages"): cut to 0.1% (4
decimals in JSON and CSV), never rounded up, and the band decided on the exact fraction — so the
figure beside a band never says the threshold was reached when it was not, or the other way round.
Checked on every surface: the report (Slack and table), App Home's line, the digest, the chart
(picture and alt text), JSON and CSV. (A threshold finer than 0.1% is refused: tests/test_config.py.)"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from bot.config.teams import Thresholds
from bot.rendering.chart import chart_alt, chart_figure
from bot.rendering.digest import digest_text, versus_week_before
from bot.rendering.report import home_line, report_blocks
from bot.rendering.report_text import report_text
from bot.reports import evidence as ev
from bot.reports.build import PersonLine, Report
from bot.reports.digest import Digest
from bot.reports.export import report_csv, report_dict
from bot.reports.metrics import Metrics, rating_band
from bot.reports.periods import Period
from bot.reports.trend import Chart, Rate
from tests.reports.fortnight import block_texts

NOW = datetime(2026, 11, 16, 13, tzinfo=UTC)


def report(on_time: int, deadlines: int) -> Report:
    m = Metrics(deadlines=deadlines, on_time=on_time, late=deadlines - on_time)
    band = rating_band(m, Thresholds())
    return Report(
        kind="team",
        subject="support",
        period=Period(date(2026, 11, 9), date(2026, 11, 15), "last week"),
        start=NOW,
        end=NOW,
        generated_at=NOW,
        tz="America/New_York",
        thresholds=Thresholds(),
        totals=m,
        band=band,
        people=(PersonLine("UALICE", "support", m, band),),
        evidence=ev.Evidence(),
    )


def chart_texts(chart: Chart) -> list[str]:
    return [t.get_text() for axes in chart_figure(chart).axes for t in axes.texts]


@pytest.mark.parametrize(
    "on_time, deadlines, shown, exported, band",
    [
        (2, 3, "66.6%", 0.6666, "below"),  # cut, not 67% (nor 0.6667 in the export)
        (179, 200, "89.5%", 0.895, "below"),
        (43, 48, "89.5%", 0.8958, "below"),  # 89.58%: never "90%" beside a band below 90%
        (22499, 25000, "89.9%", 0.8999, "below"),  # 89.996%: not 0.9 in the export either
        (9, 10, "90%", 0.9, "meets"),
    ],
)
def test_one_rate_reads_the_same_everywhere_and_agrees_with_its_band(
    on_time, deadlines, shown, exported, band
):
    r = report(on_time, deadlines)
    assert r.band.level == band
    words = f"{shown}, {on_time} of {deadlines}"
    assert r.band.reason.startswith(f"{shown} on time, {on_time} of {deadlines}; ")
    assert home_line(r) == words  # App Home
    assert any(words in text for text in block_texts(report_blocks(r)))  # /inquiry report
    table = report_text(r)  # inquirybot report: the rate line and each row of the table
    assert f"On-time first-response rate         {shown} ({on_time}/{deadlines})" in table
    rows = [line.split() for line in table.splitlines() if line.startswith(("UALICE", "TOTAL"))]
    assert [row[1:3] for row in rows] == [[f"{on_time}/{deadlines}", shown]] * 2
    digest = digest_text(Digest("support", r, Metrics()))  # the weekly digest
    assert f"On-time first responses: {words}" in digest and f"<@UALICE>: {shown} on time" in digest
    rate = Rate("W46", on_time, deadlines)
    chart = Chart("support", "FY2027", (rate,), (Rate("UALICE", on_time, deadlines),))
    assert shown in chart_texts(chart)  # the number over the week's point in the picture
    assert f"week 46 {shown} on time, {on_time} of {deadlines}" in chart_alt(chart)
    assert report_dict(r)["totals"]["on_time_rate"] == exported  # JSON
    [row, total] = list(csv.DictReader(io.StringIO(report_csv(r))))  # CSV
    assert float(total["on_time_rate"]) == float(row["on_time_rate"]) == exported
    assert json.dumps(exported) in json.dumps(report_dict(r))


def test_nothing_due_is_no_rate_anywhere():
    r = report(0, 0)
    assert (r.band.level, r.band.reason) == ("none", "no first-response deadline fell in this period")
    assert home_line(r) == "none due"
    assert report_dict(r)["totals"]["on_time_rate"] is None
    assert "On-time first responses: none due" in digest_text(Digest("support", r, Metrics()))
    chart = Chart("support", "FY2027", (Rate("W46", 0, 0),), (Rate("UALICE", 0, 0),))
    assert not any("%" in text for text in chart_texts(chart))  # no point drawn, not 0%
    assert "week 46 none due" in chart_alt(chart)


def test_the_change_against_the_week_before_is_between_the_figures_shown():
    now, before = Metrics(deadlines=3, on_time=2), Metrics(deadlines=5, on_time=3)
    assert versus_week_before(now, before) == "up 6.6 points from 60%, 3 of 5 the week before"  # 66.6 − 60
