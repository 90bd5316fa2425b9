"""The one place that reads Slack's JSON: request bodies become small typed values, so listeners
never dig through nested dicts and the shapes Slack really sends are handled in one module."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.errors import FieldError

# Instants a form may carry: Slack's pickers give epoch seconds; outside these years is a forged or
# broken value, not a date anyone meant (the one range every way in checks: bot/time/years.py).
from bot.time.years import EARLIEST, LATEST
from storage.refs import MAX_ID


@dataclass(frozen=True)
class SlashCommand:
    user_id: str
    text: str
    channel_id: str | None
    trigger_id: str | None
    response_url: str | None


@dataclass(frozen=True)
class Where:
    """Where a clicked card lives, so it can be redrawn after the action (kept in modal metadata)."""

    surface: str  # message | home | none
    channel: str | None = None
    ts: str | None = None
    ephemeral: bool = False
    response_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "s": self.surface,
            "c": self.channel,
            "t": self.ts,
            "e": self.ephemeral,
            "r": self.response_url,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Where:
        data = data if isinstance(data, dict) else {}

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        surface = text("s")
        return cls(
            surface if surface in ("message", "home") else "none",
            text("c"),
            text("t"),
            data.get("e") is True,
            text("r"),
        )


@dataclass(frozen=True)
class ButtonClick:
    user_id: str
    action_id: str
    value: str
    trigger_id: str | None
    where: Where


@dataclass(frozen=True)
class MessageShortcut:
    user_id: str
    channel_id: str | None
    message_ts: str | None
    text: str
    trigger_id: str | None


@dataclass(frozen=True)
class Submission:
    user_id: str
    callback_id: str
    values: dict[str, dict[str, Any]]
    metadata: dict[str, Any] = field(default_factory=dict)

    def element(self, name: str) -> dict[str, Any]:
        """Our forms use the same name for block_id and action_id. Anything that is not the shape
        Slack sends reads as an empty element."""
        block = self.values.get(name) if isinstance(self.values, dict) else None
        if not isinstance(block, dict) or not block:
            return {}
        element = block.get(name) or next(iter(block.values()))
        return element if isinstance(element, dict) else {}

    def text(self, name: str) -> str | None:
        value = self.element(name).get("value")
        return value.strip() or None if isinstance(value, str) else None

    def option(self, name: str) -> str | None:
        selected = self.element(name).get("selected_option")
        value = selected.get("value") if isinstance(selected, dict) else None
        return value if isinstance(value, str) else None

    def user(self, name: str) -> str | None:
        value = self.element(name).get("selected_user")
        return value if isinstance(value, str) and value else None

    def checked(self, name: str) -> set[str]:
        options = self.element(name).get("selected_options")
        if not isinstance(options, list):
            return set()
        return {v for o in options if isinstance(o, dict) and isinstance(v := o.get("value"), str)}

    def instant(self, name: str) -> datetime | None:
        """datetimepicker: `selected_date_time` is epoch seconds (slack_sdk's ViewStateValue lacks it)."""
        value = self.element(name).get("selected_date_time")
        if value in (None, ""):
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ValueError
            when = datetime.fromtimestamp(int(value), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise FieldError(
                name,
                f"{name.replace('_', ' ')} {str(value)[:40]!r} is not a date and time; "
                "pick one with the date picker",
            ) from None
        if not EARLIEST <= when < LATEST:
            raise FieldError(
                name,
                f"{name.replace('_', ' ')} {when.year} is out of range; pick a date "
                f"between {EARLIEST.year} and {LATEST.year - 1}",
            )
        return when

    def number(self, name: str) -> int | None:
        """A whole number chosen in a select (e.g. a score)."""
        value = self.option(name)
        if value is None:
            return None
        if not value.strip().isdigit() or len(value.strip()) > 9:
            raise FieldError(name, f"{name.replace('_', ' ')} {value[:40]!r} is not a whole number")
        return int(value)

    def meta(self, key: str) -> str | None:
        """A text value from private_metadata; anything else reads as missing."""
        value = self.metadata.get(key)
        return value if isinstance(value, str) and value else None

    def inquiry_id(self, key: str = "id") -> int:
        """The inquiry this form is about, from its private_metadata (0 when missing: not found)."""
        value = self.metadata.get(key)
        if value in (None, ""):
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
            return 0
        number = int(str(value).strip()[:12])
        return number if number <= MAX_ID else 0


def slash_command(body: dict[str, Any]) -> SlashCommand:
    return SlashCommand(
        user_id=body.get("user_id", ""),
        text=body.get("text") or "",
        channel_id=body.get("channel_id") or None,
        trigger_id=body.get("trigger_id") or None,
        response_url=body.get("response_url") or None,
    )


def where(body: dict[str, Any]) -> Where:
    container = body.get("container") or {}
    if container.get("type") == "view" or (body.get("view") or {}).get("type") == "home":
        return Where("home")
    if container.get("type") == "message":
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        return Where(
            "message",
            channel,
            container.get("message_ts") or (body.get("message") or {}).get("ts"),
            bool(container.get("is_ephemeral")),
            body.get("response_url"),
        )
    return Where("none")


def button_click(body: dict[str, Any]) -> ButtonClick:
    action = (body.get("actions") or [{}])[0]
    return ButtonClick(
        user_id=(body.get("user") or {}).get("id", ""),
        action_id=action.get("action_id", ""),
        value=str(action.get("value") or ""),
        trigger_id=body.get("trigger_id"),
        where=where(body),
    )


def message_shortcut(body: dict[str, Any]) -> MessageShortcut:
    message = body.get("message") or {}
    return MessageShortcut(
        user_id=(body.get("user") or {}).get("id", ""),
        channel_id=(body.get("channel") or {}).get("id"),
        message_ts=body.get("message_ts") or message.get("ts"),
        text=message.get("text") or "",
        trigger_id=body.get("trigger_id"),
    )


def submission(body: dict[str, Any]) -> Submission:
    view = body.get("view") or {}
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    return Submission(
        user_id=(body.get("user") or {}).get("id", ""),
        callback_id=view.get("callback_id", ""),
        values=(view.get("state") or {}).get("values") or {},
        metadata=metadata if isinstance(metadata, dict) else {},
    )


MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def mentioned_users(text: str) -> list[str]:
    """User ids @-mentioned in Slack text (`<@U123|bob>`, `<@U123>`), first mention first, once each."""
    return list(dict.fromkeys(MENTION.findall(text or "")))


def ts_instant(ts: str | None) -> datetime | None:
    """A Slack message ts ("1583636382.000300") as an aware UTC instant."""
    try:
        return datetime.fromtimestamp(float(ts), tz=UTC) if ts else None
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class Origin:
    """The workspaces (T…) and Enterprise orgs (E…) a request names for where it was made and who
    made it: the installation it is for, the workspace it came from, and the acting user's own
    (a Slack Connect channel's user may belong to another)."""

    teams: frozenset[str]
    enterprises: frozenset[str]
    shared_channel: bool = False  # an event from a channel shared with another organization


def origin(body: dict[str, Any]) -> Origin:
    """Every place Slack puts a team or org id, in commands (team_id, enterprise_id), interactivity
    (team.id, user.team_id, enterprise.id) and events (team_id, enterprise_id, authorizations,
    event.user_team, event.team, event.user.team_id). An event's user_team may be an org id."""
    ids: list[Any] = [body.get("team_id"), body.get("enterprise_id")]
    for holder in (body, body.get("event")):
        if not isinstance(holder, dict):
            continue
        team, user = holder.get("team"), holder.get("user")
        ids += [team.get("id"), team.get("enterprise_id")] if isinstance(team, dict) else [team]
        ids += [user.get("team_id")] if isinstance(user, dict) else []
        ids.append(holder.get("user_team"))
    enterprise = body.get("enterprise")
    ids.append(enterprise.get("id") if isinstance(enterprise, dict) else enterprise)
    for granted in body.get("authorizations") or []:
        if isinstance(granted, dict):
            ids += [granted.get("team_id"), granted.get("enterprise_id")]
    named = {value for value in ids if isinstance(value, str) and value}
    return Origin(
        teams=frozenset(i for i in named if not i.startswith("E")),
        enterprises=frozenset(i for i in named if i.startswith("E")),
        shared_channel=body.get("is_ext_shared_channel") is True,
    )
