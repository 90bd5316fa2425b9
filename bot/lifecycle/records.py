"""An inquiry's stored record as the lifecycle handles it: found by its id (NotFound when there is
none), its team and business hours, and the frozen view callers get of it."""

from __future__ import annotations

from datetime import datetime

from bot.config.teams import Config, Team
from bot.lifecycle import inputs
from bot.lifecycle.outcomes import Hours
from bot.lifecycle.views import InquiryView, inquiry_view
from bot.rendering.explain import explain_lines
from storage.queries.inquiries import InquiryRecord, load_record
from storage.session import Session


def load(s: Session, inquiry_id: int | str, *, for_update: bool) -> InquiryRecord:
    number = inputs.parse_inquiry_id(inquiry_id)
    row = load_record(session=s, inquiry_id=number, for_update=for_update)
    if row is None:
        raise inputs.no_such_inquiry(number)
    return row


def team_of(config: Config, row: InquiryRecord) -> Team:
    """The inquiry's team; one since removed from the config falls back to the default team."""
    return config.team_or_default(row.team)


def hours_of(config: Config, row: InquiryRecord) -> Hours:
    return team_of(config, row).calendar.business_hours_between


def view_of(config: Config, row: InquiryRecord, now: datetime) -> InquiryView:
    return inquiry_view(row, now, tuple(explain_lines(row, team_of(config, row).calendar.tz)))
