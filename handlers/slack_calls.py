"""How a Web API call can fail, and slack_sdk's own lines about it.

CALL_FAILED: what a call made with slack_sdk's WebClient raises when it did not work — Slack's
answer (SlackApiError) or none (a timeout is a bare TimeoutError, a refused or unresolvable host an
URLError: neither is a SlackClientError). A listener that catches less crashes on a timeout.

slack_sdk's own lines about a request that failed on the way (ERROR "Failed to send a request to
Slack API server: …", INFO "A retry handler found …", "Going to retry the same request …"), demoted
to DEBUG. Every such failure reaches our code as an exception, and we say what it means once, in our
words: the deliverer's retry or give-up line, `inquirybot socket`'s "cannot reach Slack at …", a
listener's warning. With them at ERROR an operator read a failure twice, the first time as if
nothing handled it. Any other slack_sdk line keeps its level."""

from __future__ import annotations

import http.client
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

# No answer: a read timeout (TimeoutError), a connection refused or reset, a bad HTTP answer.
NETWORK_ERRORS = (OSError, http.client.HTTPException)
CALL_FAILED = (SlackClientError, OSError, http.client.HTTPException)  # both of the above

SDK_LOGGER = "slack_sdk.web.base_client"
TRANSPORT_NOISE = (
    "Failed to send a request to Slack API server",
    "A retry handler found",
    "Going to retry the same request",
)


class _Demote(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(TRANSPORT_NOISE):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(SDK_LOGGER).isEnabledFor(logging.DEBUG)
        return True


_FILTER = _Demote()


def quiet_transport_noise() -> None:
    """Install the filter on slack_sdk's Web API logger (idempotent: a logger keeps one of it)."""
    logger = logging.getLogger(SDK_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


# How long one Web API call made inside a listener may wait in all for Slack's Retry-After. Bolt's
# listener threads are few; a 429 with Retry-After: 120 slept there held one for minutes. Longer
# waits are the outbox's (docs/delivery.md "Outside the outbox").
LISTENER_WAIT = 3.0
_JITTER = 0.25


class BriefRateLimitRetry(RetryHandler):
    """slack_sdk's 429 retry for the app's own WebClient, but only while the waits Slack asks for
    fit in `budget` seconds in all; past that the call fails at once (SlackApiError), and the
    listener says so or hands the message to the outbox."""

    def __init__(
        self,
        *,
        max_retry_count: int = 2,
        budget: float = LISTENER_WAIT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.budget = budget
        self.sleep = sleep

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        return _waited(state) + retry_after(response) + _JITTER <= self.budget

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        assert response is not None  # _can_retry said yes to a 429 answer
        wait = retry_after(response) + random.uniform(0, _JITTER)
        state.custom_values = {**(state.custom_values or {}), "waited": _waited(state) + wait}
        state.next_attempt_requested = True
        self.sleep(wait)
        state.increment_current_attempt()


def _waited(state: RetryState) -> float:
    return float((state.custom_values or {}).get("waited", 0.0))


def retry_after(response: HttpResponse) -> float:
    """Slack's Retry-After in seconds (1 when it gave none)."""
    headers = {name.lower(): value for name, value in (response.headers or {}).items()}
    return seconds(headers.get("retry-after"))


def seconds(value: Any) -> float:
    """A Retry-After header's value (a str, a list of str, or absent) in seconds; 1 when unreadable."""
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 1.0


def patient_client(client: WebClient) -> WebClient:
    """The app's client, for work no listener waits on (opening the Socket Mode connection): a 429
    is retried after the whole Retry-After, twice at most, as slack_sdk does by itself."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        proxy=client.proxy,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=2)],
    )
