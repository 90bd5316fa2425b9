"""Each user's time zone, from users.info, cached in the user_profiles table (and in memory).

The request path only reads the cache; asking Slack happens after the acknowledgement. Until a
user's zone is known, replies use their team's zone.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config.runtime import Runtime
from bot.slack_memory import remember_profile, stored_zone
from handlers.slack_calls import CALL_FAILED

log = logging.getLogger(__name__)
FRESH_FOR = timedelta(days=7)  # people rarely move zones; a week-old answer is good enough


class Zones:
    def __init__(self, runtime: Runtime, fresh_for: timedelta = FRESH_FOR):
        self.runtime = runtime
        self.fresh_for = fresh_for
        self._memo: dict[str, tuple[str | None, datetime]] = {}
        self._lock = threading.Lock()

    def lookup(self, user_id: str) -> tuple[bool, str | None]:
        """(fresh, zone): whether Slack was asked recently, and what it said (None: no zone set).
        Reads memory, then the database; never Slack."""
        now = self.runtime.clock.now()
        with self._lock:
            memo = self._memo.get(user_id)
        if memo is not None and now - memo[1] < self.fresh_for:
            return True, memo[0]
        fresh, tz = stored_zone(self.runtime.sessions, user_id, now - self.fresh_for)
        if fresh:
            with self._lock:
                self._memo[user_id] = (tz, now)
        return fresh, tz

    def team_zone(self, user_id: str) -> str:
        return self.runtime.config.team_of(user_id).timezone

    def zone_for(self, user_id: str) -> str:
        """The user's zone if known, else their team's."""
        return self.lookup(user_id)[1] or self.team_zone(user_id)

    def learn(self, client: WebClient, user_id: str) -> str | None:
        """Ask Slack (users.info) and store the answer; None if Slack could not tell us."""
        try:
            user = client.users_info(user=user_id).get("user") or {}
        except SlackApiError as exc:  # Slack answered (e.g. user_not_found): remember "no zone"
            log.warning("users.info for %s: %s", user_id, exc.response.get("error"))
            user = {}
        except CALL_FAILED as exc:  # no answer (network, a timeout): ask again next time
            log.warning("users.info for %s failed: %s", user_id, exc)
            return None
        tz = user.get("tz")
        if not _valid(tz):
            tz = None
        name = (user.get("profile") or {}).get("display_name") or user.get("real_name") or user.get("name")
        now = self.runtime.clock.now()
        remember_profile(self.runtime.sessions, user_id, name=name, tz=tz, fetched_at=now)
        with self._lock:
            self._memo[user_id] = (tz, now)
        return tz


def _valid(tz: object) -> bool:
    if not isinstance(tz, str) or not tz:
        return False
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
