"""Bolt's apps built from our settings only, never from Slack variables Bolt reads by itself.

slack_bolt's `App` and `OAuthSettings` look in os.environ for what they are not given
(slack_bolt/app/app.py, oauth/oauth_settings.py), and some of it cannot be turned off by argument:
- SLACK_CLIENT_ID with SLACK_CLIENT_SECRET make every App (one workspace's, and each installation's)
  attach a default OAuth flow with a file-based installation store under ~/: one workspace's app then
  dropped its bot token and authorized from that empty store (`inquirybot shell` with the two set
  stopped with a traceback), and each installation's app had a second, file-based store;
- SLACK_BOT_TOKEN, read although our WebClient carries the token, made Bolt log at every start
  "As you gave `client` as well, `token` will be unused." — the token is used, by that client;
- SLACK_USER_SCOPES, SLACK_REDIRECT_URI, SLACK_INSTALL_PATH, … changed the install app's OAuth
  flow (user scopes asked of every installer) behind the settings we validate.

Our settings are read once, by bot/config/settings.py. Every Bolt app and OAuth flow is built inside
`bolt_env_hidden()`, which takes those names out of os.environ for the construction and puts them
back. Nothing else reads them after start-up; the lock keeps two constructions (tenants are built
as installations arrive, on request threads) from restoring each other's view.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Every name slack_bolt's App, OAuthSettings and OAuthFlow read from os.environ (slack_bolt 1.x).
BOLT_READS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_VERIFICATION_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_SCOPES",
    "SLACK_USER_SCOPES",
    "SLACK_REDIRECT_URI",
    "SLACK_INSTALL_PATH",
    "SLACK_REDIRECT_URI_PATH",
)
_constructing = threading.Lock()


@contextmanager
def bolt_env_hidden() -> Iterator[None]:
    with _constructing:
        kept = {name: os.environ.pop(name) for name in BOLT_READS if name in os.environ}
        try:
            yield
        finally:
            os.environ.update(kept)
