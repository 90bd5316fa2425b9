"""How a deliverer paces, leases and retries (DeliveryPolicy), and what one pass did (DeliveryStats)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class DeliveryPolicy:
    batch: int = 50
    lease: timedelta = timedelta(minutes=5)  # far above one send's worst case (HTTP timeout 30 s)
    pace: float = 1.0  # seconds between two messages to one channel (Slack: ~1/s/channel)
    backoff_base: float = 2.0  # seconds; doubles per attempt
    backoff_max: float = 300.0
    give_up_after: timedelta = timedelta(hours=24)


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0  # put back for pacing, a rate-limit pause or quiet hours (no attempt used)
    recovered: int = 0  # found already posted after a lost claim: marked sent, not resent

    def add(self, other: DeliveryStats) -> None:
        for name in ("sent", "retried", "failed", "deferred", "recovered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retried} to retry, {self.failed} failed, "
            f"{self.deferred} deferred, {self.recovered} recovered"
        )
