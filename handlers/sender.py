"""The deliverer's Sender on Slack's Web API (slack_sdk WebClient, pointed at SLACK_API_URL).

A user id gets a DM: conversations.open once per user (cached), then chat.postMessage; a cached
DM channel Slack answers channel_not_found for is forgotten and opened again, once. Every
message carries metadata with its outbox key, so that when Slack may already have a message (a
deliverer died mid-send, or a request got no answer) it can be looked for before it is sent again
(find_sent; needs the *:history scopes, else it answers "not found" and the message is resent —
docs/delivery.md).

Outcomes: 429 -> retry after Retry-After; HTTP 5xx, Slack's transient errors, timeouts and
connection failures -> retry with backoff; any other Slack error -> failed (permanent).
"""

from __future__ import annotations

import logging
import socket
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.config.quiet import is_user
from bot.config.settings import Settings
from bot.delivery.sending import HistoryUnavailable, Outgoing, SendResult
from handlers.slack_calls import NETWORK_ERRORS, quiet_transport_noise, seconds

log = logging.getLogger("inquirybot.sender")

METADATA_EVENT = "inquirybot_outbox"
# conversations.history is Tier 1 for apps distributed outside the Marketplace: about one call a
# minute and at most 15 messages a page. Look-ups are narrow (one conversation, oldest/latest
# around the attempt), so a page or two usually covers the window.
HISTORY_PAGE = 15
HISTORY_PAGES = 20  # at most this many pages per look-up (300 messages in the window)
# history errors that will not go away by waiting: the message is sent again (docs/delivery.md)
HISTORY_UNREADABLE = frozenset(
    {
        "missing_scope",
        "not_in_channel",
        "channel_not_found",
        "not_allowed_token_type",
        "no_permission",
        "access_denied",
        "is_archived",
    }
)
# Slack errors (HTTP 200, ok:false) that say "try again later" rather than "this will never work".
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_added_to_org",
        "timeout",
        # Fixable by an admin within the give-up window (a new token, a re-install): keep trying.
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
    }
)


# A DM channel remembered for a person that Slack answers channel_not_found for (it can change: a
# workspace migrated, a DM deleted by an admin): forgotten, opened again and sent to once more.
STALE_DM = SendResult.failed("Slack said channel_not_found")


class SlackSender:
    def __init__(self, token: str, base_url: str, *, timeout: int = 30, client: WebClient | None = None):
        # No SDK retry handlers: retries belong to the outbox, where they survive restarts.
        quiet_transport_noise()  # our retry or give-up line says it; the SDK's ERROR line would too
        self.client = client or WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])
        self._dm_channels: dict[str, str] = {}

    def send(self, message: Outgoing) -> SendResult:
        result = self._post(message)
        if result is STALE_DM:  # the DM channel remembered is gone: open it again, send once more
            log.info(
                "the DM channel remembered for %s is unknown to Slack now; opening it again", message.channel
            )
            result = self._post(message)
        return result

    def _post(self, message: Outgoing) -> SendResult:
        """One chat.postMessage; STALE_DM when Slack no longer knows the DM channel remembered for
        the recipient (channel_not_found: nothing was posted), which is then forgotten."""
        remembered = self._dm_channels.get(message.channel)
        try:
            channel = self._channel(message.channel)
            args: dict = {
                "channel": channel,
                "text": message.text,
                "metadata": {"event_type": METADATA_EVENT, "event_payload": {"key": message.key}},
                "unfurl_links": False,
            }
            if message.blocks:
                args["blocks"] = message.blocks
            if message.thread_ts:
                args["thread_ts"] = message.thread_ts
            response = self.client.chat_postMessage(**args)
            return SendResult.sent(response.get("ts"))
        except SlackApiError as exc:
            if remembered is not None and slack_error(exc) == "channel_not_found":
                self._forget(message.channel, remembered)
                return STALE_DM
            return classify(exc)
        except TimeoutError as exc:  # sent, but no answer: Slack may have posted it
            return SendResult.retry(f"{type(exc).__name__}: {exc}", maybe_sent=True)
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            return SendResult.retry(f"{type(exc).__name__}: {exc}", maybe_sent=_timed_out(exc))

    def file_step(self, block: dict) -> dict | SendResult:
        """One step of a file's upload (bot/delivery/uploads.py, handlers/uploads.py)."""
        from handlers.uploads import file_step

        return file_step(self.client, block, classify=classify, network_errors=NETWORK_ERRORS)

    def find_sent(self, target: str, keys: list[str], oldest: datetime, latest: datetime) -> dict[str, str]:
        """Which of these outbox keys are already posted in `target`'s conversation between the two
        instants: key -> ts. Raises HistoryUnavailable when Slack says "later" (429 with
        Retry-After, 5xx, no answer); answers {} when the history cannot be read at all (a missing
        scope), so the messages are sent again (at-least-once, docs/delivery.md)."""
        wanted = set(keys)
        found: dict[str, str] = {}
        remembered = self._dm_channels.get(target)
        try:
            channel = self._channel(target)
            cursor = None
            for _ in range(HISTORY_PAGES):
                page = self.client.conversations_history(
                    channel=channel,
                    oldest=f"{oldest.timestamp():.6f}",
                    latest=f"{latest.timestamp():.6f}",
                    inclusive=True,
                    limit=HISTORY_PAGE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
                item: dict[str, Any]  # a raw Slack message
                for item in page.get("messages", []):
                    meta: dict[str, Any] = item.get("metadata") or {}
                    key = (meta.get("event_payload") or {}).get("key")
                    if meta.get("event_type") == METADATA_EVENT and key in wanted:
                        found[key] = item.get("ts")
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor or len(found) == len(wanted):
                    return found
            log.warning(
                "Slack history of %s has more than %s messages in the look-up window; keys not "
                "seen in it are sent again",
                target,
                HISTORY_PAGE * HISTORY_PAGES,
            )
            return found
        except SlackApiError as exc:
            result = classify(exc)
            error = slack_error(exc)
            if remembered is not None and error == "channel_not_found":  # a stale DM channel: open it again
                self._forget(target, remembered)
                return self.find_sent(target, keys, oldest, latest)
            if result.outcome == "retry" and error not in HISTORY_UNREADABLE:
                raise HistoryUnavailable(
                    result.error or "retry", result.retry_after if result.rate_limited else None
                ) from None
            log.warning(
                "cannot read Slack history of %s (%s); %s message(s) will be sent again",
                target,
                error,
                len(keys),
            )
            return found
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            raise HistoryUnavailable(f"{type(exc).__name__}: {exc}") from None

    def _forget(self, user_id: str, channel: str) -> None:
        if self._dm_channels.get(user_id) == channel:
            del self._dm_channels[user_id]

    def _channel(self, target: str) -> str:
        if not is_user(target):
            return target
        channel = self._dm_channels.get(target)
        if channel is None:
            channel = self.client.conversations_open(users=target)["channel"]["id"]
            self._dm_channels[target] = channel
        return channel


def _timed_out(exc: BaseException) -> bool:
    """urllib wraps a read timeout in URLError(reason=TimeoutError)."""
    return isinstance(getattr(exc, "reason", None), (TimeoutError, socket.timeout))


def slack_error(exc: SlackApiError) -> str | None:
    """Slack's error code in an ok:false answer (channel_not_found, …)."""
    data = getattr(exc.response, "data", None)
    return data.get("error") if isinstance(data, dict) else None


def classify(exc: SlackApiError) -> SendResult:
    response = exc.response
    status = getattr(response, "status_code", 200)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    error = str(data.get("error") or f"HTTP {status}")
    if status == 429 or error in ("ratelimited", "rate_limited"):
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        return SendResult.retry(
            f"rate limited: {error}", after=seconds(headers.get("retry-after")), rate_limited=True
        )
    if status >= 500 or error in TRANSIENT_ERRORS:
        return SendResult.retry(f"HTTP {status}: {error}")
    return SendResult.failed(f"Slack said {error}")


def sender_from_settings(settings: Settings) -> SlackSender:
    """The Slack sender for this process; a missing token is a one-line ConfigError."""
    from bot.errors import ConfigError

    if not settings.slack_bot_token:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set; set it to the bot token (xoxb-…) so messages can be sent"
        )
    return SlackSender(settings.slack_bot_token, settings.slack_api_url)
