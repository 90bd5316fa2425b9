"""`inquirybot closure add|list|cancel`: what the operator sees, what is stored, and bad input refused
with one line, exit code 2 and nothing stored."""

from __future__ import annotations

import getpass
import json
import os

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from bot.config.loading import load_config
from bot.lifecycle import InquiryDraft, InquiryService
from bot.time.clock import SystemClock
from inquirybot.cli import main
from storage.models import Closure, Deadline, Event, OutboxMessage
from tests.closures.helpers import et

CONFIG_TOML = """
admins = ["UADMIN"]
[teams.licensing]
members = ["UALICE", "UBOB"]
channel = "CTEAM"
closures = [{date = "2026-12-24", reason = "Executive Order"}]
[teams.support]
members = ["UDAN"]
policy = "ita"
channel = "CSUP"
"""


@pytest.fixture
def cli(monkeypatch, tmp_path, database_url, sessions, capsys):
    path = tmp_path / "inquirybot.toml"
    path.write_text(CONFIG_TOML)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(path))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def stored(sessions) -> tuple[int, int, int, int]:
    with sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m)) for m in (Closure, Deadline, Event, OutboxMessage)
        )


def test_add_list_cancel_from_the_cli_re_plans_and_keeps_toml_closures(cli, sessions):
    service = InquiryService(sessions, load_config(os.environ["INQUIRYBOT_CONFIG"]), SystemClock())
    with freeze_time(et(2026, 12, 22, 10)):  # Tue; Thu 24 Dec is closed in the TOML
        item = service.log(actor="UALICE", draft=InquiryDraft(kind="email", subject="s", needs_research=True))
    assert item.first_response_due == et(
        2026, 12, 28, 17
    )  # Wed 23 (1), Thu 24 TOML, Fri 25 holiday, Mon 28 (2)

    with freeze_time(et(2026, 12, 22, 18)):
        code, out, err = cli("closure", "add", "2026-12-28", "--team", "licensing", "--reason", "weather")
    assert (code, err) == (0, "")
    assert out.strip() == (
        "Declared closure #1: Office closed Mon 28 Dec 2026 for team licensing (weather) — "
        "team licensing; 1 pending deadline re-planned."
    )
    with sessions() as s:
        dues = [d.due_at for d in s.scalars(select(Deadline).order_by(Deadline.id))]
    assert dues == [et(2026, 12, 28, 17), et(2026, 12, 29, 17)]

    code, out, _ = cli("export")  # the current version
    [exported] = json.loads(out)
    assert exported["first_response_due"] == "2026-12-29T22:00:00Z"
    code, out, _ = cli("explain", "1")  # every version, and why
    assert "First response due (version 1, superseded) Mon 28 Dec 2026 17:00 EST" in out
    assert "First response due (version 2, current) Tue 29 Dec 2026 17:00 EST" in out
    assert "Re-planned: office closed: weather, declared by cli:" in out and "<@" not in out

    code, out, _ = cli("closure", "list", "--format", "json")
    [listed] = json.loads(out)
    assert listed["reason"] == "weather" and listed["team"] == "licensing" and listed["cancelled_at"] is None
    assert listed["declared_by"].startswith("cli")

    with freeze_time(et(2026, 12, 22, 19)):
        code, out, _ = cli("closure", "cancel", "1")
    assert code == 0 and "1 pending deadline re-planned" in out
    with sessions() as s:
        dues = [d.due_at for d in s.scalars(select(Deadline).order_by(Deadline.id))]
    assert dues == [et(2026, 12, 28, 17), et(2026, 12, 29, 17), et(2026, 12, 28, 17)]
    code, out, _ = cli("closure", "list")
    assert (
        "#1 Office closed Mon 28 Dec 2026 for team licensing (weather)" in out and "cancelled by cli:" in out
    )
    assert "<@" not in out  # a terminal shows who, not Slack markup


@pytest.mark.parametrize(
    "argv, message",
    [
        (("2026-12-10", "--to", "2026-12-08"), "the range ends (2026-12-08) before it starts (2026-12-10)"),
        (("2026-12-10", "--opens", "11:00", "--closes", "10:00"), "leaves no working time"),
        (("2026-12-10", "--opens", "08:00"), "a delayed arrival until 08:00 is outside the working hours"),
        (("2026-12-10", "--closes", "18:00"), "an early dismissal from 18:00 is outside the working hours"),
        (("2026-12-10", "--opens", "9:5x"), "opens: '9:5x' is not a time of day"),
        (("2026-12-10", "--team", "nope"), "unknown team 'nope'; known teams: licensing, support"),
        (("2026-12-01",), "2026-12-01 is in the past for team licensing"),
        (
            ("2026-12-25", "--closes", "13:00"),
            "Fri 25 Dec 2026 is already closed for every team (Christmas Day); "
            "an early dismissal there changes nothing",
        ),
        (
            ("2026-12-12", "--to", "2026-12-13", "--team", "support"),
            "Sat 12 Dec 2026 to Sun 13 Dec 2026 are already closed for team support (Saturday; Sunday); "
            "a closure there changes nothing",
        ),
        (("2026-13-01",), "DATE '2026-13-01' is not a date"),
        # 9999-12-31 overflowed in the re-plan with a traceback; 1850 and 2300 were stored
        (
            ("9999-12-31",),
            "DATE 9999-12-31 is outside the years the bot works in; give a date from 1970 to 2199",
        ),
        (("1850-01-01", "--past"), "DATE 1850-01-01 is outside the years the bot works in"),
        (("2200-01-01",), "DATE 2200-01-01 is outside the years"),
        (("2026-12-10", "--to", "10000-01-01"), "--to 10000-01-01 is outside the years the bot works in"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_stored(cli, sessions, argv, message):
    before = stored(sessions)
    with freeze_time(et(2026, 12, 9, 10)):
        code, out, err = cli("closure", "add", *argv, "--reason", "weather")
    assert code == 2 and out == ""
    assert err.startswith("inquirybot: ") and message in err and err.count("\n") == 1
    assert stored(sessions) == before


def test_past_closures_need_past_and_cancelling_an_unknown_one_is_refused(cli, sessions):
    with freeze_time(et(2026, 12, 9, 10)):
        code, out, err = cli("closure", "add", "2026-12-01", "--past", "--reason", "weather")
        assert code == 0 and "0 pending deadlines re-planned" in out
        code, out, err = cli("closure", "cancel", "7")
        assert code == 2 and "no closure #7" in err
        with pytest.raises(SystemExit) as stopped:  # the parser's: an empty value, named
            cli("closure", "add", "2026-12-10", "--reason", "  ")
        assert stopped.value.code == 2
    assert stored(sessions)[0] == 1


def due_versions(sessions, inquiry_id: int) -> list[str]:
    with sessions() as s:
        rows = s.scalars(
            select(Deadline.due_at)
            .where(Deadline.inquiry_id == inquiry_id, Deadline.name == "first_response")
            .order_by(Deadline.id)
        )
        return [d.astimezone(et(2026, 1, 1).tzinfo).strftime("%a %d %H:%M") for d in rows]


def test_ranges_and_partial_days_from_the_cli_for_every_team_by_default(cli, sessions):
    service = InquiryService(sessions, load_config(os.environ["INQUIRYBOT_CONFIG"]), SystemClock())
    with freeze_time(et(2026, 12, 11, 9)):  # Fri 09:00
        licensing = service.log(
            actor="UALICE", draft=InquiryDraft(kind="email", subject="s", needs_research=True)
        )
        support = service.log(
            actor="UDAN", draft=InquiryDraft(kind="email", subject="s")
        )  # 16 business hours
    assert due_versions(sessions, licensing.id) == ["Tue 15 17:00"]
    assert due_versions(sessions, support.id) == ["Mon 14 17:00"]

    with freeze_time(et(2026, 12, 11, 10)):
        range_ = cli(
            "closure", "add", "2026-12-14", "--to", "2026-12-15", "--reason", "lapse in appropriations"
        )
        delayed = cli("closure", "add", "2026-12-16", "--opens", "11:00", "--reason", "weather")
        early = cli(
            "closure", "add", "2026-12-17", "--closes", "10:00", "--team", "support", "--reason", "ice"
        )
    assert range_ == (
        0,
        "Declared closure #1: Office closed Mon 14 Dec – Tue 15 Dec 2026 (lapse in appropriations) — "
        "every team; 2 pending deadlines re-planned.\n",
        "",
    )
    assert delayed[1].startswith(
        "Declared closure #2: Delayed arrival (opens 11:00) Wed 16 Dec 2026 (weather)"
    )
    assert delayed[1].endswith("every team; 1 pending deadline re-planned.\n")
    assert early[1].startswith(
        "Declared closure #3: Early dismissal (closes 10:00) Thu 17 Dec 2026 for team support"
    )
    # Without --team every team closed; the business-day rule keeps a shortened day, business hours do not.
    assert due_versions(sessions, licensing.id) == ["Tue 15 17:00", "Thu 17 17:00"]
    assert due_versions(sessions, support.id) == [
        "Mon 14 17:00",
        "Wed 16 17:00",
        "Thu 17 11:00",
        "Fri 18 10:00",
    ]
    code, out, _ = cli("explain", str(support.id))  # the short days it was counted across, as open
    assert code == 0
    assert "Wed 16 Dec: open 11:00-17:00; delayed arrival (opens 11:00): weather" in out
    assert "Thu 17 Dec: open 09:00-10:00; early dismissal (closes 10:00): ice" in out
    assert "2026-12-17 open 09:00-10:00 (early dismissal (closes 10:00): ice)" in out
    code, out, _ = cli("closure", "list", "--format", "json")
    listed = [(c["team"], c["first_day"], c["last_day"], c["opens"], c["closes"]) for c in json.loads(out)]
    assert listed == [
        (None, "2026-12-14", "2026-12-15", None, None),
        (None, "2026-12-16", "2026-12-16", "11:00", None),
        ("support", "2026-12-17", "2026-12-17", None, "10:00"),
    ]


def test_the_cli_report_counts_business_days_with_the_closures_declared_while_running(cli, sessions):
    """`inquirybot report` said INQ-1 was logged 3 business days after receipt, where the same report
    in Slack said 2: a fresh process read business time on the TOML calendar alone, without the
    snow day declared while the bot ran."""
    from bot.lifecycle.outcome_job import decide_fallen

    config = load_config(os.environ["INQUIRYBOT_CONFIG"])
    service = InquiryService(sessions, config, SystemClock())
    with freeze_time(et(2026, 12, 7, 10)):  # Mon
        assert cli("closure", "add", "2026-12-09", "--reason", "snow")[0] == 0
    with freeze_time(et(2026, 12, 10, 10)):  # Thu; received Mon: Tue and Thu are business days
        draft = InquiryDraft(kind="email", subject="s", received_at=et(2026, 12, 7, 9, 30))
        item = service.log(actor="UALICE", draft=draft)  # due Tue 17:00: already missed
        decide_fallen(sessions, config, SystemClock())
    with freeze_time(et(2026, 12, 14, 10)):
        code, out, err = cli(
            "report", "--team", "licensing", "--from", "2026-12-07", "--to", "2026-12-13", "--format", "json"
        )
    assert (code, err) == (0, "")
    [late] = json.loads(out)["evidence"]["late"]
    assert (late["id"], late["logged_days_after_receipt"]) == (item.id, 2)


def test_a_closure_declared_afterwards_never_rewrites_a_finished_weeks_evidence(cli, sessions):
    """INQ-1 was logged Thursday for a receipt on Monday: 3 business days, marked in the evidence. A
    closure declared the next week for that Wednesday (`--past`) recorded that the office was shut;
    the report of the finished week then said 2, rewriting what the evidence said when the week
    closed. The delay stored when the item was logged is what the evidence shows."""
    from bot.lifecycle.outcome_job import decide_fallen

    config = load_config(os.environ["INQUIRYBOT_CONFIG"])
    service = InquiryService(sessions, config, SystemClock())
    with freeze_time(et(2026, 12, 10, 10)):  # Thu; received Mon: Tue, Wed and Thu are business days
        draft = InquiryDraft(kind="email", subject="s", received_at=et(2026, 12, 7, 9, 30))
        item = service.log(actor="UALICE", draft=draft)  # due Tue 17:00: already missed
        decide_fallen(sessions, config, SystemClock())

    def evidence() -> tuple[int, int]:
        code, out, err = cli(
            "report", "--team", "licensing", "--from", "2026-12-07", "--to", "2026-12-13", "--format", "json"
        )
        assert (code, err) == (0, "")
        [late] = json.loads(out)["evidence"]["late"]
        return late["id"], late["logged_days_after_receipt"]

    with freeze_time(et(2026, 12, 14, 10)):
        assert evidence() == (item.id, 3)
    with freeze_time(et(2026, 12, 15, 10)):
        assert cli("closure", "add", "2026-12-09", "--past", "--reason", "water main")[0] == 0
        assert evidence() == (item.id, 3)


def test_a_closure_identical_to_a_live_one_is_refused_naming_it(cli, sessions):
    """The same day declared twice (a second admin, a retried script) was stored twice: the channel
    was told twice, and cancelling one left the day closed by its double."""
    with freeze_time(et(2026, 12, 9, 10)):
        assert cli("closure", "add", "2026-12-10", "--reason", "weather")[0] == 0
        assert cli("closure", "add", "2026-12-11", "--opens", "11:00", "--reason", "ice")[0] == 0
        before = stored(sessions)
        code, out, err = cli("closure", "add", "2026-12-10", "--reason", "snow, as announced")
        assert (code, out) == (2, "")
        assert err == (
            "inquirybot: closure #1 already declares that: Office closed Thu 10 Dec 2026 (weather), declared "
            f"by cli:{getpass.getuser()}; nothing stored (to change its reason, cancel #1 and declare it again)\n"
        )
        code, _, err = cli("closure", "add", "2026-12-11", "--opens", "11:00", "--reason", "ice")
        assert code == 2 and err.startswith("inquirybot: closure #2 already declares that: Delayed arrival")
        assert stored(sessions) == before
        # overlapping but not identical: declared (docs/closures.md says how they combine)
        assert cli("closure", "add", "2026-12-10", "--team", "support", "--reason", "weather")[0] == 0
        assert cli("closure", "add", "2026-12-11", "--opens", "12:00", "--reason", "more ice")[0] == 0
        # once cancelled, the same closure may be declared again
        assert cli("closure", "cancel", "1")[0] == 0
        assert cli("closure", "add", "2026-12-10", "--reason", "weather")[0] == 0
    assert stored(sessions)[0] == 5
