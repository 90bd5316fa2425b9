"""The shell's `:help` and the table in docs/shell.md name the same commands, and the shell answers
each of them (none is `unknown shell command`)."""

from __future__ import annotations

import re
from pathlib import Path

from inquirybot.shell.repl import HELP
from tests.test_shell import run_shell

DOC = Path(__file__).resolve().parents[1] / "docs" / "shell.md"


def documented() -> dict[str, str]:
    """The shell commands of docs/shell.md's table, with how each is written there."""
    text = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(:[a-z]+)([^`]*)` \|", text, flags=re.MULTILINE)
    return {name: (name + rest).strip() for name, rest in rows}


def in_help() -> dict[str, str]:
    """The shell commands `:help` lists, one a line, with how each is written there."""
    rows = re.findall(r"^  (:[a-z]+)((?: (?:[<\[@#]\S*|[a-z]+\]))*)", HELP, flags=re.MULTILINE)
    return {name: (name + rest).strip() for name, rest in rows}


def test_help_lists_exactly_the_documented_commands():
    assert in_help() == documented()
    assert set(documented()) >= {":as", ":time", ":open", ":cancel", ":help", ":quit"}


def test_the_shell_answers_every_listed_command():
    names = sorted(set(documented()) - {":quit"})
    result = run_shell(*names, ":nosuch", ":quit", ":home")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("! unknown shell command") == 1  # :nosuch alone
    assert result.stdout.rstrip().endswith("> :quit")  # nothing read after it
    assert "Traceback" not in result.stdout + result.stderr
