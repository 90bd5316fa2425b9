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
from bot.rendering.reminders import reminder_text
from bot.scheduling.reminders import already_told, step_of_key
from storage.queries.inquiries import InquiryRecord, inquiries_by_id
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


def text_now(config: Config, record: InquiryRecord, key: str, now: datetime) -> str | None:
    """A reminder's text worded at `now`, for the steps whose words depend on when they go: the
    50% nudge states the business time left, and one sent late (after an outage, a closure, a
    weekend's retries) must say what is left now, not what was left when it was planned."""
    step = step_of_key(key)
    if step is None or step[0] != "nudge_half":
        return None
    team = config.team_or_default(record.team)
    left = team.calendar.business_hours_between(now, record.first_response_due)
    return reminder_text("nudge_half", record, team, hours_left=left)


def live_bundle(session: Session, config: Config, rows: Sequence[B], now: datetime) -> Bundle[B]:
    """The rows (one recipient's scheduled reminders) split into those still due and those
    answered since, and the one message the kept ones make."""
    ids = sorted({r.inquiry_id for r in rows if r.inquiry_id is not None})
    records = {rec.id: rec for rec in inquiries_by_id(session=session, ids=ids)}
    views = {id_: inquiry_view(rec, now) for id_, rec in records.items()}
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
        text = text_now(config, records[view.id], r.key, now)
        if text is not None:
            out.texts[r.id] = text
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
        quiet = str(config.team_or_default(view.team).reminders.stale_after) if r.kind == "stale" else ""
        items.append(BundleItem(view, r.kind, deadline, left, quiet))
    if items:
        channel = rows[0].channel
        zones = cached_zones(session=session, user_ids=[channel])
        tz = zones.get(channel) or config.team_or_default(items[0].view.team).timezone
        out.text, out.blocks = bundle_text(items, tz), bundle_blocks(items, tz)
    return out
