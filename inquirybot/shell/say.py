"""`:say #channel text`: which channel the shell user means (docs/messages.md)."""

from __future__ import annotations

from bot.errors import InputError
from inquirybot.shell.people import Directory


def channel_id(directory: Directory, where: str) -> str:
    """'#trade', 'trade' or 'C0TRADE' -> the channel's id; anything else: an error naming the choices."""
    key = where.strip().lstrip("#")
    channels = {cid: name for cid, name in directory.names.items() if cid[:1] in ("C", "G")}
    for cid, name in channels.items():
        if key.lower() in (name.lower(), cid.lower()):
            return cid
    known = ", ".join("#" + n for n in channels.values()) or "none configured"
    raise InputError(f"unknown channel {where!r}; channels here: {known}")
