"""One message per person per moment (docs/messages.md): the scheduler's reminders for one
recipient, claimed together by the deliverer, drawn as one list from the inquiries as they are at
delivery time. An item answered since its reminder was queued is dropped from the list (its row
is marked 'dropped', never sent). The composition root hands this to the deliverer as `bundle`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from bot.config.teams import Config
from bot.delivery.bundling import Bundle
from bot.lifecycle.cards import CardRow
from bot.lifecycle.views import InquiryView, inquiry_view
from bot.rendering.bundles import BundleItem, bundle_blocks, bundle_text, time_left
from bot.scheduling.reminders import already_told, step_of_key
from storage.queries.inquiries import inquiries_by_id
from storage.queries.profiles import cached_zones
from storage.session import Session


class BundleRow(CardRow, Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def key(self) -> str: ...


B = TypeVar("B", bound=BundleRow)


def still_due(kind: str, view: InquiryView, queued_at: datetime) -> bool:
    """Is a reminder of this kind, queued at `queued_at`, still worth sending about `view`?"""
    if not view.live:
        return False
    if kind in ("nudge", "overdue"):
        return view.first_response_at is None
    if kind in ("update", "stale"):
        return view.last_update_at is None or view.last_update_at <= queued_at
    return True


def told_since_planned(config: Config, view: InquiryView, key: str) -> bool:
    """A status-update reminder whose customer was already told on its day (docs/reminders.md,
    "Already told"): sending it would ask for what was just done."""
    step = step_of_key(key)
    if step is None:
        return False
    name, anchor = step
    told = max((t for t in (view.last_update_at, view.first_response_at) if t is not None), default=None)
    team = config.team_or_default(view.team)
    return already_told(name, anchor, told, team.calendar, team.reminders)


def live_bundle(session: Session, config: Config, rows: Sequence[B], now: datetime) -> Bundle[B]:
    """The rows (one recipient's scheduled reminders) split into those still due and those
    answered since, and the one message the kept ones make."""
    ids = sorted({r.inquiry_id for r in rows if r.inquiry_id is not None})
    views = {rec.id: inquiry_view(rec, now) for rec in inquiries_by_id(session=session, ids=ids)}
    out: Bundle[B] = Bundle()
    items: list[BundleItem] = []
    seen: set[int] = set()
    for r in rows:
        view = views.get(r.inquiry_id) if r.inquiry_id is not None else None
        if (
            view is None
            or not still_due(r.kind, view, r.created_at)
            or told_since_planned(config, view, r.key)
        ):
            out.dropped.append(r)
            continue
        out.keep.append(r)
        if view.id in seen:  # two reminders about one item (overdue and stale): listed once
            continue
        seen.add(view.id)
        calendar = config.team_or_default(view.team).calendar
        deadline = (
            view.promised_resolution
            if r.kind == "update"
            else (None if r.kind == "stale" else view.first_response_due)
        )
        left = time_left(calendar.business_hours_between(now, deadline)) if deadline is not None else ""
        items.append(BundleItem(view, r.kind, deadline, left))
    if items:
        channel = rows[0].channel
        zones = cached_zones(session=session, user_ids=[channel])
        tz = zones.get(channel) or config.team_or_default(items[0].view.team).timezone
        out.text, out.blocks = bundle_text(items, tz), bundle_blocks(items, tz)
    return out
