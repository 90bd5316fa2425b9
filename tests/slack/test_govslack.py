"""SLACK_DOMAIN points the Web API, OAuth and Socket Mode at the platform (GovSlack: slack-gov.com);
SLACK_API_URL still overrides the API base (how the tests reach the stand-in)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import select as where

from bot.config.settings import settings_from_env
from bot.errors import ConfigError
from bot.rendering import modals as f
from inquirybot.bootstrap import build_app, build_client, build_sender, build_services
from inquirybot.cli import main
from storage.models import Inquiry
from tests.slack.harness import select, text
from tests.slack.helpers import count, know_zone

GOV = {"SLACK_DOMAIN": "slack-gov.com", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test"}


def test_govslack_points_the_api_oauth_and_every_client_at_slack_gov(runtime):
    settings = settings_from_env(GOV)
    assert settings.slack_api_url == "https://slack-gov.com/api/"
    assert settings.oauth_authorize_url == "https://slack-gov.com/oauth/v2/authorize"
    assert settings.oauth_access_url == "https://slack-gov.com/api/oauth.v2.access"
    runtime.settings = settings
    assert build_client(runtime).base_url == "https://slack-gov.com/api/"
    assert build_sender(runtime).client.base_url == "https://slack-gov.com/api/"
    app = build_app(runtime, build_services(runtime), socket_mode=True)
    assert (
        SocketModeHandler(app, app_token="xapp-test").client.web_client.base_url
        == "https://slack-gov.com/api/"
    )


def test_socket_mode_asks_the_configured_api_for_its_websocket(runtime, web):
    """apps.connections.open goes to the API base (the platform's, or SLACK_API_URL's), which hands
    out the platform's WebSocket address."""
    web.platform = "slack-gov.com"
    runtime.settings = settings_from_env({**GOV, "SLACK_API_URL": web.url})
    app = build_app(runtime, build_services(runtime), socket_mode=True)
    handler = SocketModeHandler(app, app_token="xapp-test")
    assert handler.client.issue_new_wss_url().startswith("wss://wss-primary.slack-gov.com/")
    [call] = [c for c in web.calls if c.method == "apps.connections.open"]
    assert call.token == "xapp-test"


@pytest.mark.parametrize("value", ["https://slack-gov.com", "slack-gov.com/api", "slack gov", "localhost"])
def test_a_malformed_domain_is_one_line_and_exit_2(value, monkeypatch, capsys, database_url):
    with pytest.raises(ConfigError, match="SLACK_DOMAIN"):
        settings_from_env({"SLACK_DOMAIN": value})
    monkeypatch.setenv("SLACK_DOMAIN", value)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("inquirybot: SLACK_DOMAIN=") and err.count("\n") == 1


def test_on_govslack_a_source_link_is_a_govslack_permalink_and_the_refusal_says_so(runtime, web, request):
    """The refusal of a source link showed a commercial example (https://acme.slack.com/…) to a
    GovSlack user, and a commercial Slack permalink was stored as a GovSlack item's source; now a
    source link is the platform's own, and the hint and example name slack-gov.com."""
    runtime.settings = replace(runtime.settings, slack_domain="slack-gov.com")
    web.platform = "slack-gov.com"  # Slack's own answers (chat.getPermalink) come from GovSlack
    slack = request.getfixturevalue("slack")  # the app served on the GovSlack settings
    served = request.getfixturevalue("served")
    know_zone(slack, web, "U1")
    commercial = "https://acme.slack.com/archives/C0123/p1700000000000100"
    refused = slack.command(f"log email X; link <{commercial}>").text
    assert refused.startswith(f":warning: source link '{commercial}' is not a Slack message link")
    assert "(https://…slack-gov.com/archives/…)" in refused
    assert "https://acme.slack-gov.com/archives/C0123/p1700000000000100" in refused
    assert "slack.com/" not in refused.replace(commercial, "")
    assert count(runtime) == 0
    gov = "https://agency.slack-gov.com/archives/C0123/p1700000000000200"
    assert slack.command(f"log email Y; link <{gov}>").text.startswith(":white_check_mark: Logged *INQ-1*")
    slack.message_shortcut("Can someone check my export license?", ts="1772632800.000300")
    form = web.wait_for("views.open")[0]["view"]
    assert (
        slack.submit(form, {f.KIND: select("slack"), f.SUBJECT: text("Export license check")}).status == 200
    )
    served.settle()
    with runtime.sessions() as s:
        links = [i.source_link for i in s.scalars(where(Inquiry).order_by(Inquiry.id))]
    assert links == [gov, "https://test.slack-gov.com/archives/C1/p1772632800000300"]


def test_installed_through_oauth_every_client_is_on_slack_gov(runtime):
    """The install app (oauth.v2.access, token revocation) and each installation's app and sender
    talk to https://slack-gov.com/api/, and the install starts at GovSlack's authorize page."""
    from inquirybot.tenants import Tenants
    from storage.installations import Installed

    runtime.settings = settings_from_env(
        {
            "SLACK_DOMAIN": "slack-gov.com",
            "SLACK_CLIENT_ID": "111.222",
            "SLACK_CLIENT_SECRET": "client-secret",
            "SLACK_STATE_SECRET": "s" * 32,
            "SLACK_SIGNING_SECRET": "secret",
            "DATABASE_URL": runtime.settings.database_url,
        }
    )
    tenants = Tenants(runtime, with_scheduler=False)
    try:
        app = tenants.install_app()
        assert app.client.base_url == "https://slack-gov.com/api/"
        assert app.oauth_flow is not None
        authorize = app.oauth_flow.settings.authorize_url_generator.authorization_url
        assert authorize == "https://slack-gov.com/oauth/v2/authorize"
        tenant = tenants.tenant(Installed(enterprise_id=None, team_id="TG", is_enterprise_install=False))
        assert tenant.app is not None and tenant.app.client.base_url == "https://slack-gov.com/api/"
        assert tenant.sender.client.base_url == "https://slack-gov.com/api/"
    finally:
        tenants.close(drop=True)
