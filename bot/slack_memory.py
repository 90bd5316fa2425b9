"""What the app remembers about Slack between requests: which events it has already handled
(Slack re-sends an event it thinks we missed) and each person's profile from users.info. The Slack
handlers call these; the rows live in storage/queries/slack_events.py and profiles.py."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from storage.queries.profiles import cached_zone, save_profile
from storage.queries.slack_events import first_sighting, forget_before, was_seen
from storage.session import SessionFactory, transaction

KEEP_SEEN = timedelta(hours=1)  # Slack's last retry comes about 5 minutes after the first try
PRUNE_EVERY = 500  # first sightings between two clean-ups of old event ids


class SeenEvents:
    """The first delivery of an event_id wins; retries of it are recognised (across replicas: the
    id is a primary key). Ids older than KEEP_SEEN are forgotten now and then."""

    def __init__(self, sessions: SessionFactory):
        self.sessions = sessions
        self._count = itertools.count(1)

    def first_sighting(self, event_id: str, now: datetime) -> bool:
        with transaction(self.sessions) as session:
            first = first_sighting(session=session, event_id=event_id[:64], now=now)
            if first and next(self._count) % PRUNE_EVERY == 0:
                forget_before(session=session, before=now - KEEP_SEEN)
        return first

    def handled(self, event_id: str) -> bool:
        """Whether `event_id` was recorded, without recording it: an event whose listener records
        its own id once its work is done (the Workflow Builder step) is checked with this."""
        with self.sessions() as session:
            return was_seen(session=session, event_id=event_id[:64])


def stored_zone(sessions: SessionFactory, user_id: str, fresh_after: datetime) -> tuple[bool, str | None]:
    """(True, zone) if the person's profile was fetched after `fresh_after` (zone None: Slack had
    none), else (False, None): time to ask Slack again."""
    with sessions() as session:
        return cached_zone(session=session, user_id=user_id, fresh_after=fresh_after)


def remember_profile(
    sessions: SessionFactory, user_id: str, *, name: str | None, tz: str | None, fetched_at: datetime
) -> None:
    with transaction(sessions) as session:
        save_profile(session=session, user_id=user_id, name=name, tz=tz, fetched_at=fetched_at)


def names_of(sessions: SessionFactory, user_ids: list[str]) -> dict[str, str]:
    """People's display names as Slack last told us (users.info), for the ids we know."""
    from storage.queries.profiles import known_names

    with sessions() as session:
        return known_names(session=session, user_ids=sorted(set(user_ids)))
