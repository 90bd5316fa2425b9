"""The one clock. Nothing else in inquirybot calls datetime.now().

Services take a Clock; tests freeze time with freezegun (SystemClock follows it) or use FixedClock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stands still until told to move (tests, `tick --now`, the shell's `:time`)."""

    current: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        self.set(self.current)

    def now(self) -> datetime:
        return self.current

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError(f"clock needs a timezone-aware datetime, got naive {when.isoformat()}")
        self.current = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.current = self.current + delta
