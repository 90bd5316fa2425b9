"""The customer's feedback link of an inquiry: made when first needed, shown to whoever may act on
the item (`/inquiry link INQ-12`, and with the acknowledgement, the resolution and the card)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.config.quiet import is_user
from bot.config.teams import Config
from bot.customer_feedback import rules
from bot.errors import InputError
from bot.lifecycle import inputs
from bot.lifecycle.access import may_act, require_act
from bot.time.clock import Clock
from storage.inquiry_status import Status
from storage.queries import customer_feedback as q
from storage.queries.inquiries import load_record
from storage.session import Session, SessionFactory, transaction

if TYPE_CHECKING:
    from bot.lifecycle.views import InquiryView
    from storage.queries.inquiries import InquiryRecord

log = logging.getLogger("inquirybot.customer_feedback")
PATH = "/feedback/"


@dataclass(frozen=True)
class FeedbackLink:
    ref: str
    url: str
    expires_at: datetime | None  # None while the item is not resolved


class FeedbackLinks:
    def __init__(self, sessions: SessionFactory, config: Config, clock: Clock, public_url: str | None):
        self.sessions, self.config, self.clock = sessions, config, clock
        self.public_url = public_url.rstrip("/") if public_url else None

    def url(self, token: str) -> str:
        return f"{self.public_url}{PATH}{token}"

    def shown(self, views: list[InquiryView], actor: str) -> list[InquiryView]:
        """The actor's own items (App Home's "mine"), each with its feedback link when it has one
        and takes feedback. Read only: a link is made with an answer, not by opening a tab."""
        now = self.clock.now()
        wanted = [
            v for v in views if v.assignee == actor and rules.accepts_ratings(v.status, v.resolved_at, now)
        ]
        if self.public_url is None or not wanted:
            return views
        with transaction(self.sessions) as s:
            tokens = q.tokens_of(session=s, inquiry_ids=[v.id for v in wanted])
        ids = {v.id for v in wanted} & tokens.keys()
        return [replace(v, feedback_url=self.url(tokens[v.id])) if v.id in ids else v for v in views]

    def on_card(
        self, session: Session, record: InquiryRecord, view: InquiryView, recipient: str, now: datetime
    ) -> InquiryView:
        """For the deliverer's live cards (bot/lifecycle/cards.py): the view with its feedback link
        when the card goes to a person who may act on the item (never to a channel), the item takes
        feedback and already has a link (the deliverer makes none)."""
        if (
            self.public_url is None
            or not is_user(recipient)
            or not rules.accepts_ratings(view.status, view.resolved_at, now)
        ):
            return view
        token = q.token_of(session=session, inquiry_id=view.id)
        if token is None or not may_act(session, self.config, recipient, record, now):
            return view
        return replace(view, feedback_url=self.url(token))

    def link_for(self, *, actor: str, inquiry_id: int | str) -> FeedbackLink:
        """The link, made now if the item has none; InputError when it cannot take feedback."""
        actor = inputs.user(actor, "actor")
        number = inputs.parse_inquiry_id(inquiry_id)
        now = self.clock.now()
        with transaction(self.sessions) as s:
            row = load_record(session=s, inquiry_id=number, for_update=False)
            if row is None:
                raise inputs.no_such_inquiry(number)
            require_act(s, self.config, actor, row, now, "get the customer feedback link of")
            if row.status == Status.OPEN:
                raise InputError(
                    f"{row.ref} has no first response yet; the link goes into your answer, so "
                    "acknowledge or resolve it first",
                    example=f"/inquiry ack {row.ref}",
                )
            if row.status == Status.CLOSED:
                raise InputError(f"{row.ref} is closed as {row.close_reason}; it takes no customer feedback")
            if not rules.accepts_ratings(row.status, row.resolved_at, now):
                raise InputError(
                    f"the customer feedback link of {row.ref} has expired: ratings are taken "
                    f"until {rules.RATING_WINDOW.days} days after resolution"
                )
            if self.public_url is None:
                raise InputError(
                    "INQUIRYBOT_PUBLIC_URL is not set, so the feedback page has no public address; "
                    "ask your admin to set it (docs/customer-feedback.md)"
                )
            token = self._token(s, row.id, actor, now)
            return FeedbackLink(row.ref, self.url(token), rules.expires_at(row.resolved_at))

    def attach(self, view: InquiryView, actor: str) -> InquiryView:
        """The view with its feedback_url when the item takes feedback (a link made if need be);
        the view unchanged otherwise. Never fails the change it follows: that is stored already."""
        if self.public_url is None or not rules.accepts_ratings(
            view.status, view.resolved_at, self.clock.now()
        ):
            return view
        try:
            with transaction(self.sessions) as s:
                token = self._token(s, view.id, actor, self.clock.now())
        except Exception:
            log.exception("could not make the customer feedback link of %s", view.ref)
            return view
        return replace(view, feedback_url=self.url(token))

    @staticmethod
    def _token(s: Session, inquiry_id: int, actor: str, now: datetime) -> str:
        return q.token_of(session=s, inquiry_id=inquiry_id) or q.add_link(
            session=s, inquiry_id=inquiry_id, token=rules.new_token(), at=now, by=actor
        )
