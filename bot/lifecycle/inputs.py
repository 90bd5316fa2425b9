"""Validation of what callers pass the service. Each error names the field, the bad value and a fix."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal, overload

from bot.config.settings import SLACK_DOMAIN_DEFAULT
from bot.errors import InputError, NotFound
from bot.time.instant_error import InstantError
from bot.time.policies import KINDS
from storage.queries.outcomes import FIRST_RESPONSE, RESOLUTION, STATUS_UPDATE
from storage.refs import inquiry_ref

KIND_ALIASES = {
    "in person": "in-person",
    "in_person": "in-person",
    "inperson": "in-person",
    "letter": "written",
    "mail": "written",
    "form": "written",
}
COMPLEXITIES = ("simple", "standard", "complex")
CLOSE_REASONS = ("duplicate", "withdrawn")
CLOCK_SKEW = timedelta(minutes=1)  # a receipt time this far ahead of our clock is still accepted
MAX_SNOOZE = timedelta(days=30)
DEFAULT_TZ = "America/New_York"
_ID = re.compile(r"(?:inq-?)?#?(\d{1,18})", re.IGNORECASE)


OUTCOME_KINDS = (FIRST_RESPONSE, RESOLUTION, STATUS_UPDATE)
# The words a person may name an outcome's kind by (`/inquiry dispute INQ-5 update …`).
KIND_NAMES = {
    "first-response": FIRST_RESPONSE,
    "first_response": FIRST_RESPONSE,
    "response": FIRST_RESPONSE,
    "resolution": RESOLUTION,
    "update": STATUS_UPDATE,
    "status-update": STATUS_UPDATE,
    "status_update": STATUS_UPDATE,
}


def outcome_kind(kind: str | None) -> str | None:
    """An outcome kind named by the caller, or None (none named: the first one that applies)."""
    if kind is not None and kind not in OUTCOME_KINDS:
        raise InputError(f"{str(kind)[:40]!r} is not a kind of outcome; one of {', '.join(OUTCOME_KINDS)}")
    return kind


def parse_outcome(value: str) -> tuple[int, str | None]:
    """A button's outcome: "12" (the item) or "12:status_update" (one of its outcomes)."""
    number, _, named = str(value).partition(":")
    kind = outcome_kind(named or None)
    return parse_inquiry_id(number), kind


def parse_inquiry_id(value: int | str) -> int:
    """12, "12", "INQ-12", "inq-12" -> 12."""
    if isinstance(value, bool):
        raise InputError(f"{value!r} is not an inquiry id; write INQ-12 or 12")
    if isinstance(value, int):
        if value > 0:
            return value
        raise InputError(f"{value} is not an inquiry id; ids start at INQ-1")
    match = _ID.fullmatch(str(value).strip())
    if not match or int(match.group(1)) == 0:
        raise InputError(f"{value!r} is not an inquiry id; write INQ-12 or 12", example="INQ-12")
    return int(match.group(1))


def no_such_inquiry(inquiry_id: int) -> NotFound:
    """The one answer for an id that names no inquiry (or none this installation holds)."""
    return NotFound(f"no inquiry {inquiry_ref(inquiry_id)}; check the id with `/inquiry list`")


def kind(value: str) -> str:
    key = str(value or "").strip().lower()
    key = KIND_ALIASES.get(key, key)
    if key not in KINDS:
        raise InputError(f"kind {value!r} is unknown; use one of: {', '.join(KINDS)}", example="email")
    return key


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    key = str(value or "").strip().lower()
    if key not in allowed:
        raise InputError(f"{what} {value!r} is unknown; use one of: {', '.join(allowed)}")
    return key


def complexity(value: str) -> str:
    return _one_of(value, COMPLEXITIES, "complexity")


@overload
def text(value: str | None, field: str, *, required: Literal[True], limit: int = 4000) -> str: ...
@overload
def text(value: str | None, field: str, *, required: bool = False, limit: int = 4000) -> str | None: ...
def text(value: str | None, field: str, *, required: bool = False, limit: int = 4000) -> str | None:
    cleaned = (value or "").strip()
    if "\x00" in cleaned:  # PostgreSQL text cannot hold it, and no person typed it
        raise InputError(f"{field} contains a NUL character; remove it")
    if not cleaned:
        if required:
            raise InputError(f"{field} is empty; write a few words")
        return None
    if len(cleaned) > limit:
        raise InputError(f"{field} is {len(cleaned)} characters long; keep it under {limit}")
    return cleaned


def user(value: str | None, field: str) -> str:
    """A Slack user id; '@U123' and '<@U123|bob>' are accepted too."""
    cleaned = (value or "").strip()
    match = re.fullmatch(r"<@([A-Z0-9]+)(?:\|[^>]*)?>|@?([A-Za-z0-9._-]+)", cleaned)
    if not match:
        raise InputError(f"{field} {value!r} is not a Slack user; mention them like @bob", example="@bob")
    return match.group(1) or match.group(2)


def instant(value: datetime | None, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise InputError(f"{field} {value!r} is not a date and time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(f"{field} {value.isoformat()} has no time zone; give an aware datetime")
    return value


def received_at(value: datetime | None, now: datetime, *, tz: str = DEFAULT_TZ) -> datetime:
    if value is None:
        return now
    value = instant(value, "received_at")
    if value > now + CLOCK_SKEW:
        raise InstantError(
            "received {received} is in the future; give when the inquiry arrived",
            {"received": value},
            tz=tz,
            example="/inquiry log email Records request; received yesterday 3pm",
        )
    return value


def not_before_receipt(value: datetime, field: str, received: datetime, *, tz: str = DEFAULT_TZ) -> datetime:
    value = instant(value, field)
    if value < received:
        raise InstantError(
            f"{field} {{at}} is before the inquiry was received ({{received}}); give a later date",
            {"at": value, "received": received},
            tz=tz,
            example=(
                "/inquiry log email Records request; received yesterday 3pm; due Friday 5pm because "
                "program office deadline"
                if field == "due"
                else "/inquiry ack INQ-12 expect Friday 5pm"
            ),
        )
    return value


def not_past(value: datetime, field: str, now: datetime, *, tz: str = DEFAULT_TZ) -> datetime:
    """A promised date is still ahead: one already past would be missed the moment it is made."""
    if value < now:
        raise InstantError(
            f"{field} {{at}} is already past (it is {{now}}); a promised resolution date is still "
            "ahead — give a later one",
            {"at": value, "now": now},
            tz=tz,
            example="/inquiry ack INQ-12 expect Friday 5pm",
        )
    return value


# On the platform's own domain when shown (a literal, so tests/pure/test_examples.py parses it).
SOURCE_EXAMPLE = (
    "/inquiry log email Records request; link https://acme.slack.com/archives/C0123/p1700000000000100"
)


def _permalink(domain: str) -> re.Pattern[str]:
    """What "Copy link" on a message gives: https, a workspace's host on the platform the app is
    installed on (SLACK_DOMAIN: acme.slack.com, or agency.slack-gov.com on GovSlack), the
    conversation and the message's timestamp (`/archives/C0123/p1700000000000100`), and at most
    Slack's own query (`?thread_ts=1700000000.000100&cid=C0123`)."""
    return re.compile(
        rf"https://(?:[A-Za-z0-9-]+\.)+{re.escape(domain)}/archives/[A-Z0-9]+/p\d{{10,20}}"
        r"(?:\?[A-Za-z0-9_.=&%-]*)?"
    )


def source_link(value: str | None, *, domain: str = SLACK_DOMAIN_DEFAULT) -> str | None:
    """Only an https Slack message permalink of the app's own platform is stored: the link is shown
    to supervisors as a button, so anything else (javascript:, other sites, the other Slack
    platform) is refused (docs/record.md), with an example on the platform's own domain."""
    cleaned = (value or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > 2000 or not _permalink(domain).fullmatch(cleaned):
        raise InputError(
            f"source link {cleaned[:60]!r} is not a Slack message link; copy it with “Copy link” on the "
            f"message (https://…{domain}/archives/…)",
            example=SOURCE_EXAMPLE.replace("slack.com", domain),
        )
    return cleaned


def score(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InputError(
            f"feedback score {value!r} must be a whole number from 1 to 5", example="feedback INQ-12 5"
        )
    return value


def close_reason(value: str) -> str:
    return _one_of(value, CLOSE_REASONS, "close reason")


def snooze(value: timedelta) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InputError(
            f"snooze duration {value!r} must be positive, e.g. 1 hour", example="snooze INQ-12 1h"
        )
    if value > MAX_SNOOZE:
        raise InputError(f"snooze duration {value} is longer than {MAX_SNOOZE.days} days; snooze less")
    return value
