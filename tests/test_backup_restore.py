"""`inquirybot db backup FILE` / `db restore FILE` (docs/operations.md): a consistent copy while
commands keep writing, restored only into an empty database, with the export identical before
and after. SQLite (online backup API) and PostgreSQL (pg_dump custom format)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from test_lifecycle_helpers import draft, make_service

from inquirybot.cli import main
from storage.session import make_engine, normalize_url

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, monkeypatch, url: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("INQUIRYBOT_CONFIG", raising=False)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty_url(database_url, tmp_path):
    """A new, empty database of the kind under test. PostgreSQL: a new database with a schema of
    the same name as the test session's (pg_dump keeps schema names)."""
    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    base = normalize_url(database_url)
    schema = base.query["options"].removeprefix("-csearch_path=")
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = make_engine(
        base.set(query={}).render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name)
    fresh = make_engine(url.set(query={}).render_as_string(hide_password=False))
    with fresh.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    fresh.dispose()
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_while_writing_then_restore_gives_the_same_export(
    sessions, database_url, empty_url, tmp_path, capsys, monkeypatch
):
    service = make_service(sessions)
    for n in range(20):
        service.log(actor="UALICE", draft=draft(subject=f"Before {n}"))
    stop = threading.Event()

    def keep_writing() -> None:  # commands go on while the backup runs
        n = 0
        while not stop.is_set():
            service.log(actor="UALICE", draft=draft(subject=f"During {n}"))
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        code, out, err = run(
            capsys, monkeypatch, database_url, "db", "backup", str(tmp_path / "inquirybot.backup")
        )
    finally:
        stop.set()
        writer.join(30)
    assert code == 0, err
    assert "backed up" in out
    # the copy is consistent: restored, it passes the schema check and exports like the source did
    # at one instant; so compare against the source exported right after writing stopped, on a
    # second backup taken at rest.
    code, _, err = run(capsys, monkeypatch, database_url, "db", "backup", str(tmp_path / "at-rest.backup"))
    assert code == 0, err
    code, before, _ = run(capsys, monkeypatch, database_url, "export", "--format", "csv")
    assert code == 0
    code, out, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(tmp_path / "at-rest.backup"))
    assert code == 0, err
    code, after, err = run(capsys, monkeypatch, empty_url, "export", "--format", "csv")
    assert code == 0, err
    assert after == before and before.count("\n") > 20


WRITER = """
import itertools, sys
sys.path.insert(0, "tests")
from storage.session import make_engine, session_factory
from test_lifecycle_helpers import draft, make_service
service = make_service(session_factory(make_engine(sys.argv[1])))
for n in itertools.count():
    service.log(actor="UALICE", draft=draft(subject=f"From another process {n}"))
    if n == 5:
        print("writing", flush=True)
"""


def test_a_backup_taken_while_another_process_writes_is_whole(
    sessions, database_url, empty_url, tmp_path, capsys, monkeypatch
):
    """As when the bot serves: its process writes, `db backup` runs beside it."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, database_url], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        code, _, err = run(capsys, monkeypatch, database_url, "db", "backup", str(tmp_path / "busy.backup"))
        assert writer.poll() is None, "the writer kept writing through the backup"
    finally:
        writer.kill()
        writer.wait(10)
    assert code == 0, err
    code, _, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(tmp_path / "busy.backup"))
    assert code == 0, err
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        inquiries = conn.execute(text("SELECT count(*) FROM inquiries")).scalar()
        logged = conn.execute(text("SELECT count(*) FROM events WHERE type = 'logged'")).scalar()
    engine.dispose()
    assert inquiries == logged >= 6  # every inquiry with its event: a snapshot, not a torn copy


def test_restore_refuses_a_database_with_data(sessions, database_url, tmp_path, capsys, monkeypatch):
    make_service(sessions).log(actor="UALICE", draft=draft())
    code, _, err = run(capsys, monkeypatch, database_url, "db", "backup", str(tmp_path / "x.backup"))
    assert code == 0, err
    code, out, err = run(capsys, monkeypatch, database_url, "db", "restore", str(tmp_path / "x.backup"))
    assert (code, out) == (2, "")
    assert "is not empty" in err and err.count("\n") == 1


def test_restore_refuses_what_is_not_a_backup(empty_url, tmp_path, capsys, monkeypatch):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    code, out, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(junk))
    assert (code, out) == (2, "") and "is not" in err and err.count("\n") == 1
    code, _, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(tmp_path / "missing.backup"))
    assert code == 2 and "does not exist" in err


def test_a_cut_short_backup_is_refused_before_the_target_is_touched(
    sessions, database_url, empty_url, tmp_path, capsys, monkeypatch
):
    """A backup copied off the host and cut short: restoring it was a traceback (SQLite) and, into a
    database where `db upgrade` had run, dropped its tables before finding out (both)."""
    make_service(sessions).log(actor="UALICE", draft=draft())
    good = tmp_path / "good.backup"
    code, _, err = run(capsys, monkeypatch, database_url, "db", "backup", str(good))
    assert code == 0, err
    cut = tmp_path / "cut.backup"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert run(capsys, monkeypatch, empty_url, "db", "upgrade")[0] == 0
    code, out, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(cut))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "Traceback" not in err, err
    assert f"'{cut}' is damaged" in err and "take or fetch another backup" in err
    code, out, err = run(capsys, monkeypatch, empty_url, "export")  # the upgraded schema is still there
    assert (code, out.split()) == (0, ["[", "]"]), err
    code, _, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(good))
    assert code == 0, err


def test_restoring_a_missing_file_creates_no_database(tmp_path, capsys, monkeypatch):
    target = tmp_path / "new.db"
    code, out, err = run(
        capsys, monkeypatch, f"sqlite:///{target}", "db", "restore", str(tmp_path / "no.backup")
    )
    assert (code, out) == (2, "") and "does not exist" in err and err.count("\n") == 1
    assert not target.exists()


def test_restoring_a_folder_is_one_line_exit_2_and_the_target_untouched(
    sessions, database_url, empty_url, tmp_path, capsys, monkeypatch
):
    """`db restore /backups` (the folder, not a file in it) said the backup 'does not exist'."""
    make_service(sessions).log(actor="UALICE", draft=draft())
    folder = tmp_path / "backups"
    folder.mkdir()
    code, _, err = run(capsys, monkeypatch, database_url, "db", "backup", str(folder / "x.backup"))
    assert code == 0, err
    assert run(capsys, monkeypatch, empty_url, "db", "upgrade")[0] == 0
    code, out, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(folder))
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert err == f"inquirybot: restore: '{folder}' is a folder; name the backup file in it\n"
    code, out, err = run(
        capsys, monkeypatch, empty_url, "export"
    )  # the upgraded, empty schema is still there
    assert (code, out.split()) == (0, ["[", "]"]), err
    assert [p.name for p in folder.iterdir()] == ["x.backup"]


def test_backup_to_a_folder_or_an_unwritable_path_is_one_line_exit_2(
    sessions, database_url, tmp_path, capsys, monkeypatch
):
    """`db backup /some/folder` was a traceback, exit 1."""
    make_service(sessions).log(actor="UALICE", draft=draft())
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, err = run(capsys, monkeypatch, database_url, "db", "backup", str(folder))
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert f"'{folder}' is a folder; name a file in it" in err
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".backups.*"))
    code, out, err = run(capsys, monkeypatch, database_url, "db", "backup", "/proc/no-such.backup")
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert "'/proc/no-such.backup': cannot write it (" in err


def _children(pid: int, name: str) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if fields[0].endswith(f"({name}") and int(fields[1].split()[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not Path(f"/proc/{pid}").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_restore_killed_with_kill_9_never_happens_later(
    sessions, database_url, empty_url, tmp_path, capsys, monkeypatch
):
    """`kill -9` of `db restore` left its pg_restore running: the command was dead, and seconds later
    the database was restored anyway, behind the operator's back. Now the tool dies with it, its one
    transaction rolls back, and the restore can simply be run again."""
    if not database_url.startswith("postgres"):
        pytest.skip("SQLite restores in-process, in one transaction of its own")
    with sessions.begin() as s:  # enough rows that pg_restore is still at work when it is killed
        s.execute(
            text(
                "INSERT INTO request_receipts SELECT 'k' || lpad(g::text, 190, '0'), now() "
                "FROM generate_series(1, 300000) g"
            )
        )
    backup = tmp_path / "big.backup"
    code, _, err = run(capsys, monkeypatch, database_url, "db", "backup", str(backup))
    with sessions.begin() as s:
        s.execute(text("DELETE FROM request_receipts"))
    assert code == 0, err
    restore = subprocess.Popen(
        [sys.executable, "-c", "import sys; from inquirybot.cli import main; sys.exit(main())"]
        + ["db", "restore", str(backup)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": empty_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline, tools = time.monotonic() + 60, []
    while not tools and restore.poll() is None and time.monotonic() < deadline:
        # the second pg_restore is the one that writes (the first reads the file through)
        tools = [t for t in _children(restore.pid, "pg_restore") if "--single-transaction" in _cmdline(t)]
        time.sleep(0.01)
    assert tools, "db restore ended before its pg_restore was seen"
    restore.kill()
    restore.wait(10)
    assert _gone(tools[0], 30), "pg_restore outlived the killed db restore"
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        restored = conn.execute(text("SELECT to_regclass('request_receipts') IS NOT NULL")).scalar()
        rows = conn.execute(text("SELECT count(*) FROM request_receipts")).scalar() if restored else 0
    engine.dispose()
    assert rows == 0  # not restored; run it again
    code, out, err = run(capsys, monkeypatch, empty_url, "db", "restore", str(backup))
    assert code == 0, err


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
