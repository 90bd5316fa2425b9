"""What the customer's page does: show which inquiry it is about, and record a rating.

A rating is the customer's own fact: its own table (storage.models.CustomerRating), an event by the
actor "customer", and a DM to whoever holds the item, written to the outbox in the same transaction.
Sending the same rating again (a replayed form, a double click) stores nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config.teams import Config
from bot.customer_feedback import rules
from bot.customer_feedback.form import RatingForm
from bot.delivery.outbox import enqueue
from bot.rendering.customer_feedback import rating_dm_text
from bot.time.clock import Clock
from storage.inquiry_status import Status
from storage.queries import customer_feedback as q
from storage.queries.events import append_event
from storage.refs import inquiry_ref
from storage.session import SessionFactory, transaction

CUSTOMER_ACTOR = "customer"  # the events' actor: not a Slack user


@dataclass(frozen=True)
class PageInfo:
    """All the page shows: the office, the item's id, whether it still takes ratings."""

    office: str
    ref: str
    open: bool  # False: expired (30 days after resolution) or closed without an answer
    expires_at: datetime | None
    rated: int | None  # the customer's current score, if any
    closed: bool = False  # closed as a duplicate or withdrawn: never resolved, so never "expired"


@dataclass(frozen=True)
class Submitted:
    info: PageInfo
    score: int
    stored: bool  # False: the same rating as the current one (a replay); nothing changed


class CustomerPage:
    def __init__(self, sessions: SessionFactory, config: Config, clock: Clock, office_name: str | None):
        self.sessions, self.config, self.clock, self.office_name = sessions, config, clock, office_name

    def open(self, token: str) -> PageInfo | None:
        """None for a token nobody was given (the page answers 404, as for a malformed one)."""
        if not rules.well_formed(token):
            return None
        with self.sessions() as s:
            item = q.inquiry_by_token(session=s, token=token)
            if item is None:
                return None
            latest = q.latest_rating(session=s, inquiry_id=item.id)
            return self._info(item, latest.score if latest else None)

    def submit(self, token: str, form: RatingForm) -> Submitted | PageInfo | None:
        """Submitted; or the PageInfo of an item no longer open (nothing stored); or None (unknown token)."""
        if not rules.well_formed(token):
            return None
        now = self.clock.now()
        with transaction(self.sessions) as s:
            item = q.inquiry_by_token(session=s, token=token, for_update=True)
            if item is None:
                return None
            latest = q.latest_rating(session=s, inquiry_id=item.id)
            if not rules.accepts_ratings(item.status, item.resolved_at, now):
                return self._info(item, latest.score if latest else None)
            if latest is not None and (latest.score, latest.comment) == (form.score, form.comment):
                return Submitted(self._info(item, latest.score), form.score, stored=False)
            rating_id = q.add_rating(
                session=s, inquiry_id=item.id, score=form.score, comment=form.comment, at=now
            )
            append_event(
                session=s,
                inquiry_id=item.id,
                type="customer_feedback",
                actor=CUSTOMER_ACTOR,
                at=now,
                payload={
                    "rating_id": rating_id,
                    "score": form.score,
                    "comment": form.comment,
                    "replaces": latest.id if latest else None,
                },
            )
            ref = inquiry_ref(item.id)
            enqueue(
                s,
                key=f"customer-rating:{rating_id}",
                team=item.team,
                kind="customer_feedback",
                channel=item.assignee,
                text=rating_dm_text(ref, form.score, form.comment, replaced=latest is not None),
                now=now,
                inquiry_id=item.id,
                at_commit=True,
            )
            return Submitted(self._info(item, form.score), form.score, stored=True)

    def _info(self, item: q.LinkedInquiry, rated: int | None) -> PageInfo:
        office = self.office_name or self._team_label(item.team)
        return PageInfo(
            office,
            inquiry_ref(item.id),
            rules.accepts_ratings(item.status, item.resolved_at, self.clock.now()),
            rules.expires_at(item.resolved_at),
            rated,
            closed=item.status == Status.CLOSED,
        )

    def _team_label(self, team: str) -> str:
        return team if team in self.config.teams else self.config.default_team
