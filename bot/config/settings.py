"""Process settings from the environment (README.md, Environment), read once at start-up by a function."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import ConfigError
from storage.session import DEFAULT_URL

SLACK_API_DEFAULT = "https://slack.com/api/"
SLACK_DOMAIN_DEFAULT = "slack.com"  # GovSlack: slack-gov.com (docs/federal.md)
OAUTH_SETTINGS = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET")
# What a token's prefix says it is (api.slack.com/authentication/token-types): a token pasted into
# the wrong variable is named, never printed.
TOKEN_KINDS = {
    "xoxb-": "a bot token",
    "xoxp-": "a user token",
    "xapp-": "an app-level token",
    "xoxe": "a refresh token",
    "xoxc-": "a browser session token",
}
_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    config_path: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    # The customer feedback page (docs/customer-feedback.md): the public base of its links, and the
    # office name it shows (default: the inquiry's team name).
    public_url: str | None = None
    office_name: str | None = None
    # The HTTPS proxy's address: its X-Forwarded-For / -Proto are believed (the page's per-address limit).
    trusted_proxy: str | None = None
    slack_domain: str = SLACK_DOMAIN_DEFAULT
    # How long a claimed outbox row stays claimed before another deliverer may take it over
    # (INQUIRYBOT_DELIVERY_LEASE, seconds; docs/delivery.md). None: the deliverer's default.
    delivery_lease: float | None = None
    # Slack's OAuth v2 install (docs/federal.md "Org-wide and multi-workspace install"): all three
    # set, `serve` answers /slack/install and /slack/oauth_redirect and keeps each installation's
    # data apart; none set, one bot token for one workspace or org (SLACK_BOT_TOKEN), as before.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_state_secret: str | None = None

    @property
    def oauth(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret and self.slack_state_secret)

    # One setting, SLACK_DOMAIN, points every Slack address at the platform (docs/federal.md): the
    # Web API (and through it Socket Mode, whose apps.connections.open hands out the platform's
    # WebSocket URL) and the OAuth pages. SLACK_API_URL, when set, still overrides the API base.

    @property
    def oauth_authorize_url(self) -> str:
        return f"https://{self.slack_domain}/oauth/v2/authorize"

    @property
    def oauth_access_url(self) -> str:
        return f"{self.slack_api_url}oauth.v2.access"


def api_base(domain: str) -> str:
    return f"https://{domain}/api/"


def slack_domain(env: Mapping[str, str]) -> str:
    domain = (env.get("SLACK_DOMAIN") or SLACK_DOMAIN_DEFAULT).strip().lower().rstrip(".")
    if not _HOST.fullmatch(domain):
        raise ConfigError(
            f"SLACK_DOMAIN={env.get('SLACK_DOMAIN')!r} is not a host name; "
            "set it to slack.com, or slack-gov.com for GovSlack (no https://, no path)"
        )
    return domain


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    public = (env.get("INQUIRYBOT_PUBLIC_URL") or "").strip()
    if public and not public.startswith(("https://", "http://")):
        raise ConfigError(
            f"INQUIRYBOT_PUBLIC_URL={public!r} is not a web address; set it to the public base of the "
            "feedback page, e.g. https://inquiries.agency.gov (docs/customer-feedback.md)"
        )
    domain = slack_domain(env)
    oauth = {name: env.get(name) or None for name in OAUTH_SETTINGS}
    missing = [name for name, value in oauth.items() if not value]
    if 0 < len(missing) < len(OAUTH_SETTINGS):
        raise ConfigError(
            f"{', '.join(missing)} not set; installing through OAuth needs {', '.join(OAUTH_SETTINGS)} "
            "(client id and secret from the app's Basic Information page, the state secret any long "
            "random string), or none of them for one workspace with SLACK_BOT_TOKEN"
        )
    api = env.get("SLACK_API_URL") or api_base(domain)
    if not api.endswith("/"):
        api += "/"
    return Settings(
        # Set but empty is a mistake to report (storage.session.normalize_url), not a reason to
        # create ./inquirybot.db quietly.
        database_url=env["DATABASE_URL"] if "DATABASE_URL" in env else DEFAULT_URL,
        config_path=env.get("INQUIRYBOT_CONFIG") or None,
        slack_bot_token=_token(
            env,
            "SLACK_BOT_TOKEN",
            "xoxb-",
            "the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page",
        ),
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        slack_app_token=_token(
            env,
            "SLACK_APP_TOKEN",
            "xapp-",
            "an app-level token (xapp-…) with connections:write from the Slack app's Basic Information page",
        ),
        slack_api_url=api,
        public_url=public.rstrip("/") or None,
        office_name=env.get("INQUIRYBOT_OFFICE_NAME") or None,
        trusted_proxy=env.get("INQUIRYBOT_TRUSTED_PROXY") or None,
        slack_domain=domain,
        delivery_lease=_seconds(env, "INQUIRYBOT_DELIVERY_LEASE"),
        slack_client_id=oauth["SLACK_CLIENT_ID"],
        slack_client_secret=oauth["SLACK_CLIENT_SECRET"],
        slack_state_secret=oauth["SLACK_STATE_SECRET"],
    )


def _token(env: Mapping[str, str], name: str, prefix: str, where: str) -> str | None:
    """A token of another kind, or quoted or padded, is refused; any other shape is left to Slack's
    first answer (a local stand-in or a test may use any text)."""
    value = env.get(name) or ""
    if not value:
        return None
    if any(c.isspace() or c in "\"'" for c in value):
        raise ConfigError(f"{name} has quotes or spaces in it; set it to the token alone: {where}")
    kind = next((k for k in TOKEN_KINDS if value.startswith(k)), None)
    if kind is not None and kind != prefix:
        wanted = TOKEN_KINDS[prefix].removeprefix("a ").removeprefix("an ")
        raise ConfigError(
            f"{name} is {TOKEN_KINDS[kind]} ({kind.rstrip('-')}-…), not the {wanted}; set it to {where}"
        )
    return value  # a shape Slack never issues (a stand-in's, a test's): Slack's first answer tells


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
