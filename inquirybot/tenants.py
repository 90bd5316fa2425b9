"""One tenant per installation, when inquirybot is installed through Slack's OAuth
(docs/federal.md "Org-wide and multi-workspace install"). Part of the composition root.

A tenant is everything `serve` builds for one workspace today — runtime, services, the Bolt app,
the deliverer and its scheduler — on the installation's own database (storage/tenants.py), sending
with the installation's bot token. Its key is the Enterprise org's id for an org-wide install (one
tenant for all the org's workspaces), else the workspace's team id. Tenants are built on first
use (a request, a completed install, or `serve` starting with installations already stored), and
their databases migrated then.

The installations themselves live in the main database, in slack_sdk's SQLAlchemy installation
store; the OAuth states in its state store, each state signed with SLACK_STATE_SECRET. When Slack
says an installation is gone (`app_uninstalled`, or its bot token in `tokens_revoked`), Bolt's
listeners delete it from the store (handlers/oauth.py) and `Tenants.forget` stops its tenant; its
database stays, for the record and for a re-install.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.config.runtime import Runtime
from bot.delivery.deliverer import Deliverer
from bot.scheduling.background import BackgroundScheduler
from handlers.app import verify_with
from handlers.feedback_page import FeedbackPageApp
from handlers.oauth import STATE_EXPIRES, install_app, store_authorize
from handlers.sender import SlackSender
from handlers.workspace import Home
from inquirybot.bootstrap import (
    Services,
    build_app,
    build_client,
    build_deliverer,
    build_feedback_page,
    build_jobs,
    build_services,
)
from storage.database import Engine
from storage.installations import Installed, installed
from storage.session import session_factory
from storage.tenants import drop_tenant, open_tenant, tenant_url

log = logging.getLogger("inquirybot.tenants")
PAGES = "/t/"  # /t/<key>/feedback/<token>: an installation's customer feedback page

# What /slack/install asks for: the bot scopes of manifest.yml (tests/slack/test_oauth_install.py
# keeps the two equal).
SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "users:read",
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "files:write",
)


class SignedStates(OAuthStateStore):
    """slack_sdk's SQLAlchemy state store, each state signed with SLACK_STATE_SECRET: a state row
    written into the database by anyone else is not accepted."""

    def __init__(self, secret: str, engine: Engine):
        self.inner = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRES, engine=engine, logger=log)
        self._key = secret.encode("utf-8")

    @property
    def logger(self) -> logging.Logger:
        return log

    def _sign(self, state: str) -> str:
        return hmac.new(self._key, state.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = self.inner.issue()
        return f"{state}.{self._sign(state)}"

    def consume(self, state: str) -> bool:
        raw, _, mac = (state or "").rpartition(".")
        if not raw or not hmac.compare_digest(mac, self._sign(raw)):
            return False
        return self.inner.consume(raw)


class RevocableStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy installation store, telling `revoked` when an installation's bot goes
    (Bolt's revocation listeners call `delete_bot`, alone for `tokens_revoked`, within `delete_all`
    for `app_uninstalled`). We install bot-only, so the installation's row goes with its bot: no
    revoked token stays in the database."""

    def __init__(self, *, revoked: Callable[[str | None, str | None], None], **kwargs: Any):
        super().__init__(**kwargs)
        self.revoked = revoked

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        super().delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        super().delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        self.revoked(enterprise_id, team_id)


@dataclass
class Tenant:
    installed: Installed
    runtime: Runtime  # on the installation's own database
    services: Services | None  # None, with `app`: a tenant that sends only (`tick`)
    app: App | None
    sender: SlackSender  # with the installation's bot token
    deliverer: Deliverer
    scheduler: BackgroundScheduler | None = None
    page: FeedbackPageApp | None = None  # the customers' page, at /t/<key>/feedback/<token>

    @property
    def key(self) -> str:
        return self.installed.key


@dataclass
class Tenants:
    """The tenants of one process; `pick` is the request router's look-up (handlers/routing.py)."""

    runtime: Runtime  # the main database: the installations
    with_scheduler: bool = True
    with_apps: bool = True  # False: no Bolt apps (`tick` only sends)
    listener_executor: Executor | None = None
    process_before_response: bool = True
    scheduler_options: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        settings = self.runtime.settings
        self.store = RevocableStore(
            revoked=self.forget,
            client_id=settings.slack_client_id or "",
            engine=self.runtime.engine,
            logger=log,
        )
        self.authorize = store_authorize(self.store)
        self.executor = self.listener_executor or ThreadPoolExecutor(
            max_workers=16, thread_name_prefix="inquirybot"
        )
        self._tenants: dict[str, Tenant] = {}
        self._keys: dict[tuple[str | None, str | None, bool], str] = {}
        self._forgotten: set[str] = set()  # uninstalled: their databases kept (`close(drop=True)` too)
        self._lock = threading.RLock()
        self._started = False
        self._client_id = settings.slack_client_id or ""

    # ---- Slack in ----------------------------------------------------------------------------

    def install_app(self) -> App:
        """The app of /slack/install and /slack/oauth_redirect (handlers/oauth.py)."""
        settings = self.runtime.settings
        return install_app(
            settings,
            store=self.store,
            states=SignedStates(settings.slack_state_secret or "", self.runtime.engine),
            scopes=SCOPES,
            client=WebClient(base_url=settings.slack_api_url, timeout=10),
            installed=self.on_installed,
            verify=lambda app: verify_with(app, settings.slack_signing_secret or "", self.runtime.clock),
        )

    def pick(self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool) -> App | None:
        """The app of the installation a request comes from; None: not installed there."""
        asked = (enterprise_id, team_id, is_enterprise_install)
        key = self._keys.get(asked)
        if key is None:
            bot = self.store.find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
            )
            if bot is None:
                return None
            key = self.tenant(Installed.of(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)).key
            self._keys[asked] = key
        return self._tenants[key].app

    def on_installed(self, installation: Installation) -> None:
        """A completed install: its tenant now (database migrated, scheduler running), and a
        re-install's new token for what it sends."""
        which = Installed.of(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        tenant = self.tenant(which)
        tenant.sender.client.token = installation.bot_token
        log.info("installed for %s %s", "org" if which.is_enterprise_install else "workspace", tenant.key)

    def forget(self, enterprise_id: str | None, team_id: str | None) -> None:
        """An installation removed (uninstalled, or its bot token revoked): stop its tenant in this
        process, so nothing more goes out with that token. Its database is kept (its items and
        outcomes are the record); a re-install builds a new tenant on it."""
        key = team_id or enterprise_id or ""  # an org-wide install's events carry no team (Installed.key)
        with self._lock:
            tenant = self._tenants.pop(key, None)
            self._forgotten.add(key)
            for asked in [asked for asked, known in self._keys.items() if known == key]:
                del self._keys[asked]
        if tenant is None:
            return
        tenant.sender.client.token = None  # nothing is sent with the revoked token, even in flight
        log.info("uninstalled from %s: its tenant stopped, its database kept", key)

        def stop() -> None:  # the scheduler finishes the pass in flight; Slack's event is answered now
            if tenant.scheduler is not None:
                tenant.scheduler.stop()
            tenant.runtime.engine.dispose()

        if tenant.scheduler is not None and self._started:
            threading.Thread(target=stop, name=f"inquirybot-uninstall-{key}", daemon=True).start()
        else:
            tenant.runtime.engine.dispose()

    def pages(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """/t/<key>/feedback/<token>: the customer's page of that installation (WSGI). Only a stored
        installation's: a made-up key opens no database."""
        key, _, rest = str(environ.get("PATH_INFO") or "").removeprefix(PAGES).partition("/")
        tenant = self._tenants.get(key) or next(
            (self.tenant(w) for w in installed(self.runtime.engine, self._client_id) if w.key == key), None
        )
        if tenant is None or tenant.page is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found\n"]
        environ["SCRIPT_NAME"] = str(environ.get("SCRIPT_NAME") or "") + PAGES + key
        environ["PATH_INFO"] = "/" + rest
        return tenant.page(environ, start_response)

    # ---- the tenants -------------------------------------------------------------------------

    def tenant(self, which: Installed) -> Tenant:
        with self._lock:
            found = self._tenants.get(which.key)
            if found is None:
                found = self._tenants[which.key] = self._build(which)
                if self._started and found.scheduler is not None:
                    found.scheduler.start()
            return found

    def __iter__(self) -> Iterator[Tenant]:
        """Every stored installation's tenant (the scheduler, `tick`)."""
        for which in installed(self.runtime.engine, self._client_id):
            yield self.tenant(which)

    def _build(self, which: Installed) -> Tenant:
        main = self.runtime
        engine = open_tenant(main.engine, main.settings.database_url, which.key)
        # Its customers' links lead to its own page (pages() below).
        public = f"{main.settings.public_url}{PAGES}{which.key}" if main.settings.public_url else None
        url = tenant_url(main.settings.database_url, which.key)
        settings = replace(main.settings, database_url=url, public_url=public)
        runtime = Runtime(settings, main.config, engine, session_factory(engine), main.clock)
        bot = self.store.find_bot(
            enterprise_id=which.enterprise_id,
            team_id=which.team_id,
            is_enterprise_install=which.is_enterprise_install,
        )
        sender = SlackSender((bot.bot_token if bot else None) or "", settings.slack_api_url)
        deliverer = build_deliverer(runtime, sender)
        scheduler = (
            BackgroundScheduler(build_jobs(runtime, deliverer), **self.scheduler_options)
            if self.with_scheduler
            else None
        )
        wake = scheduler.wake if scheduler is not None else None
        services = build_services(runtime) if self.with_apps else None
        app = (
            build_app(
                runtime,
                services,
                client=build_client(runtime),
                process_before_response=self.process_before_response,
                after_change=wake,
                listener_executor=self.executor,
                authorize=self.authorize,
                home=Home.of(which.team_id, which.enterprise_id, which.is_enterprise_install),
            )
            if services is not None
            else None
        )
        page = build_feedback_page(runtime, after_change=wake) if self.with_apps else None
        log.info("tenant %s on %s", which.key, settings.database_url.split("?")[0])
        return Tenant(which, runtime, services, app, sender, deliverer, scheduler, page)

    # ---- a serving process -------------------------------------------------------------------

    def start(self) -> Tenants:
        """Build every stored installation's tenant and start their schedulers; tenants built
        later (a new install) start theirs when built."""
        list(self)
        with self._lock:
            self._started = True
            for tenant in self._tenants.values():
                if tenant.scheduler is not None:
                    tenant.scheduler.start()
        return self

    def stop(self) -> None:
        with self._lock:
            started, self._started = self._started, False
            for tenant in self._tenants.values():
                if started and tenant.scheduler is not None:  # all of them were started
                    tenant.scheduler.stop()

    def close(self, *, drop: bool = False) -> None:
        """Stop, and let go of every tenant's database (`drop`: remove them too; tests)."""
        self.stop()
        with self._lock:
            for tenant in self._tenants.values():
                tenant.runtime.engine.dispose()
            if drop:
                for key in self._forgotten.union(self._tenants):
                    drop_tenant(self.runtime.engine, self.runtime.settings.database_url, key)
            self._tenants.clear()
            self._forgotten.clear()
            self._keys.clear()
