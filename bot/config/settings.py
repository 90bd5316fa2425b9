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


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    api = env.get("SLACK_API_URL") or SLACK_API_DEFAULT
    if not api.endswith("/"):
        api += "/"
    return Settings(
        database_url=env.get("DATABASE_URL") or DEFAULT_URL,
        config_path=env.get("INQUIRYBOT_CONFIG") or None,
        slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_app_token=env.get("SLACK_APP_TOKEN") or None,
        slack_api_url=api,
    )
