"""The live card an outbox message about an inquiry carries: drawn at delivery time from the inquiry
as it is then, so its buttons are never stale (the deliverer is handed this as its `render`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from bot.config.quiet import is_user
from bot.config.teams import Config
from bot.lifecycle.views import InquiryView, inquiry_view
from bot.rendering.card import card_for
from storage.queries.inquiries import InquiryRecord, inquiries_by_id
from storage.queries.profiles import cached_zones
from storage.session import Session


class CardRow(Protocol):
    """What a claimed outbox row tells: its id, its inquiry, its recipient and its text."""

    @property
    def id(self) -> int: ...
    @property
    def inquiry_id(self) -> int | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def text(self) -> str: ...


# (session, record, view, recipient, now) -> the view to draw; the composition root passes the
# customer feedback links' on_card (bot/customer_feedback/links.py).
Decorate = Callable[[Session, InquiryRecord, InquiryView, str, datetime], InquiryView]


def live_cards(
    session: Session,
    config: Config,
    rows: Sequence[CardRow],
    now: datetime,
    *,
    decorate: Decorate | None = None,
) -> dict[int, list[dict[str, Any]] | None]:
    """Each row's inquiry card as the inquiry is now, headed by the message's own text, in the
    recipient's zone (cached profile) or else the team's. Rows whose inquiry is gone: text only."""
    ids = sorted({r.inquiry_id for r in rows if r.inquiry_id is not None})
    records = {row.id: row for row in inquiries_by_id(session=session, ids=ids)}
    views = {id_: inquiry_view(row, now) for id_, row in records.items()}
    zones = cached_zones(session=session, user_ids=sorted({r.channel for r in rows if is_user(r.channel)}))
    cards: dict[int, list[dict[str, Any]] | None] = {}
    for r in rows:
        view = views.get(r.inquiry_id) if r.inquiry_id is not None else None
        if view is not None:
            if decorate is not None:
                view = decorate(session, records[view.id], view, r.channel, now)
            if is_user(r.channel):
                view = replace(view, viewer=r.channel)
            team = config.team_or_default(view.team)
            cards[r.id] = card_for(view, zones.get(r.channel) or team.timezone, headline=r.text)
    return cards
