"""Small readers of the config's TOML tables and values, each naming the key and the table on error
and saying what to write instead (loading.py reads the file through them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from bot.config.checks import channel_id, did_you_mean, user_id
from bot.errors import ConfigError


def only_keys(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown key {unknown[0]!r} in {where}{did_you_mean(unknown[0], allowed)}; "
            f"known keys: {', '.join(sorted(allowed))}"
        )


def as_table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a table, got {value!r}")
    return value


def table(raw: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    return as_table(raw.get(key, {}), f"{key} in {where}")


def text(raw: Mapping[str, Any], key: str, where: str, default: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"{where} {key} must be text, got {value!r}")
    return value


def boolean(raw: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where} {key} must be true or false (no quotes), got {value!r}")
    return value


def optional_channel(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = text(raw, key, where, "")
    return channel_id(value, where, key) if value else None


def user_list(raw: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f'{where} {key} must be a list of Slack user ids like ["U012AB3CD"], got {value!r}')
    return [user_id(v, where, key) for v in value]


def iso_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: {value!r} is not a date; write YYYY-MM-DD") from None


def clock_time(value: str, where: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{where} = {value!r} is not a time of day; write HH:MM") from None
