"""Checks of the values an operator copies into the config by hand: Slack ids, time zone names,
channels two teams would share, and close matches for a misspelt key. Each error says what to
write instead (docs/configuration.md)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import ConfigError

# Slack ids are upper-case letters and digits: users U012AB3CD (W… on Enterprise Grid), channels
# C012AB3CD (G… for older private ones). A name, an @-mention or a #channel is not one.
_SLACK_ID = re.compile(r"^[A-Z][A-Z0-9]+$")
_MENTION = re.compile(r"^<?[@#]?([A-Za-z][A-Za-z0-9]+)(?:\|[^>]*)?>?$")

# Zone names without an office's city: fixed offsets keep no daylight saving time ('EST' is
# UTC-5 all year, so summer deadlines would be an hour off) and the POSIX names are legacy.
_CITY_OF = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "EST5EDT": "America/New_York",
    "CST": "America/Chicago",
    "CST6CDT": "America/Chicago",
    "MST": "America/Denver",
    "MST7MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PST8PDT": "America/Los_Angeles",
    "HST": "Pacific/Honolulu",
}
_UTC = {"UTC", "Etc/UTC"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'timezone'?)' for a close match, else ''."""
    close = _closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""


def _closest(word: str, choices: Iterable[str]) -> str | None:
    by_case = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(by_case), n=1, cutoff=0.75)
    return by_case[close[0]] if close else None


def user_id(value: str, where: str, key: str) -> str:
    if _SLACK_ID.match(value):
        return value
    where = "" if where == "the top level" else f"{where} "
    raise ConfigError(
        f"{where}{key}: {value!r} is not a Slack user id; write the member id{_id_hint(value)}, "
        f'e.g. {key} = ["U012AB3CD"] (Slack: the person\'s profile → ⋮ → Copy member ID)'
    )


def user_id_key(value: str, table: str) -> str:
    """A user id written as a key ([names], [primary_team])."""
    if _SLACK_ID.match(value):
        return value
    raise ConfigError(
        f"{table} {value!r} is not a Slack user id; write the member id{_id_hint(value)}, "
        "e.g. U012AB3CD = … (Slack: the person's profile → ⋮ → Copy member ID)"
    )


def channel_id(value: str, where: str, key: str) -> str:
    if _SLACK_ID.match(value):
        return value
    raise ConfigError(
        f"{where} {key}: {value!r} is not a Slack channel id; write the channel's id{_id_hint(value)}, "
        f'e.g. {key} = "C012AB3CD" (Slack: the channel\'s name → About → Channel ID, at the bottom)'
    )


def _id_hint(value: str) -> str:
    match = _MENTION.match(value.strip())
    if match and _SLACK_ID.match(match[1].upper()) and any(ch.isdigit() for ch in match[1]):
        return f" {match[1].upper()!r}"
    return ""


def zone_name(value: str, where: str) -> str:
    """A team's zone is the office's city ('America/New_York'), never a fixed offset."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        close = _closest(value, available_timezones())
        fix = f'write timezone = "{close}"' if close else "use an IANA name such as 'America/New_York'"
        raise ConfigError(f"{where} timezone: unknown time zone {value!r}; {fix}") from None
    if value in _UTC or ("/" in value and not value.startswith("Etc/")):
        return value
    city = _CITY_OF.get(value.upper(), "America/New_York")
    raise ConfigError(
        f"{where} timezone = {value!r} is not a city's zone (a fixed offset or a legacy name, which "
        f'would get daylight saving time wrong); write timezone = "{city}" or your office\'s city'
    )


def channels_not_shared(teams: Iterable[tuple[str, str | None, str | None]]) -> None:
    """(name, channel, escalation_channel) of each team. A team's digest channel is its own: another
    team's digest or escalations posted there would show its members that team's records. Teams may
    share an escalation channel (one escalation desk)."""
    teams = list(teams)
    owner: dict[str, str] = {}
    for name, channel, _ in teams:
        if channel:
            owner.setdefault(channel, name)
    for name, channel, escalation in teams:
        for key, value in (("channel", channel), ("escalation_channel", escalation)):
            other = owner.get(value) if value else None
            if other is not None and other != name:
                what = "digest" if key == "channel" else "escalations"
                raise ConfigError(
                    f"[teams.{name}] {key} = {value!r} is [teams.{other}]'s channel too, where {other}'s "
                    f"members would read {name}'s {what}; give [teams.{name}] another {key}"
                )
