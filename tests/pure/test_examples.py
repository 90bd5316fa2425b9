"""Every example an error or the help shows follows the help's grammar (docs/record.md, "What a
date means"): each one, as a person would type it in Slack, is a command the parser accepts.

The examples are collected from the source itself (every `example="…"` literal and every
`…EXAMPLE…` constant in bot/, and the help's USAGE table), so a new error with a wrong example
fails here without anyone remembering to add it."""

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
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            value = None
            if isinstance(node, ast.keyword) and node.arg == "example":
                value = node.value
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and "EXAMPLE" in t.id for t in node.targets
            ):
                value = node.value
            try:
                text = ast.literal_eval(value) if value is not None else None
            except ValueError:
                continue  # an f-string or a call: built from USAGE or the item's own id
            if isinstance(text, str) and text.startswith("/inquiry "):
                found.setdefault(text, f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    for name, (_, example) in USAGE.items():
        found.setdefault(example, f"USAGE[{name!r}]")
    return found


EXAMPLES = _examples()


def test_the_examples_are_found():
    assert len(EXAMPLES) >= 25  # the help's table alone has one per subcommand
    assert any("because" in e for e in EXAMPLES)  # the established-deadline example is among them


@pytest.mark.parametrize("example", sorted(EXAMPLES), ids=lambda e: e[:60])
def test_every_example_is_a_command_the_parser_accepts(example):
    typed = example.removeprefix("/inquiry ").replace("@bob", MENTION)
    parse_command(typed, when=When(now=NOW, tz="America/New_York"))  # raises InputError if not
    assert "reason:" not in example and "; reason" not in example  # the help says "because <reason>"
