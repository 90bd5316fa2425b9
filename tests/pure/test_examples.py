"""Every example an error or the help shows follows the help's grammar (docs/record.md, "What a
date means"): each one, as a person would type it in Slack, is a command the parser accepts.

The examples are collected from the source itself (every string literal in bot/ that starts with
"/inquiry …", and the help's USAGE table), so a new error with a wrong example fails here without
anyone remembering to add it."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.commands import When, parse_command
from bot.rendering.examples import USAGE

ROOT = Path(__file__).resolve().parents[2] / "bot"
NOW = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)  # Wednesday 10:30 in New York
# What Slack sends once "@bob" is picked from its @ list.
MENTION = "<@U0BOB|bob>"


def _examples() -> dict[str, str]:
    """Every whole string literal in bot/ that starts with "/inquiry <something>" (an f-string's
    pieces are left out: they are templates around an item's own id), and the help's examples."""
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text())
        pieces = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("/inquiry ")
                and node.value.strip() != "/inquiry"
                and id(node) not in pieces
            ):
                found.setdefault(node.value, f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    for name, (_, example) in USAGE.items():
        found.setdefault(example, f"USAGE[{name!r}]")
    return found


EXAMPLES = _examples()


def test_the_examples_are_found():
    assert len(EXAMPLES) >= 35  # the help's table alone has one per subcommand
    assert any("because" in e for e in EXAMPLES)  # the established-deadline example is among them
    assert "/inquiry closure delayed 2026-12-10 until 11:00 weather" in EXAMPLES  # one in a dict


@pytest.mark.parametrize("example", sorted(EXAMPLES), ids=lambda e: e[:60])
def test_every_example_is_a_command_the_parser_accepts(example):
    typed = example.removeprefix("/inquiry ").replace("@bob", MENTION)
    parse_command(typed, when=When(now=NOW, tz="America/New_York"))  # raises InputError if not
    assert "reason:" not in example and "; reason" not in example  # the help says "because <reason>"
