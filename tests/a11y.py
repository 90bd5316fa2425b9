"""The accessibility rules every message and view must keep (docs/federal.md, "Accessibility"), as
checks over what the bot sends Slack: a message's params (text, blocks) or a view.

- a message has a top-level `text` with words in it (screen readers and notifications read it first);
- no glyph bars or star rows anywhere a screen reader reads (`███░░`, `★★★☆☆`);
- numbers said as they are read: a fraction or score as "7 of 11", "4.5 of 5", never `7/11` or
  `4.5/5` (read "seven slash eleven", or as the date July 11);
- units and weeks in words: "12.2 business hours", "week 46" (not `12.2 h`, or `W46` in alt text);
- no decorative separators a screen reader names aloud: `INQ-12 · Subject` is read "INQ-12 middle
  dot Subject", so what it reads is separated by plain punctuation and words instead;
- emoji never carry meaning alone: every piece of text still has words once its emoji are removed;
- a button that acts on one item carries an `accessibility_label` naming it ("Acknowledge INQ-12");
- an image carries alt text that states its numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

GLYPHS = re.compile(r"[█▉▊▋▌▍▎▏▓▒░■□▰▱★☆●○◼◻]{2,}|·{3,}")
SPOKEN_SYMBOLS = re.compile("·")  # the middle dot; a list line's leading "• " is read as a bullet, as meant
EMOJI = re.compile(r":[a-z0-9_+'-]+:")
# A slash between numbers, outside a link's address (`<https://…|label>` keeps only its label).
SLASHED = re.compile(r"\d/\d")
LINK_TARGET = re.compile(r"<[^<>|]*\|([^<>]*)>|<[^<>]*>")
HOURS_LETTER = re.compile(r"\d h\b")
WEEK_LETTER = re.compile(r"\bW\d{1,2}\b")  # in alt text only: a subject may name a form "W2"
WORD = re.compile(r"[A-Za-z]{2,}|\d")
ITEM_REF = re.compile(r"\b[A-Z]+-\d+\b")


def _texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a screen reader would read in a block tree."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in (
                "text",
                "alt_text",
                "accessibility_label",
                "title",
                "placeholder",
                "label",
                "hint",
            ) and isinstance(item, str):
                yield f"{where}.{key}", item
            elif key in (
                "value",
                "action_id",
                "block_id",
                "callback_id",
                "private_metadata",
                "url",
                "image_url",
                "initial_value",
                "style",
                "type",
                "external_id",
            ):
                continue
            else:
                yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{where}[{i}]")


def _elements(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _elements(item)
    elif isinstance(value, list):
        for item in value:
            yield from _elements(item)


def slashed(text: str) -> bool:
    return bool(SLASHED.search(LINK_TARGET.sub(r"\1", text)))


def meaningful(text: str) -> bool:
    return bool(WORD.search(EMOJI.sub("", text)))


def problems_in_blocks(blocks: list[dict[str, Any]] | None, where: str) -> list[str]:
    found: list[str] = []
    for path, text in _texts(blocks or [], where):
        if GLYPHS.search(text):
            found.append(f"{path}: glyph bar or star row in {text[:80]!r}")
        if SPOKEN_SYMBOLS.search(text):
            found.append(f"{path}: a separator read aloud as a symbol's name in {text[:80]!r}")
        if slashed(text):
            found.append(f"{path}: a number written as a fraction (7/11, 4.5/5) in {text[:80]!r}")
        if HOURS_LETTER.search(text) or (path.endswith("alt_text") and WEEK_LETTER.search(text)):
            found.append(f"{path}: a unit or week as a letter (12.2 h, W46) in {text[:80]!r}")
        if text.strip() and not meaningful(text):
            found.append(f"{path}: only emoji or symbols, no words: {text[:80]!r}")
    for element in _elements(blocks or []):
        kind = element.get("type")
        if kind == "button":
            label = (element.get("text") or {}).get("text", "")
            if str(element.get("value", "")).isdigit():  # acts on one inquiry (its id)
                a11y = element.get("accessibility_label") or ""
                if not (ITEM_REF.search(a11y) and label.split()[0] in a11y):
                    found.append(
                        f"{where}: button {label!r} acts on an item but has no accessibility_label "
                        f"naming it (got {a11y!r})"
                    )
        if kind == "image":
            alt = element.get("alt_text") or ""
            if not (meaningful(alt) and re.search(r"\d", alt)):
                found.append(f"{where}: image without alt text stating its numbers ({alt!r})")
    return found


def message_problems(params: dict[str, Any], where: str = "message") -> list[str]:
    """What is wrong with a message as posted (chat.postMessage/update/postEphemeral, a response_url
    body or a command's acknowledgement)."""
    found: list[str] = []
    text = params.get("text") or ""
    if not meaningful(text):
        found.append(f"{where}: top-level text missing or without words: {text[:80]!r}")
    if GLYPHS.search(text):
        found.append(f"{where}: glyph bar or star row in the text: {text[:120]!r}")
    if SPOKEN_SYMBOLS.search(text):
        found.append(f"{where}: a separator read aloud as a symbol's name in the text: {text[:120]!r}")
    if slashed(text):
        found.append(f"{where}: a number written as a fraction (7/11, 4.5/5) in the text: {text[:120]!r}")
    if HOURS_LETTER.search(text):
        found.append(f"{where}: hours as a letter (12.2 h) in the text: {text[:120]!r}")
    found += problems_in_blocks(params.get("blocks"), where)
    return found


def view_problems(view: dict[str, Any], where: str = "view") -> list[str]:
    """A modal needs a title; a Home tab opens with a header; both follow the block rules."""
    found: list[str] = []
    if view.get("type") == "modal":
        title = (view.get("title") or {}).get("text", "")
        if not meaningful(title):
            found.append(f"{where}: modal without a title in words ({title!r})")
    elif view.get("type") == "home":
        first = (view.get("blocks") or [{}])[0]
        if first.get("type") != "header":
            found.append(f"{where}: the Home tab does not open with a header")
    found += problems_in_blocks(view.get("blocks"), where)
    return found
