"""Requests signed exactly as Slack signs them: v0 HMAC-SHA256 over "v0:{timestamp}:{raw body}"
(docs.slack.dev, "Verifying requests from Slack"; checked against Slack's published test vector in
tests/slack/test_signing.py)."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, timestamp: int | str, body: bytes | str) -> str:
    raw = body.decode("utf-8") if isinstance(body, bytes) else body
    base = f"v0:{timestamp}:{raw}".encode()
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes | str, content_type: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": sign(secret, timestamp, body),
    }
