"""The `inquirybot` console script: db upgrade, explain, export, report, and its error contract
(one line naming the problem and the fix, exit code 2, nothing written)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import inspect, text
from test_lifecycle_helpers import draft, make_service

from inquirybot.cli import main
from inquirybot.cli.export import KEYS
from storage.session import make_engine, normalize_url

CONFIG_TOML = """
admins = ["UADMIN"]
[teams.licensing]
members = ["UALICE", "UBOB", "UCAROL"]
supervisors = ["USUE"]
specialists = ["USPEC1", "USPEC2", "USPEC3"]
escalation_channel = "CESC"
[teams.exports]
members = ["UDAN", "UERIN"]
supervisors = ["USAM", "USAL"]
policy = "ita"
timezone = "America/Chicago"
"""
INQUIRYBOT = Path(sys.executable).with_name("inquirybot")


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "inquirybot.toml"
    path.write_text(CONFIG_TOML)
    return path


@pytest.fixture
def env(monkeypatch, database_url, config_file):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(config_file))
    return {**os.environ, "DATABASE_URL": database_url, "INQUIRYBOT_CONFIG": str(config_file)}


@pytest.fixture
def logged(sessions):
    service = make_service(sessions)
    first = service.log(
        actor="UALICE",
        draft=draft(customer_name="Jane Doe", customer_contact="jane@example.com", needs_research=True),
    )
    service.acknowledge(actor="UALICE", inquiry_id=first.id)
    service.log(actor="UDAN", draft=draft(kind="phone", subject='Tariff code, "urgent"'))
    return service


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_prints_each_deadline_and_the_facts_behind_it(env, logged, capsys):
    code, out, err = run(capsys, "explain", "INQ-1")
    assert (code, err) == (0, "")
    assert "INQ-1 (email, standard, needs research)" in out
    assert "First response due Thu 26 Nov 2026" not in out  # Thanksgiving is skipped
    assert "First response due Fri 27 Nov 2026 17:00 EST" in out
    assert "Thu 26 Nov: Thanksgiving Day" in out and "America/New_York" in out


def test_export_json_has_the_documented_keys_and_utc_instants(env, logged, capsys):
    code, out, _ = run(capsys, "export", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == ["INQ-1", "INQ-2"]
    assert all(list(r) == list(KEYS) for r in rows)
    first = rows[0]
    assert first["customer"] == "Jane Doe" and first["customer_contact"] == "jane@example.com"
    assert (first["team"], first["assignee"], first["status"], first["needs_research"]) == (
        "licensing",
        "UALICE",
        "acknowledged",
        True,
    )
    assert first["received_at"] == "2026-11-24T15:00:00Z"
    assert (
        first["first_response_due"] == "2026-11-27T22:00:00Z"
        and first["first_response_at"] == "2026-11-24T15:00:00Z"
    )
    assert first["promised_resolution"] is None and first["resolved_at"] is None
    assert rows[1]["team"] == "exports" and rows[1]["kind"] == "phone"


def test_export_csv_has_the_same_columns_and_team_filter(env, logged, capsys):
    code, out, _ = run(capsys, "export", "--format", "csv", "--team", "exports")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and out.splitlines()[0].split(",") == list(KEYS)
    assert [(r["id"], r["subject"], r["needs_research"], r["resolved_at"]) for r in rows] == [
        ("INQ-2", 'Tariff code, "urgent"', "false", "")
    ]


def test_export_to_a_file(env, logged, capsys, tmp_path):
    target = tmp_path / "out.json"
    assert run(capsys, "export", "--output", str(target))[0] == 0
    assert len(json.loads(target.read_text())) == 2


def test_report_counts_per_person(env, logged, capsys):
    with freeze_time("2026-12-01 15:00:00"):
        # The scheduler decides UDAN's missed deadline at the deadline (docs/outcomes.md).
        assert run(capsys, "tick", "--only", "outcomes")[0] == 0
        code, out, _ = run(capsys, "report", "--format", "json")
    people = {(p["team"], p["user"]): p for p in json.loads(out)["people"]}
    assert code == 0
    assert (
        people[("licensing", "UALICE")]["on_time"] == 1
        and people[("licensing", "UALICE")]["on_time_rate"] == 1.0
    )
    assert (
        people[("exports", "UDAN")]["overdue_now"] == 1 and people[("exports", "UDAN")]["on_time_rate"] == 0.0
    )
    with freeze_time("2026-12-01 15:00:00"):
        code, out, _ = run(capsys, "report", "--team", "exports")
    assert code == 0 and "UDAN" in out and "UALICE" not in out


@pytest.mark.parametrize(
    "toml, message",
    [
        ("[teams.a\n", "is not valid TOML"),
        ('[teams.a]\npolicy = "speedy"\n', "policy = 'speedy' is unknown; use one of: department, ita"),
        ('[teams.a]\ncolour = "red"\n', "unknown key 'colour' in [teams.a]"),
        ('[teams.a]\nmembers = ["U1", "U1"]\n', "members lists U1 more than once; list each person once"),
        (
            '[teams.a]\nmembers = ["U1"]\n[teams.b]\nmembers = ["U1"]\n',
            'say which is primary with [primary_team] U1 = "a"',
        ),
    ],
)
@pytest.mark.parametrize("command", [["db", "upgrade"], ["export"]])
def test_bad_config_is_one_line_exit_2_and_nothing_written(
    monkeypatch, capsys, tmp_path, toml, message, command
):
    config, db = tmp_path / "bad.toml", tmp_path / "new.db"
    config.write_text(toml)
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    code, out, err = run(capsys, *command)
    assert (code, out) == (2, "")
    assert err.startswith("inquirybot: ") and message in err and err.count("\n") == 1
    assert not db.exists()


@pytest.mark.parametrize(
    "url, message",
    [
        ("postgresql://postgres@127.0.0.1:1/nowhere", "cannot reach the database"),
        ("sqlite:////no/such/folder/x.db", "cannot reach the database"),
        ("mysql://u@h/db", "only sqlite:/// and postgresql:// are supported"),
    ],
)
def test_unreachable_database_is_one_line_exit_2(monkeypatch, capsys, url, message):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("INQUIRYBOT_CONFIG", raising=False)
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 2 and message in err and "DATABASE_URL" in err and err.count("\n") == 1


def test_reading_commands_do_not_create_a_missing_sqlite_file(monkeypatch, capsys, tmp_path):
    db = tmp_path / "absent.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("INQUIRYBOT_CONFIG", raising=False)
    code, _, err = run(capsys, "explain", "1")
    assert code == 2 and "run `inquirybot db upgrade`" in err and not db.exists()


def test_unknown_or_malformed_id_and_unknown_team(env, logged, capsys):
    code, out, err = run(capsys, "explain", "INQ-99")
    assert (code, out, err) == (
        2,
        "",
        "inquirybot: no inquiry INQ-99; check the id with `inquirybot export`\n",
    )
    code, _, err = run(capsys, "explain", "ninety")
    assert code == 2 and "'ninety' is not an inquiry id" in err
    code, _, err = run(capsys, "export", "--team", "nobody")
    assert code == 2 and "unknown team 'nobody'; known teams: exports, licensing" in err


@pytest.fixture
def fresh_url(database_url):
    """An empty database of the kind under test (new SQLite file or new PostgreSQL schema)."""
    if not database_url.startswith("postgres"):
        path = Path(normalize_url(database_url).database).with_name(f"fresh-{uuid.uuid4().hex[:8]}.db")
        yield f"sqlite:///{path}"
        return
    schema = f"fresh_{uuid.uuid4().hex[:10]}"
    admin = make_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield (
        normalize_url(database_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_console_script_db_upgrade_then_explain_through_the_real_entry_point(fresh_url, config_file):
    env = {**os.environ, "DATABASE_URL": fresh_url, "INQUIRYBOT_CONFIG": str(config_file)}
    first = subprocess.run(
        [INQUIRYBOT, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    again = subprocess.run(
        [INQUIRYBOT, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    assert "is at the latest schema" in first.stdout
    engine = make_engine(fresh_url)
    assert {"inquiries", "deadlines", "events", "outbox", "absences", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()
    missing = subprocess.run(
        [INQUIRYBOT, "explain", "INQ-7"], env=env, capture_output=True, text=True, timeout=120
    )
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == "inquirybot: no inquiry INQ-7; check the id with `inquirybot export`\n"


def test_export_to_a_folder_or_an_unwritable_path_is_one_line_exit_2(env, logged, capsys, tmp_path):
    """`export --output /some/folder` (or a path the system refuses) was a traceback, exit 1."""
    folder = tmp_path / "exports"
    folder.mkdir()
    code, out, err = run(capsys, "export", "--output", str(folder))
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert f"--output '{folder}' is a folder; name a file in it" in err
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "exports",
        "inquirybot.toml",
    ]
    code, out, err = run(capsys, "export", "--output", "/proc/no-such-file.json")
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert "--output '/proc/no-such-file.json': cannot write it (" in err


@pytest.mark.parametrize(
    "argv, named",
    [
        # these printed everyone's report (or the whole export) as if the option were left out
        (("report", "--team", ""), "--team is empty; give a value or leave --team out"),
        (("report", "--user", ""), "--user is empty"),
        (("report", "--user", "  "), "--user is empty"),
        (("report", "--period", ""), "--period is empty"),
        (("report", "--from", ""), "--from is empty"),
        (("report", "--team", "licensing", "--chart", ""), "--chart is empty"),
        (("export", "--team", ""), "--team is empty"),
        (("export", "-o", ""), "--output is empty; give a value or leave --output out"),
        (("explain", ""), "ID is empty; give a value"),
        (("closure", "add", "2026-12-10", "--reason", ""), "--reason is empty; give a value ("),
        (("closure", "add", "2026-12-10", "--team", "", "--reason", "snow"), "--team is empty"),
        (("tick", "--now", ""), "--now is empty"),
    ],
)
def test_an_empty_value_is_refused_naming_the_option(env, logged, capsys, argv, named):
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit, as on the command line
        main(list(argv))
    out, err = capsys.readouterr()
    assert (stopped.value.code, out) == (2, "")
    assert err.startswith("inquirybot: ") and named in err and err.count("\n") == 1
