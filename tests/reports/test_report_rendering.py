"""Report rendering as plain data: bars, percentages, Slack's limits, the text table (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.config.teams import Thresholds
from bot.rendering.metric_words import bar
from bot.rendering.report import report_blocks
from bot.rendering.report_text import plain_text, report_text
from bot.reports import evidence as ev
from bot.reports.build import PersonLine, Report
from bot.reports.metrics import Metrics, percent, rating_band
from bot.reports.periods import Period
from tests.reports.fortnight import block_texts

NOW = datetime(2026, 11, 16, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    "fraction, shown",
    [
        (None, "··········"),
        (0.0, "░░░░░░░░░░"),
        (0.5, "█████░░░░░"),
        (0.99, "█████████░"),
        (1.0, "██████████"),
    ],
)
def test_bar_rounds_down(fraction, shown):
    assert bar(fraction) == shown


@pytest.mark.parametrize(
    "fraction, shown",
    [
        (None, "—"),
        (0.9, "90%"),
        (0.8996, "89.9%"),
        (2 / 3, "66.6%"),
        (0.625, "62.5%"),
        (1.0, "100%"),
        (0.0, "0%"),
    ],
)
def test_percent_never_rounds_up_to_a_threshold(fraction, shown):
    assert percent(fraction) == shown


@pytest.mark.parametrize(
    "on_time, deadlines, unescalated, level",
    [
        (0, 0, 0, "none"),
        (98, 100, 0, "exceeds"),
        (98, 100, 1, "meets"),
        (90, 100, 0, "meets"),
        (89, 100, 0, "below"),
    ],
)
def test_band_against_thresholds(on_time, deadlines, unescalated, level):
    m = Metrics(
        deadlines=deadlines,
        on_time=on_time,
        late=deadlines - on_time - unescalated,
        missed_open=unescalated,
        unescalated_missed=unescalated,
    )
    assert rating_band(m, Thresholds(0.9, 0.98)).level == level


def big_report(people: int) -> Report:
    m = Metrics(
        received=10, responded=9, deadlines=10, on_time=9, late=1, timed=9, median_hours=3.5, p90_hours=12.25
    )
    band = rating_band(m, Thresholds())
    late = tuple(
        ev.LateItem(
            i,
            f"INQ-{i}",
            "A long subject " * 10,
            f"U{i:04d}",
            NOW,
            None,
            None,
            False,
            "https://example.slack.com/archives/C1/p1",
        )
        for i in range(300)
    )
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
        people=tuple(PersonLine(f"U{i:04d}", "support", m, band) for i in range(people)),
        evidence=ev.Evidence(late=late, late_truncated=True),
    )


def test_a_big_report_fits_in_one_slack_message():
    blocks = report_blocks(big_report(500))
    assert len(blocks) <= 50
    assert all(len(text) <= 3000 for text in block_texts(blocks))
    assert blocks[-1]["type"] == "context"  # the note that the message was cut, or the footer


def test_text_table_aligns_and_has_a_total():
    lines = report_text(big_report(3)).splitlines()
    header = next(line for line in lines if line.startswith("person"))
    rows = [line for line in lines if line.startswith(("U000", "TOTAL"))]
    assert [r.split()[0] for r in rows] == ["U0000", "U0001", "U0002", "TOTAL"]
    assert {len(r) for r in rows} == {len(rows[0])} and len(header) <= len(rows[0])
    assert "  … (list cut at the evidence limit; raise it with --evidence-limit)" in lines


def test_plain_text_turns_slack_markup_into_words():
    assert plain_text("• <https://x.slack.com/p1|INQ-2> for <@U1|bob> *late* &amp; `x`") == (
        "• INQ-2 (https://x.slack.com/p1) for @U1 late & x"
    )
