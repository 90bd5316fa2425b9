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

from slack_sdk.errors import SlackClientError

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
