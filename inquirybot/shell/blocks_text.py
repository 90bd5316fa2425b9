"""Block Kit → readable terminal text (pure). Buttons show as [Label]; mrkdwn bold as ANSI bold on a tty."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_BOLD = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<(https?://[^|>]+)>")
_USER = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]+))?>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]+))?>")
_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]+)>")


def mrkdwn(text: str, *, color: bool = False, names: dict[str, str] | None = None) -> str:
    """Slack mrkdwn to plain text: links as 'label (url)', mentions as @name, bold as ANSI or plain."""
    names = names or {}
    text = _DATE.sub(r"\1", text)
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _USER.sub(lambda m: "@" + (names.get(m.group(1)) or m.group(2) or m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or names.get(m.group(1)) or m.group(1)), text)
    text = _BOLD.sub((lambda m: f"\033[1m{m.group(1)}\033[0m") if color else (lambda m: m.group(1)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text_of(obj: dict[str, Any] | None, **kw: Any) -> str:
    if not obj:
        return ""
    return mrkdwn(obj.get("text", ""), **kw) if obj.get("type") == "mrkdwn" else obj.get("text", "")


def _element(el: dict[str, Any], **kw: Any) -> str:
    kind = el.get("type")
    if kind == "button":
        return f"[{_text_of(el.get('text'), **kw)}]"
    if kind in ("static_select", "users_select", "overflow", "datepicker", "datetimepicker"):
        label = _text_of(el.get("placeholder"), **kw) or kind.replace("_", " ")
        return f"[{label} ▾]"
    if kind in ("mrkdwn", "plain_text"):
        return _text_of(el, **kw)
    if kind == "image":
        return f"(image: {el.get('alt_text', '')})"
    return ""


def _input_line(block: dict[str, Any], **kw: Any) -> str:
    label = _text_of(block.get("label"), **kw)
    el = block.get("element", {})
    value = el.get("initial_value") or el.get("initial_user") or el.get("initial_date") or ""
    if el.get("initial_option"):
        value = _text_of(el["initial_option"].get("text"), **kw)
    optional = " (optional)" if block.get("optional") else ""
    return f"  {label}{optional}: {value or '____'}"


def blocks_to_lines(blocks: Iterable[dict[str, Any]], **kw: Any) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {_text_of(block.get('text'), **kw)} ==")
        elif kind == "section":
            if block.get("text"):
                lines.extend(_text_of(block["text"], **kw).splitlines())
            for f in block.get("fields", []):
                # A field is its label, then its value's lines, which Slack shows one under another.
                label, *value = _text_of(f, **kw).split("\n")
                lines.append("  " + " ".join(filter(None, (label, "; ".join(value)))))
            if block.get("accessory"):
                acc = _element(block["accessory"], **kw)
                if acc:
                    lines.append("  " + acc)
        elif kind == "context":
            lines.append(
                "  " + "  ".join(filter(None, (_element(e, **kw) for e in block.get("elements", []))))
            )
        elif kind == "actions":
            lines.append(
                "  " + " ".join(filter(None, (_element(e, **kw) for e in block.get("elements", []))))
            )
        elif kind == "divider":
            lines.append("  " + "-" * 40)
        elif kind == "input":
            lines.append(_input_line(block, **kw))
        elif kind == "rich_text":
            lines.append(_rich_text(block))
        elif kind == "image":
            lines.append(f"(image: {block.get('alt_text', '')})")
    return lines


def _rich_text(block: dict[str, Any]) -> str:
    parts: list[str] = []
    for section in block.get("elements", []):
        for el in section.get("elements", []):
            parts.append(el.get("text", ""))
    return "".join(parts)


def message_to_text(text: str | None, blocks: list[dict[str, Any]] | None, **kw: Any) -> str:
    """What a person reads: the blocks when there are any, else the fallback text."""
    if blocks:
        return "\n".join(blocks_to_lines(blocks, **kw))
    return mrkdwn(text or "", **kw)


def buttons_of(blocks: Iterable[dict[str, Any]] | None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, button element) pairs in reading order, for `:click`."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for block in blocks or []:
        candidates = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if block.get("type") == "section" and block.get("accessory"):
            candidates.append(block["accessory"])
        found.extend((block, el) for el in candidates if el.get("type") == "button")
    return found
