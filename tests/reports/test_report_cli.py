"""`inquirybot report` in table, CSV and JSON, on the scripted fortnight."""

from __future__ import annotations

import csv
import io
import json

import pytest
from freezegun import freeze_time

from bot.reports.export import CSV_COLUMNS, METRIC_KEYS
from bot.slack_memory import remember_profile
from inquirybot.cli import main
from tests.reports.fortnight import LINK6, REPORT_NOW, A, B, C, utc

CONFIG_TOML = """
admins = ["UADMIN"]
[teams.support]
members = ["UALICE", "UBOB", "UCAROL"]
supervisors = ["USUE"]
channel = "CSUPPORT"
escalation_channel = "CESC"
[teams.exports]
members = ["UDAN"]
supervisors = ["USAM"]
channel = "CEXPORTS"
"""
FORTNIGHT = ("--from", "2026-11-02", "--to", "2026-11-15")


@pytest.fixture
def cli(monkeypatch, database_url, tmp_path, fortnight, capsys):
    path = tmp_path / "inquirybot.toml"
    path.write_text(CONFIG_TOML)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(path))

    def run(*argv: str) -> tuple[int, str, str]:
        with freeze_time(utc(REPORT_NOW)):
            code = main(["report", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_json_has_stable_documented_keys_and_fractions(cli):
    code, out, err = cli("--team", "support", *FORTNIGHT, "--format", "json")
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert list(data) == [
        "format_version",
        "kind",
        "subject",
        "period",
        "generated_at",
        "thresholds",
        "totals",
        "people",
        "evidence",
    ]
    assert data["period"] == {
        "name": "2026-11-02 to 2026-11-15",
        "from": "2026-11-02",
        "to": "2026-11-15",
        "start": "2026-11-02T05:00:00Z",
        "end": "2026-11-16T05:00:00Z",
        "timezone": "America/New_York",
    }
    assert data["generated_at"] == "2026-11-16T13:00:00Z"
    totals = data["totals"]
    assert list(totals) == list(METRIC_KEYS)
    assert (totals["on_time_rate"], totals["first_response_deadlines"], totals["on_time"]) == (0.6666, 9, 6)
    assert (totals["resolution_on_time_rate"], totals["status_update_compliance"]) == (0.3333, 0.6666)
    assert (
        totals["median_business_hours_to_first_response"],
        totals["p90_business_hours_to_first_response"],
    ) == (8.0, 22.0)
    assert (totals["feedback_average"], totals["band"]) == (4.0, "below")
    people = {p["user"]: p for p in data["people"]}
    assert list(people) == [A, B, C] and all(list(p)[:2] == ["user", "team"] for p in data["people"])
    assert people[A]["on_time_rate"] == 1.0 and people[A]["band"] == "exceeds"
    assert people[B]["on_time_rate"] == 0.3333 and people[B]["unescalated_missed"] == 2
    late = data["evidence"]["late"]
    assert [(i["ref"], i["due"], i["responded_at"]) for i in late] == [
        ("INQ-2", "2026-11-03T22:00:00Z", "2026-11-04T15:00:00Z"),
        ("INQ-6", "2026-11-09T22:00:00Z", None),
        ("INQ-10", "2026-11-13T22:00:00Z", "2026-11-13T22:30:00Z"),
    ]
    assert late[1]["source_link"] == LINK6 and late[1]["escalated_by_hand"] is True
    assert data["evidence"]["absences"] == [
        {
            "user": A,
            "start": "2026-11-11T05:00:00Z",
            "end": "2026-11-14T05:00:00Z",
            "alternate": B,
            "ended_early": False,
        }
    ]


def test_csv_has_a_row_per_person_and_a_total(cli):
    code, out, _ = cli("--team", "support", *FORTNIGHT, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and out.splitlines()[0].split(",") == list(CSV_COLUMNS)
    assert [(r["row"], r["user"], r["on_time"], r["on_time_rate"]) for r in rows] == [
        ("person", A, "4", "1.0"),
        ("person", B, "1", "0.3333"),
        ("person", C, "1", "0.5"),
        ("total", "", "6", "0.6666"),  # cut like the 66.6% beside it
    ]
    assert rows[-1]["team"] == "support" and rows[-1]["band_reason"] == "66.6% on time, 6 of 9; under 90%"


def test_table_for_one_person_and_periods_in_words(cli):
    code, out, _ = cli("--user", B, "--period", "last week")
    assert code == 0
    assert out.startswith(f"Inquiry report: {B}\nPeriod: last week (Nov 9 – Nov 15, 2026)")
    assert "On-time first-response rate         50% (1/2)" in out
    assert "• INQ-10 Question INQ-10 (@UBOB) — due Fri 13 Nov 2026, 5:00 PM EST; answered" in out
    assert "@UALICE away Wed 11 Nov 2026" not in out  # Alice's absence is not in Bob's record


def test_table_for_everyone_lists_each_person_with_a_bar(cli):
    code, out, _ = cli(*FORTNIGHT)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Inquiry report: All teams"
    assert any(line.startswith("UBOB") and "33.3%  ███░░░░░░░" in line for line in lines)
    assert any(line.startswith("UDAN") and "0/0" in line for line in lines)
    assert any(line.startswith("TOTAL") and "6/9  66.6%  ██████░░░░" in line for line in lines)
    assert (
        "INQ-6 (https://example.slack.com/archives/C0SUPPORT/p1762462800000100) Tariff classification" in out
    )


def test_table_names_people_beside_their_ids(cli, sessions, tmp_path, monkeypatch):
    """Names from Slack's cached profile first, else the config's [names]; no name: the bare id."""
    path = tmp_path / "named.toml"
    path.write_text(CONFIG_TOML + '[names]\nUALICE = "Alice Adams"\nUBOB = "Bob (config)"\n')
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(path))
    remember_profile(sessions, B, name="Bob Brown", tz="America/New_York", fetched_at=utc(REPORT_NOW))
    code, out, _ = cli("--team", "support", *FORTNIGHT)
    lines = out.splitlines()
    assert code == 0
    assert any(line.startswith("Alice Adams (UALICE)") and "4/4" in line for line in lines), out
    assert any(line.startswith("Bob Brown (UBOB)") for line in lines)  # Slack's name beats the config's
    assert any(line.startswith("UCAROL ") for line in lines)  # nobody named her: the id alone
    assert "Bob (config)" not in out and "@UBOB" not in out
    assert "(Bob Brown, UBOB)" in out  # evidence lines name the person too
    code, out, _ = cli("--user", A, "--period", "last week")
    assert out.startswith("Inquiry report: Alice Adams (UALICE)\n")


def test_a_names_entry_that_is_not_text_is_one_line_and_exit_2(tmp_path, monkeypatch, database_url, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(CONFIG_TOML + "[names]\nUALICE = 3\n")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(path))
    assert main(["report"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith('[names] UALICE must be a name in quotes, like UALICE = "Alice Adams"; got 3'), err
    assert "\n" not in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ("--from", "2026-11-15", "--to", "2026-11-02"),
            "period ends (2026-11-02) before it starts (2026-11-15)",
        ),
        (("--from", "15/11/2026"), "--from '15/11/2026' is not a date; write YYYY-MM-DD"),
        (("--period", "fortnight"), "period 'fortnight' is not one I know"),
        # these overflowed with a traceback, or reported an empty 1850 as if it were a real period
        (
            ("--period", "9999-01-01..9999-12-31"),
            "period '9999-01-01..9999-12-31' (9999-01-01 to 9999-12-31) is outside the years the bot "
            "works in; give a date from 1970 to 2199",
        ),
        (("--period", "9999-12"), "period '9999-12' is outside the years the bot works in"),
        (("--period", "1850"), "period '1850' (1850-01-01 to 1850-12-31) is outside the years"),
        (("--from", "1850-01-01"), "--from 1850-01-01 is outside the years the bot works in"),
        (("--to", "9999-12-31"), "--to 9999-12-31 is outside the years the bot works in"),
        (("--from", "10000-01-01"), "--from 10000-01-01 is outside the years"),
        (("--period", "Q1", "--from", "2026-10-01"), "give either --period or --from/--to, not both"),
        (("--team", "nope"), "unknown team 'nope'; known teams: exports, support"),
        (("--team", "support", "--user", A), "give --user or --team, not both"),
        # a mistyped id read as a person with "No rating" — a report that reads as a real one
        (("--user", "U0ALCIE"), "U0ALCIE is in no team and has nothing in the record; check the id"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(cli, argv, message):
    code, out, err = cli(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("inquirybot: ") and message in err and err.count("\n") == 1
