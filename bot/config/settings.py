"""Process settings from the environment (README, Environment), read once at start-up by a function."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from storage.session import DEFAULT_URL

SLACK_API_DEFAULT = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    config_path: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    # How long a claimed outbox row stays claimed before another deliverer may take it over
    # (INQUIRYBOT_DELIVERY_LEASE, seconds; docs/delivery.md). None: the deliverer's default.
    delivery_lease: float | None = None


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    api = env.get("SLACK_API_URL") or SLACK_API_DEFAULT
    if not api.endswith("/"):
        api += "/"
    return Settings(
        # Set but empty is a mistake to report (storage.session.normalize_url), not a reason to
        # create ./inquirybot.db quietly.
        database_url=env["DATABASE_URL"] if "DATABASE_URL" in env else DEFAULT_URL,
        config_path=env.get("INQUIRYBOT_CONFIG") or None,
        slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_app_token=env.get("SLACK_APP_TOKEN") or None,
        slack_api_url=api,
        delivery_lease=_seconds(env, "INQUIRYBOT_DELIVERY_LEASE"),
    )


def _seconds(env: Mapping[str, str], name: str) -> float | None:
    from bot.errors import ConfigError

    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ConfigError(f"{name}={raw!r} is not a number of seconds above zero; e.g. {name}=300")
    return value
