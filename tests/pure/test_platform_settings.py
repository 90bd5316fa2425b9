"""SLACK_DOMAIN and SLACK_API_URL read into settings (no server): commercial Slack by default, the
platform's API and OAuth pages for GovSlack, and SLACK_API_URL still naming the API base.
tests/slack/test_govslack.py follows the same settings through the served app's clients."""

from __future__ import annotations

from bot.config.settings import settings_from_env

GOV = {"SLACK_DOMAIN": "slack-gov.com", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test"}


def test_default_is_commercial_slack():
    settings = settings_from_env({})
    assert (settings.slack_domain, settings.slack_api_url) == ("slack.com", "https://slack.com/api/")
    assert settings.oauth_authorize_url == "https://slack.com/oauth/v2/authorize"


def test_slack_api_url_still_overrides_the_api_base():
    settings = settings_from_env({**GOV, "SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.oauth_authorize_url == "https://slack-gov.com/oauth/v2/authorize"  # a page, not the API
