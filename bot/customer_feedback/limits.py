"""Sliding-window rate limits for the feedback page: per token and per client address.

Kept in the process: each `serve` replica counts on its own (docs/customer-feedback.md says why
that is enough, and that the HTTPS proxy in front may limit too).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from datetime import timedelta

from bot.time.clock import Clock

MAX_KEYS = 20_000  # memory bound: the least recently seen keys are forgotten first


class RateLimiter:
    def __init__(self, limit: int, per: timedelta, clock: Clock):
        self.limit, self.per, self.clock = limit, per.total_seconds(), clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> int:
        """Count one request for `key`: 0 if allowed, else the seconds until the next one is."""
        now = self.clock.now().timestamp()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.per:
                hits.popleft()
            self._hits[key] = hits
            if len(self._hits) > MAX_KEYS:
                self._hits.popitem(last=False)
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.per - now))
            hits.append(now)
            return 0
