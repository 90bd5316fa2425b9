"""A form's private_metadata comes back in its submission as the submitter sends it. The item id
in it is checked by the service (the submitter must be allowed to act on that item), but where the
card is redrawn — a channel and message ts for chat.update, or a response_url — says nothing the
service could check: retargeted, it would overwrite another of the bot's messages (a digest, a
colleague's card) with this item's card. So the place is sealed with the item when the form opens
(an HMAC under a key derived from the app's own secret) and a submission whose seal does not match
is refused, nothing stored (docs/commands.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from bot.config.settings import Settings

_PROCESS_KEY = secrets.token_bytes(32)  # only when the app has no secret at all (never in serve/socket)


def key_for(settings: Settings) -> bytes:
    """A key every replica of one app derives alike (a form opened on one may be sent to another)."""
    secret = (
        settings.slack_signing_secret
        or settings.slack_client_secret
        or settings.slack_app_token
        or settings.slack_bot_token
    )
    if not secret:
        return _PROCESS_KEY
    return hashlib.sha256(b"inquirybot form seal\0" + secret.encode("utf-8")).digest()


def _message(item: int, where: Any) -> bytes:
    return json.dumps({"id": item, "w": where}, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(key: bytes, item: int, where: dict[str, Any]) -> str:
    return hmac.new(key, _message(item, where), hashlib.sha256).hexdigest()[:32]


def intact(key: bytes, item: int, where: Any, sealed: Any) -> bool:
    return isinstance(sealed, str) and hmac.compare_digest(sealed, seal(key, item, where))
