"""Text longer than one Slack block holds, shown whole: cut into pieces at line ends (a line longer
than a piece at a space), one block per piece, and blocks past a message's 50 into further
messages. Nothing is dropped (docs/messages.md, "Long text")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Block = dict[str, Any]
PIECE_CHARS = 2900  # a section's or context element's text holds 3000; room for the markup around it
MAX_BLOCKS = 50  # Slack's limit for a message
MAX_MESSAGES = 5  # a response URL answers five times; the acknowledgement can carry the first


def pieces(lines: Sequence[str], limit: int = PIECE_CHARS) -> list[str]:
    """`lines` joined by newlines into pieces of at most `limit` characters, cut only between lines
    unless one line alone is longer (then at its last space before the limit, or at the limit)."""
    out: list[str] = []
    current = ""
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(" ", limit // 2, limit)
            cut = cut if cut > 0 else limit
            head, line = line[:cut], line[cut:].lstrip(" ")
            if current:
                out.append(current)
                current = ""
            out.append(head)
        if current and len(current) + 1 + len(line) > limit:
            out.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def messages(
    blocks: list[Block], continued: Callable[[int, int], str], overflow: str
) -> list[tuple[str | None, list[Block]]]:
    """`blocks` as messages of at most MAX_BLOCKS each; every message after the first opens with
    the line `continued(n, total)` (also its top-level text). A response URL takes five messages:
    past those the last block is `overflow`, which says where the whole text is."""
    if len(blocks) <= MAX_BLOCKS:
        return [(None, blocks)]
    room = MAX_BLOCKS - 1  # the "continued" line each later message opens with
    first, rest = blocks[:MAX_BLOCKS], blocks[MAX_BLOCKS:]
    later = [rest[i : i + room] for i in range(0, len(rest), room)]
    if len(later) >= MAX_MESSAGES:
        later = later[: MAX_MESSAGES - 1]
        later[-1] = [*later[-1][: room - 1], _context(overflow)]
    total = 1 + len(later)
    out: list[tuple[str | None, list[Block]]] = [(None, first)]
    for n, part in enumerate(later, start=2):
        line = continued(n, total)
        out.append((line, [_context(line), *part]))
    return out


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
