"""Turn the text Slack sends for a slash command into plain, predictable text.

Slack escapes `&`, `<` and `>` as entities and wraps mentions, channels, e-mail addresses and links
in `<…>` markup (`<@U123|bob>`, `<#C123|general>`, `<mailto:a@b.gov|a@b.gov>`). We read the markup
first (it is the only place a real `<` can appear), then decode the three entities, so a user who
types `&lt;` literally gets `&lt;` back and `<x>` typed by hand is never mistaken for markup.

Mentions and channels become private-use sentinels so that `;` splitting and keyword matching can
never cut through them; `free_text()` turns them back into Slack's canonical `<@U123>` form.
"""

from __future__ import annotations

import re
import unicodedata

from bot.errors import InputError

# Private-use characters: a user cannot smuggle them in because normalize() strips them first.
OPEN, CLOSE = "\ue000", "\ue001"

_MARKUP = re.compile(r"<([^<>]*)>")
_USER = re.compile(r"^@([UW][A-Z0-9]{1,30})(?:\|[^<>]*)?$")
_CHANNEL = re.compile(r"^#(C[A-Z0-9]{1,30})(?:\|([^<>]*))?$")
_SPECIAL = re.compile(r"^!(here|channel|everyone)(?:\|[^<>]*)?$")
_SUBTEAM = re.compile(r"^!subteam\^[A-Z0-9]+(?:\|([^<>]*))?$")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\uff02": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\uff07": "'",
        "\uff1b": ";",  # full-width semicolon (CJK keyboards) separates segments too
    }
)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")

USER_TOKEN = re.compile(f"{OPEN}@([UW][A-Z0-9]+){CLOSE}")
CHANNEL_TOKEN = re.compile(f"{OPEN}#(C[A-Z0-9]+)(?:\\|([^{CLOSE}]*))?{CLOSE}")


def normalize(raw: str) -> str:
    """Slack command text -> one line of plain text with mention/channel sentinels."""
    text = raw.replace(OPEN, "").replace(CLOSE, "")
    text = _MARKUP.sub(_markup, text)
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)
    text = unicodedata.normalize("NFC", text).translate(_QUOTES).translate(_ZERO_WIDTH)
    # Control characters (other than whitespace) carry no meaning in a command. Printable text
    # (the usual case: no sentinels, tabs or control characters) has none, so it skips the loop.
    if not text.isprintable():
        text = "".join(
            ch if ch.isspace() or unicodedata.category(ch)[0] != "C" or ch in (OPEN, CLOSE) else " "
            for ch in text
        )
    return _SPACES.sub(" ", text).strip()


def _markup(match: re.Match[str]) -> str:
    inner = match.group(1)
    if m := _USER.match(inner):
        return f"{OPEN}@{m.group(1)}{CLOSE}"
    if m := _CHANNEL.match(inner):
        label = f"|{m.group(2)}" if m.group(2) else ""
        return f"{OPEN}#{m.group(1)}{label}{CLOSE}"
    if m := _SPECIAL.match(inner):
        return f"@{m.group(1)}"
    if m := _SUBTEAM.match(inner):
        return m.group(1) or "@group"
    target, _, label = inner.partition("|")
    if target.startswith("mailto:"):
        return target[len("mailto:") :]
    if target.startswith("tel:"):
        return label or target[len("tel:") :]
    if target.startswith(("http://", "https://")):
        return target
    return label or target


def split_segments(text: str) -> list[str]:
    """Split on `;` outside double quotes; quotes that wrap a whole segment are removed."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    if quoted:
        raise unclosed_quote(parts)
    return [unquote(p.strip()) for p in parts if p.strip()]


def unclosed_quote(parts: list[str]) -> InputError:
    """A quote never closed would swallow every `;` after it into one segment; say where it is
    rather than guess (docs/record.md). The segment named is the one the quote opens in."""
    for part in parts:
        if part.count('"') % 2:
            segment = part
            break
    else:  # pragma: no cover - split_segments only calls this with an odd count
        segment = parts[-1]
    opened = segment.split(";", 1)[0].strip()
    return InputError(
        f'the quote in “{shown(opened)}” is never closed; close it ("…") or remove it',
        example='/inquiry log email "Export license; status" ; received yesterday 3pm',
    )


def unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        return text[1:-1].strip()
    return text


def free_text(text: str) -> str:
    """Sentinels back to Slack's own markup, for subjects, notes and comments we store."""
    text = USER_TOKEN.sub(lambda m: f"<@{m.group(1)}>", text)
    return CHANNEL_TOKEN.sub(
        lambda m: f"<#{m.group(1)}|{m.group(2)}>" if m.group(2) else f"<#{m.group(1)}>", text
    )


def user_id(token: str) -> str | None:
    """The user id if `token` is exactly one mention, else None."""
    m = USER_TOKEN.fullmatch(token.strip())
    return m.group(1) if m else None


def shown(text: str) -> str:
    """How a fragment of the user's input is quoted back in an error message."""
    text = USER_TOKEN.sub(lambda m: f"<@{m.group(1)}>", text)
    text = CHANNEL_TOKEN.sub(lambda m: f"#{m.group(2) or m.group(1)}", text)
    return text if len(text) <= 60 else text[:57] + "…"
