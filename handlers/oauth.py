"""Slack's OAuth v2 install, on Bolt's own OAuth support (docs/federal.md "Org-wide and
multi-workspace install").

`install_app` is the Bolt app that answers GET /slack/install (a redirect to
https://<SLACK_DOMAIN>/oauth/v2/authorize?client_id=…&scope=…&state=…) and /slack/oauth_redirect
(oauth.v2.access, then the installation saved in slack_sdk's SQLAlchemy installation store, in our
database). The served listeners run in one app per installation (inquirybot/tenants.py), each
authorized from the same store: the bot token of the workspace, or of the Enterprise org for an
org-wide install, whichever workspace of the org the request comes from.

Beyond Bolt's defaults:
- An org admin who installs from the org's admin pages is sent to the redirect URL without a
  `state` (Slack starts that flow, not /slack/install). A callback with no state at all is let
  through without the state check, as Bolt's `state_validation_enabled=False` would, but only that
  one: a state that is present must still be ours, unexpired, unused, and match the browser's cookie.

An uninstall (`app_uninstalled`) or a revoked bot token (`tokens_revoked`) is Bolt's own token
revocation listeners on this app (`enable_token_revocation_listeners`): they delete the
installation from the store, and the store the composition root hands in stops its tenant then.
The router sends these two events here whichever installation they come from.

The stores themselves (slack_sdk's SQLAlchemy ones, on our database) are wired by the composition
root (inquirybot/tenants.py).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from typing import cast

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore

from bot.config.settings import Settings
from bot.rendering import install_page, replies
from handlers.bolt_env import bolt_env_hidden

log = logging.getLogger("inquirybot.oauth")

STATE_EXPIRES = 600  # seconds from /slack/install to the redirect (Bolt's default)


def store_authorize(store: InstallationStore) -> InstallationStoreAuthorize:
    """Each request's bot token from the store (one auth.test per token, then remembered)."""
    return InstallationStoreAuthorize(installation_store=store, logger=log, bot_only=True, cache_enabled=True)


class OrgAdminInstallFlow(OAuthFlow):
    """Bolt's OAuth flow, plus installs an org admin starts from the admin pages (no state)."""

    def __init__(self, *, client: WebClient, settings: OAuthSettings):
        super().__init__(client=client, logger=log, settings=settings)
        stateless = copy.copy(settings)
        stateless.state_validation_enabled = False
        self._stateless = OAuthFlow(client=client, logger=log, settings=stateless)

    def handle_callback(self, request: BoltRequest) -> BoltResponse:
        if "state" not in request.query and "code" in request.query:
            log.info("an install without OAuth state (started by an org admin from the admin pages)")
            return self._stateless.handle_callback(request)
        return super().handle_callback(request)


def install_app(
    settings: Settings,
    *,
    store: InstallationStore,
    states: OAuthStateStore,
    scopes: Sequence[str],
    client: WebClient,
    installed: Callable[[Installation], None],
    verify: Callable[[App], None],
) -> App:
    """The Bolt app of /slack/install and /slack/oauth_redirect. It also answers Slack's requests
    that no installation's app takes (url_verification, ssl_check, or a workspace that has not
    installed us: Bolt's "please install" answer). `installed` runs after each saved installation."""

    def success(args: SuccessArgs) -> BoltResponse:
        try:
            installed(args.installation)
        except Exception:  # its database could not be opened: say so, never a 500 page
            log.exception("installed, but the installation could not be set up")
            return BoltResponse(
                status=503,
                body=replies.install_not_set_up().text,
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )
        found = args.installation
        return _html(
            200,
            install_page.installed_page(
                domain=settings.slack_domain,  # GovSlack: app.slack-gov.com, never app.slack.com
                app_id=found.app_id,
                team_id=found.team_id,
                enterprise_url=found.enterprise_url,
                org_wide=bool(found.is_enterprise_install),
            ),
        )

    def failure(args: FailureArgs) -> BoltResponse:
        log.warning("an install failed: %s", args.reason)
        page = install_page.install_failed_page(install_path=args.settings.install_path, reason=args.reason)
        return _html(args.suggested_status_code, page)

    with bolt_env_hidden():  # only what is passed here (handlers/bolt_env.py)
        oauth = OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=list(scopes),
            install_page_rendering_enabled=False,  # GET /slack/install redirects to Slack at once
            authorization_url=settings.oauth_authorize_url,  # follows SLACK_DOMAIN (GovSlack)
            installation_store=store,
            installation_store_bot_only=True,
            state_store=states,
            state_expiration_seconds=STATE_EXPIRES,
            callback_options=CallbackOptions(success=success, failure=failure),
            logger=log,
        )
        app = App(
            client=client,
            signing_secret=settings.slack_signing_secret or "",
            oauth_flow=OrgAdminInstallFlow(client=client, settings=oauth),
            # Bolt's hint says Callable[..., AuthorizeResult]; its own Authorize classes are accepted.
            authorize=cast(Callable[..., AuthorizeResult], store_authorize(store)),
            token_verification_enabled=False,
            process_before_response=True,
            user_facing_authorize_error_message=replies.not_installed().text,
            name="inquirybot-install",
        )
    app.enable_token_revocation_listeners()  # app_uninstalled, tokens_revoked: delete from `store`
    verify(app)
    return app


def _html(status: int, page: str) -> BoltResponse:
    return BoltResponse(status=status, body=page, headers={"Content-Type": "text/html; charset=utf-8"})
