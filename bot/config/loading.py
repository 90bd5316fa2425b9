"""Configuration: built by a function from a TOML file (or defaults), validated completely, frozen
(the values it builds: teams.py; the readers that name the key on error: toml_readers.py).

Nothing here runs at import time. Every error is a ConfigError naming the key, the bad value and
the fix, so `inquirybot` can print one line and exit 2.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.config.checks import channels_not_shared, user_id_key, zone_name
from bot.config.teams import Config, Digest, Reminders, Team, Thresholds
from bot.config.toml_readers import (
    as_table,
    boolean,
    clock_time,
    iso_date,
    only_keys,
    optional_channel,
    table,
    text,
    user_list,
)
from bot.errors import ConfigError
from bot.time.calendar import BusinessCalendar
from bot.time.durations import parse_duration
from bot.time.policies import Policy, policy_from_config, preset

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_TEAM = "default"

TOP_KEYS = {"admins", "default_team", "primary_team", "teams", "policies", "names"}
TEAM_KEYS = {
    "timezone",
    "hours",
    "policy",
    "members",
    "supervisors",
    "specialists",
    "channel",
    "escalation_channel",
    "closures",
    "inauguration_day",
    "digest",
    "thresholds",
    "reminders",
}
HOURS_KEYS = {"open", "close", *WEEKDAYS, *(d[:3] for d in WEEKDAYS)}  # per-weekday: fri = "09:00-13:00"
DIGEST_KEYS = {"enabled", "day", "time"}
THRESHOLD_KEYS = {"meets", "exceeds"}
REMINDER_KEYS = {
    "nudge_fraction",
    "nudge_before",
    "level2_after",
    "update_before_promised",
    "stale_after",
    "gather_minutes",
}


def load_config(path: str | Path | None) -> Config:
    """Read INQUIRYBOT_CONFIG; without a file, one default team on the `department` preset."""
    if path is None or str(path) == "":
        return default_config()
    p = Path(path)
    if not p.is_file():
        problem = "is a directory, not a file" if p.is_dir() else "not found"
        raise ConfigError(
            f"config file {str(p)!r} {problem}; fix INQUIRYBOT_CONFIG or unset it to use defaults"
        )
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {str(p)!r} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {str(p)!r} is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(
            f"config file {str(p)!r} cannot be read ({exc.strerror or exc}); fix INQUIRYBOT_CONFIG"
        ) from None
    try:
        return config_from_dict(data)
    except ConfigError as exc:  # the operator has many files; say which one holds the mistake
        raise ConfigError(f"config file {str(p)!r}: {exc}") from None


def default_config() -> Config:
    return config_from_dict({"teams": {DEFAULT_TEAM: {}}})


def config_from_dict(data: Mapping[str, Any]) -> Config:
    only_keys(data, TOP_KEYS, "the top level")
    policies = table(data, "policies", "the top level")
    custom = {
        name: policy_from_config(name, as_table(body, f"[policies.{name}]"))
        for name, body in policies.items()
    }
    teams_raw = table(data, "teams", "the top level")
    if not teams_raw:
        raise ConfigError("there is no [teams.<name>] table; add at least one team")
    teams = {name: _team(name, as_table(body, f"[teams.{name}]"), custom) for name, body in teams_raw.items()}

    channels_not_shared((t.name, t.channel, t.escalation_channel) for t in teams.values())
    admins = frozenset(user_list(data, "admins", "the top level"))
    default_team = data.get("default_team", next(iter(teams)))
    if default_team not in teams:
        raise ConfigError(f"default_team = {default_team!r} is not a team; known teams: {', '.join(teams)}")
    return Config(
        teams=MappingProxyType(teams),
        default_team=default_team,
        admins=admins,
        primary_team=MappingProxyType(_primary_teams(data, teams)),
        names=MappingProxyType(_names(data)),
    )


def _names(data: Mapping[str, Any]) -> dict[str, str]:
    """[names] U0ALICE = "Alice Adams": how reports name people Slack has not told us about."""
    names = table(data, "names", "the top level")
    for user, name in names.items():
        user_id_key(user, "[names]")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(
                f'[names] {user} must be a name in quotes, like {user} = "Alice Adams"; got {name!r}'
            )
    return {user: name.strip() for user, name in names.items()}


def _team(name: str, raw: Mapping[str, Any], custom: Mapping[str, Policy]) -> Team:
    where = f"[teams.{name}]"
    only_keys(raw, TEAM_KEYS, where)
    hours = table(raw, "hours", where)
    only_keys(hours, HOURS_KEYS, f"{where}.hours")
    closures = raw.get("closures", [])
    if not isinstance(closures, list):
        raise ConfigError(f'{where} closures must be a list of dates like ["2026-12-24"], got {closures!r}')
    try:
        calendar = BusinessCalendar(
            tz=zone_name(text(raw, "timezone", where, "America/New_York"), where),
            open=text(hours, "open", f"{where}.hours", "09:00"),
            close=text(hours, "close", f"{where}.hours", "17:00"),
            # {date = ..., reason = "weather"} tables keep their reason for `explain`
            closures=tuple(
                c if isinstance(c, Mapping) else iso_date(c, f"{where} closures") for c in closures
            ),
            hours_by_weekday={k: v for k, v in hours.items() if k not in ("open", "close")},
            inauguration_day=boolean(raw, "inauguration_day", where, False),
        )
    except ConfigError as exc:
        if str(exc).startswith(where):
            raise
        # name the team whose calendar is wrong, and its key as the file spells it
        raise ConfigError(f"{where} {_file_key_names(str(exc))}") from None
    policy_name = text(raw, "policy", where, "department")
    policy = custom[policy_name] if policy_name in custom else _preset(policy_name, where, custom)
    members = user_list(raw, "members", where)
    if len(set(members)) != len(members):
        dupes = sorted({m for m in members if members.count(m) > 1})
        raise ConfigError(f"{where} members lists {', '.join(dupes)} more than once; list each person once")
    return Team(
        name=name,
        calendar=calendar,
        policy=policy,
        members=tuple(members),
        supervisors=tuple(user_list(raw, "supervisors", where)),
        specialists=tuple(user_list(raw, "specialists", where)),
        channel=optional_channel(raw, "channel", where),
        escalation_channel=optional_channel(raw, "escalation_channel", where),
        digest=_digest(table(raw, "digest", where), f"{where}.digest"),
        thresholds=_thresholds(table(raw, "thresholds", where), f"{where}.thresholds"),
        reminders=_reminders(table(raw, "reminders", where), f"{where}.reminders"),
    )


# The calendar names its settings as its constructor does; the file spells them otherwise.
_CALENDAR_KEYS = (
    (re.compile(r"^tz:"), "timezone:"),
    (re.compile(r"^hours_by_weekday\['(\w+)'\]"), r"hours.\1"),
    (re.compile(r"^hours_by_weekday:"), "hours:"),
    (re.compile(r"^(open|close)\b"), r"hours.\1"),
)


def _file_key_names(message: str) -> str:
    for pattern, key in _CALENDAR_KEYS:
        message = pattern.sub(key, message, count=1)
    return message


def _preset(name: str, where: str, custom: Mapping[str, Policy]) -> Policy:
    try:
        return preset(name)
    except ConfigError:
        known = ", ".join(["department", "ita", *custom])
        raise ConfigError(f"{where} policy = {name!r} is unknown; use one of: {known}") from None


def _digest(raw: Mapping[str, Any], where: str) -> Digest:
    only_keys(raw, DIGEST_KEYS, where)
    day = str(raw.get("day", "monday")).lower()
    if day not in WEEKDAYS:
        raise ConfigError(f"{where} day = {day!r} is not a weekday name (monday … sunday)")
    return Digest(
        enabled=boolean(raw, "enabled", where, True),
        weekday=WEEKDAYS.index(day),
        at=clock_time(text(raw, "time", where, "09:00"), f"{where} time"),
    )


def _thresholds(raw: Mapping[str, Any], where: str) -> Thresholds:
    only_keys(raw, THRESHOLD_KEYS, where)
    values = {}
    for key in THRESHOLD_KEYS:
        value = raw.get(key, getattr(Thresholds, key))
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            raise ConfigError(f"{where} {key} = {value!r} must be a fraction between 0 and 1, e.g. 0.9")
        if abs(value * 1000 - round(value * 1000)) > 1e-6:
            # Rates are shown cut to 0.1% (docs/reports.md): a threshold between two tenths would let
            # a rate below it read the same as the threshold, or one above it read lower.
            raise ConfigError(
                f"{where} {key} = {value!r} is finer than 0.1%, the precision rates are shown in; "
                f"write e.g. {math.floor(value * 1000) / 1000} or {math.ceil(value * 1000) / 1000}"
            )
        values[key] = float(value)
    if values["exceeds"] < values["meets"]:
        meets, exceeds = values["meets"], values["exceeds"]
        raise ConfigError(
            f"{where} exceeds = {exceeds} is below meets = {meets}; Level 5 needs at least Level 3's "
            f"share: swap them (meets = {exceeds}, exceeds = {meets})"
        )
    return Thresholds(**values)


def _reminders(raw: Mapping[str, Any], where: str) -> Reminders:
    only_keys(raw, REMINDER_KEYS, where)
    values: dict[str, Any] = {}
    if "nudge_fraction" in raw:
        f = raw["nudge_fraction"]
        if not isinstance(f, (int, float)) or isinstance(f, bool) or not 0 < f < 1:
            raise ConfigError(f"{where} nudge_fraction = {f!r} must be between 0 and 1, e.g. 0.5")
        values["nudge_fraction"] = float(f)
    if "gather_minutes" in raw:
        g = raw["gather_minutes"]
        if not isinstance(g, int) or isinstance(g, bool) or not 0 <= g <= 240:
            raise ConfigError(
                f"{where} gather_minutes = {g!r} must be a whole number of minutes from 0 to 240, e.g. 30"
            )
        values["gather_minutes"] = g
    for key in REMINDER_KEYS - {"nudge_fraction", "gather_minutes"}:
        if key in raw:
            values[key] = parse_duration(text(raw, key, where, ""), field=f"{where} {key}", positive=True)
    return Reminders(**values)


def _primary_teams(data: Mapping[str, Any], teams: Mapping[str, Team]) -> dict[str, str]:
    declared = table(data, "primary_team", "the top level")
    for user, team in declared.items():
        user_id_key(user, "[primary_team]")
        if not isinstance(team, str) or team not in teams:
            raise ConfigError(
                f"[primary_team] {user} = {team!r} is not a team; known teams: {', '.join(teams)}"
            )
    memberships: dict[str, list[str]] = {}
    for team in teams.values():
        for user in team.everyone():
            memberships.setdefault(user, []).append(team.name)
    primary: dict[str, str] = {}
    for user, names in memberships.items():
        if len(names) == 1:
            primary[user] = names[0]
        elif user in declared:
            primary[user] = declared[user]
        else:
            raise ConfigError(
                f"user {user} is in teams {', '.join(names)}; say which is primary with "
                f'[primary_team] {user} = "{names[0]}"'
            )
    for user, team in declared.items():
        primary.setdefault(user, team)
    return primary
