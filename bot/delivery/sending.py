"""What the deliverer hands a Sender and what it gets back. Slack's side lives in handlers/sender.py;
tests and the shell bring their own Senders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message as the Sender sees it."""

    id: int
    key: str  # the outbox dedupe_key; senders tag the Slack message with it (see find_sent)
    kind: str
    channel: str  # a user id (a DM) or a channel id
    text: str
    blocks: list[dict[str, Any]] | None = None
    thread_ts: str | None = None


@dataclass(frozen=True)
class SendResult:
    outcome: str  # sent | retry | failed
    ts: str | None = None
    error: str | None = None
    retry_after: float | None = None  # seconds (Retry-After)
    rate_limited: bool = False
    maybe_sent: bool = False  # no answer came (a timeout): Slack may have posted it anyway

    @classmethod
    def sent(cls, ts: str | None) -> SendResult:
        return cls("sent", ts=ts)

    @classmethod
    def retry(
        cls, error: str, *, after: float | None = None, rate_limited: bool = False, maybe_sent: bool = False
    ) -> SendResult:
        return cls("retry", error=error, retry_after=after, rate_limited=rate_limited, maybe_sent=maybe_sent)

    @classmethod
    def failed(cls, error: str) -> SendResult:
        return cls("failed", error=error)


class HistoryUnavailable(Exception):
    """Slack's history could not be read just now (429, 5xx, no answer): look again later, and
    do not send in the meantime — the message may be there."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class Sender(Protocol):
    def send(self, message: Outgoing) -> SendResult:
        """Post the message. Never raises for Slack or network faults: it says retry or failed."""
        ...

    # Optional: `find_sent(channel, keys, oldest, latest) -> dict[key, ts]` says which of these
    # outbox keys Slack already has in that conversation between the two instants (a deliverer
    # died after Slack accepted them). A key not in the answer is not there, or cannot be known
    # (history not readable: docs/delivery.md); HistoryUnavailable means "ask again later".
