"""Start-up and schema faults (docs/faults.md): one line and exit code 2, never a traceback; commands
that use the data refuse a schema newer than the code or changed by hand; a fresh `db upgrade`
says it created the schema. And the CLI in a terminal: piped into `head` it ends quietly, and it
shows people as names or ids, never Slack markup or a slash command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from bot.config.settings import settings_from_env
from inquirybot.cli import main
from storage.migrate import upgrade
from storage.models import Inquiry
from storage.session import make_engine, normalize_url
from tests.slack.harness import SECRET

ROOT = Path(__file__).resolve().parents[1]
INQUIRYBOT = Path(sys.executable).with_name("inquirybot")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> None:
    assert err.startswith("inquirybot: ") and err.count("\n") == 1 and "Traceback" not in err, err


@pytest.fixture
def fresh_url(database_url, tmp_path):
    """An empty database of the kind under test (new SQLite file or new PostgreSQL schema)."""
    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / f'fresh-{uuid.uuid4().hex[:8]}.db'}"
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


@pytest.fixture
def env(monkeypatch, fresh_url):
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    monkeypatch.delenv("INQUIRYBOT_CONFIG", raising=False)
    return fresh_url


@pytest.mark.parametrize("command", [["db", "upgrade"], ["serve", "--port", "0"], ["tick"], ["export"]])
def test_unknown_driver_is_one_line(monkeypatch, capsys, command):
    monkeypatch.setenv("DATABASE_URL", "postgresql+nosuch://u@h/db")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    code, out, err = run(capsys, *command)
    assert (code, out) == (2, "")
    one_line(err)
    assert "unknown database driver 'postgresql+nosuch'" in err


def test_empty_database_url_is_one_line_and_creates_nothing(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    for command in (["db", "upgrade"], ["export"], ["report"], ["serve", "--port", "0"], ["tick"]):
        code, out, err = run(capsys, *command)
        assert (code, out) == (2, ""), command
        one_line(err)
        assert "DATABASE_URL is set but empty" in err
    assert not list(tmp_path.iterdir())  # no inquirybot.db left behind


@pytest.mark.parametrize(
    "duration",
    ["0 business days", "0 calendar days", "0.0 business hours", "0 weeks", "-1 business days", "-2 hours"],
)
def test_a_zero_duration_in_a_policy_is_one_line(monkeypatch, capsys, tmp_path, duration):
    config = tmp_path / "c.toml"
    config.write_text(
        f'[policies.fast.kinds]\nemail = "{duration}"\n[teams.a]\npolicy = "fast"\n'
        f'[teams.a.reminders]\nnudge_before = "1 business hours"\n'
    )
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    code, out, err = run(capsys, "db", "upgrade")
    assert (code, out) == (2, "")
    one_line(err)
    assert "is not more than zero" in err or "is not a duration" in err, err
    assert not (tmp_path / "x.db").exists()


def test_fresh_upgrade_says_it_created_the_schema_then_that_it_is_current(env, capsys):
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and out.startswith("inquirybot: created the schema in ")
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "already at the latest schema" in out


# serve and socket check the schema before anything else; without a Slack token they could not run
# on past the check, so a test that fails does not hang serving.
USING_THE_DATA = [
    ["serve", "--port", "0"],
    ["socket"],
    ["tick", "--no-deliver"],
    ["export"],
    ["report"],
    ["explain", "1"],
]


@pytest.mark.parametrize("command", USING_THE_DATA)
def test_a_schema_newer_than_the_code_is_refused(env, capsys, monkeypatch, command):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    engine = make_engine(env)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    code, out, err = run(capsys, *command)
    assert (code, out) == (2, "")
    one_line(err)
    assert "has schema revision 9999_from_the_future, newer than this inquirybot knows" in err
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 2 and "newer than this inquirybot knows" in err


def test_a_column_dropped_by_hand_is_refused_with_what_to_do(env, capsys, monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    engine = make_engine(env)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE inquiries DROP COLUMN source_link"))
    engine.dispose()
    for command in [*USING_THE_DATA, ["db", "upgrade"]]:
        code, out, err = run(capsys, *command)
        assert (code, out) == (2, ""), command
        one_line(err)
        assert "missing column inquiries.source_link" in err and "inquirybot db restore" in err


def test_serve_on_a_port_in_use_is_one_line(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(engine)
    engine.dispose()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": fresh_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    env.pop("INQUIRYBOT_CONFIG", None)
    try:
        done = subprocess.run(
            [str(INQUIRYBOT), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-scheduler"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        taken.close()
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("inquirybot: cannot listen on 127.0.0.1:") and "--port" in last


def test_output_piped_into_head_ends_quietly(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(engine)
    at = "2026-03-09T14:00:00+00:00"
    rows = [
        {
            "team": "default",
            "kind": "email",
            "subject": f"Inquiry {n} " + "x" * 200,
            "received_at": at,
            "logged_at": at,
            "logged_by": "U1",
            "assignee": "U1",
            "complexity": "standard",
            "needs_research": False,
            "status": "open",
            "policy": "department",
            "rule": "1 business day",
            "first_response_due": at,
            "escalation_level": 0,
            "escalated": False,
            "reassignments": 0,
        }
        for n in range(3000)
    ]
    from datetime import datetime

    for row in rows:
        for key in ("received_at", "logged_at", "first_response_due"):
            row[key] = datetime.fromisoformat(at)
    with engine.begin() as conn:
        conn.execute(insert(Inquiry), rows)
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": fresh_url}
    env.pop("INQUIRYBOT_CONFIG", None)
    for command in ("export --format csv", "export --format json"):
        done = subprocess.run(
            f"'{INQUIRYBOT}' {command} | head -n 2",
            shell=True,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.stderr == "", done.stderr[-1500:]
        assert len(done.stdout.splitlines()) == 2


def test_explain_and_errors_show_names_not_markup(env, capsys):
    from bot.config.loading import default_config
    from bot.lifecycle import InquiryDraft, InquiryService
    from bot.slack_memory import remember_profile
    from bot.time.clock import FixedClock
    from storage.session import session_factory

    engine = make_engine(env)
    upgrade(engine)
    sessions = session_factory(engine)
    from datetime import datetime

    now = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
    service = InquiryService(sessions, default_config(), FixedClock(now))
    service.log(actor="U0BOB", draft=InquiryDraft(kind="email", subject="Permit", assignee="U0BOB"))
    remember_profile(sessions, "U0BOB", name="Bob Jones", tz="America/New_York", fetched_at=now)
    engine.dispose()
    code, out, err = run(capsys, "explain", "1")
    assert code == 0, err
    assert "<@" not in out and "Bob Jones (U0BOB)" in out
    code, out, err = run(capsys, "explain", "INQ-77")
    assert code == 2
    one_line(err)
    assert "/inquiry" not in err and "`inquirybot export`" in err


def test_no_cli_text_shows_markup_or_a_slash_command(env, capsys, monkeypatch):
    """Every answer the CLI gives, good or bad, reads as terminal text (inquirybot/cli/terminal.py)."""
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    engine = make_engine(env)
    upgrade(engine)
    engine.dispose()
    said = []
    for command in (
        ["closure", "list"],  # empty: says how to declare one
        ["closure", "add", "2099-12-24", "--reason", "snow"],
        ["closure", "list"],
        ["closure", "cancel", "1"],
        ["closure", "list"],
        ["closure", "cancel", "99"],
        ["closure", "add", "2000-01-01", "--reason", "past"],
        ["explain", "INQ-77"],
        ["explain", "x"],
        ["report", "--team", "nosuch"],
        ["report", "--from", "2026-12-01", "--to", "2026-01-01"],
        ["report", "--user", "U0NOBODY"],
    ):
        code, out, err = run(capsys, *command)
        said.append((command, code, out + err))
        assert "Traceback" not in err
    for command, _code, text_ in said:
        assert "/inquiry" not in text_ and "<@" not in text_ and "<#" not in text_, (command, text_)
    assert "declared by cli:alice" in said[2][2] and "cancelled by cli:alice" in said[4][2]
    assert "`inquirybot closure add DATE --reason TEXT`" in said[0][2]


# ---- a database that stops taking writes (docs/faults.md "A busy database", "Start-up") ----------


@pytest.fixture
def sqlite_env(monkeypatch, tmp_path):
    """A migrated SQLite file of our own (these faults are SQLite's: a lock, a read-only file)."""
    path = tmp_path / "bot.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("INQUIRYBOT_CONFIG", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    return path


def closures_stored(path: Path) -> int:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM closures")).scalar_one()
    engine.dispose()
    return int(count)


def test_a_database_locked_past_the_wait_is_one_line_and_stores_nothing(sqlite_env, capsys, monkeypatch):
    """Another process holds SQLite's lock for longer than a command waits: the operator read a
    traceback; now one line saying nothing was stored, exit 2, and the command works once it is free."""
    import sqlite3

    monkeypatch.setattr("storage.session.PATIENT_WAIT", 0.5)
    holder = sqlite3.connect(sqlite_env, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, out, err = run(capsys, "closure", "add", "2027-01-05", "--reason", "snow")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (code, out) == (2, "")
    one_line(err)
    assert "the database did not answer" in err and "was not stored" in err, err
    assert closures_stored(sqlite_env) == 0
    code, out, _ = run(capsys, "closure", "add", "2027-01-05", "--reason", "snow")
    assert code == 0 and "Declared closure" in out and closures_stored(sqlite_env) == 1


def test_a_read_only_sqlite_file_stops_the_commands_that_write_before_they_start(
    sqlite_env, capsys, monkeypatch
):
    """SQLite opens a read-only file without complaint and fails at the first write: `serve` started
    and every command then failed, `closure add` printed a traceback. Now each command that writes
    says so in one line before starting; reading commands still read."""
    import os as os_module

    sqlite_env.chmod(0o444)
    real_access = os_module.access
    if os_module.geteuid() == 0:  # root writes through the mode bits; pretend it cannot, as others
        monkeypatch.setattr(
            "storage.database.os.access",
            lambda p, mode: (
                False if Path(p) == sqlite_env and mode & os_module.W_OK else real_access(p, mode)
            ),
        )
    try:
        for command in (
            ["serve", "--port", "0"],
            ["tick"],
            ["closure", "add", "2027-01-05", "--reason", "snow"],
            ["db", "upgrade"],
        ):
            code, out, err = run(capsys, *command)
            assert (code, out) == (2, ""), command
            one_line(err)
            assert f"the file {sqlite_env} is read-only; make it writable" in err, err
        code, out, err = run(capsys, "report", "--format", "csv")
        assert code == 0 and out.startswith("row,team,user"), err
    finally:
        sqlite_env.chmod(0o644)


def test_a_write_refused_by_sqlite_mid_command_is_one_line(sqlite_env, capsys, monkeypatch):
    """The file turned read-only after the start-up check (a remount, a full disk): one line, not a
    traceback; a scheduler job (`tick`, `serve`) says the same in one log line, no traceback."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from bot.scheduling import jobs

    def refused(*_args: object, **_kwargs: object) -> None:
        reason = sqlite3.OperationalError("attempt to write a readonly database")
        raise OperationalError("INSERT INTO closures …", {}, reason)

    monkeypatch.setattr("bot.lifecycle.replan.ClosureService.declare", refused)
    code, out, err = run(capsys, "closure", "add", "2027-01-05", "--reason", "snow")
    assert (code, out) == (2, "")
    one_line(err)
    assert "(attempt to write a readonly database)" in err and "was not stored" in err, err

    from handlers.context import failure_reply

    try:
        refused()
    except OperationalError as exc:  # a Slack user's command at that moment: busy, nothing stored
        assert "busy — nothing was stored, please try again" in failure_reply(exc).text

    monkeypatch.setitem(jobs.JOBS, "digests", refused)
    result = jobs.run_job("digests", None)  # type: ignore[arg-type]
    assert not result.ok
    assert result.summary == "failed: the database did not answer (attempt to write a readonly database)"


@pytest.mark.parametrize(
    "name, value, shown",
    [
        (
            "SLACK_BOT_TOKEN",
            "xoxp-1234-5678-secret",
            "SLACK_BOT_TOKEN is a user token (xoxp-…), not the bot token",
        ),
        (
            "SLACK_BOT_TOKEN",
            "xapp-1-A1-secret",
            "SLACK_BOT_TOKEN is an app-level token (xapp-…), not the bot token",
        ),
        ("SLACK_BOT_TOKEN", '"xoxb-1-secret"', "SLACK_BOT_TOKEN has quotes or spaces in it"),
        ("SLACK_BOT_TOKEN", "xoxb-1-secret ", "SLACK_BOT_TOKEN has quotes or spaces in it"),
        (
            "SLACK_APP_TOKEN",
            "xoxb-1-secret",
            "SLACK_APP_TOKEN is a bot token (xoxb-…), not the app-level token",
        ),
    ],
)
@pytest.mark.parametrize(
    "command", [["serve", "--port", "0", "--no-scheduler"], ["socket"], ["tick"]], ids=lambda c: c[0]
)
def test_a_token_of_the_wrong_shape_stops_start_up_in_one_line(fresh_url, command, name, value, shown):
    """A wrong token was found only at the first delivery (or never, on a quiet day). Its shape is
    checked at start; the real check needs Slack. The secret itself is never printed."""
    if name == "SLACK_APP_TOKEN" and command[0] != "socket":
        pytest.skip("only socket reads the app-level token")
    engine = make_engine(fresh_url)
    upgrade(engine)
    engine.dispose()
    env = {
        **os.environ,
        "DATABASE_URL": fresh_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        name: value,
    }
    env.pop("INQUIRYBOT_CONFIG", None)
    done = subprocess.run([str(INQUIRYBOT), *command], env=env, capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout) == (2, "")
    one_line(done.stderr)
    assert shown in done.stderr and "secret" not in done.stderr


@pytest.mark.parametrize("port", ["99999", "-1", "65536"])
def test_a_port_out_of_range_is_one_line(monkeypatch, capsys, port):
    """`--port 99999` served on another port (99999 - 65536) without a word."""
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit, as on the command line
        main(["serve", f"--port={port}"])
    out, err = capsys.readouterr()
    assert (stopped.value.code, out) == (2, "")
    one_line(err)
    assert f"argument --port: {port} is not a port; give 1-65535 (0: any free port)" in err


def test_a_token_of_no_known_kind_is_left_to_slack():
    """Only a token recognisably of another kind is refused: a stand-in's or a test's token of any
    other text is Slack's to judge at the first call."""
    settings = settings_from_env({"SLACK_BOT_TOKEN": "stand-in-token", "SLACK_APP_TOKEN": "xapp-1-A1-x"})
    assert (settings.slack_bot_token, settings.slack_app_token) == ("stand-in-token", "xapp-1-A1-x")
