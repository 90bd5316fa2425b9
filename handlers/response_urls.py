"""Posting to a request's response_url, only where Slack could have put it.

A response_url comes in the request body (and, for a form, back from its private_metadata). The
body is signed, but nothing stops a signed body — a stand-in's, a test's, one a colleague crafted
with the signing secret, or a form whose metadata was retargeted — from naming any address, and a
post there would carry the user's reply (an item's card, its customer) to whoever runs that host.
Slack's response URLs are https://hooks.<the platform's domain>/… (hooks.slack.com, on GovSlack
hooks.slack-gov.com: SLACK_DOMAIN); a local stand-in serves them beside its Web API, so
SLACK_API_URL's own origin is trusted too. Anything else is not posted to (docs/commands.md).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.errors import SlackClientError
from slack_sdk.webhook import WebhookClient

from bot.config.settings import Settings

log = logging.getLogger("inquirybot.handlers")


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.username or parts.password or not parts.hostname:
        return None
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, parts.hostname.lower(), port if port is not None else default


def trusted(url: str | None, settings: Settings) -> bool:
    """Whether `url` is a response URL Slack (or the configured stand-in) could have given us."""
    if not isinstance(url, str) or not url:
        return False
    came = _origin(url)
    if came is None:
        return False
    return came in (("https", f"hooks.{settings.slack_domain}", 443), _origin(settings.slack_api_url))


def post(url: str | None, settings: Settings, **message: Any) -> bool:
    """Post `message` to `url` when it is trusted; False when not posted (untrusted, or Slack
    refused), so the caller can answer another way. An untrusted URL is logged, never contacted."""
    if not trusted(url, settings):
        if url:
            log.warning("not posting to a response_url outside Slack: %.80s", url)
        return False
    try:
        answer = WebhookClient(str(url)).send(**message)
    except (SlackClientError, OSError) as exc:  # OSError: refused, unreachable, timed out
        log.warning("posting to the response_url failed: %s", exc)
        return False
    return 200 <= answer.status_code < 300
