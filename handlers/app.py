"""The Bolt app factory: one App per process, every listener registered from its own module.

Nothing runs at import time. The app's WebClient points at SLACK_API_URL and retries a 429 whose
Retry-After is short (a few seconds in all: it runs in listener threads);
request signatures are checked against the runtime's clock (the one injected clock, bot/time/clock.py), with
Slack's 5-minute replay window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import cast

from slack_bolt import App, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.middleware.request_verification import RequestVerification
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.signature import Clock as EpochClock
from slack_sdk.signature import SignatureVerifier

from bot.commands import warm_up
from bot.config.runtime import Runtime
from bot.customer_feedback import FeedbackLinks
from bot.errors import ConfigError, is_database_busy
from bot.lifecycle import InquiryService
from bot.lifecycle.disputes import DisputeService
from bot.lifecycle.replan import ClosureService
from bot.rendering import replies
from bot.replays import Receipts
from bot.reports.service import ReportService
from bot.time.clock import Clock
from handlers.actions import ActionListeners
from handlers.bolt_env import bolt_env_hidden
from handlers.commands import CommandListeners
from handlers.context import Deps
from handlers.events import EventListeners
from handlers.home import HomeListeners
from handlers.replays import DropReplays
from handlers.shortcuts import ShortcutListeners
from handlers.slack_calls import BriefRateLimitRetry, quiet_transport_noise
from handlers.views import ViewListeners
from handlers.workflow import StepUnanswered, WorkflowListeners
from handlers.workspace import Home, SameWorkspace, learned_home
from handlers.zones import Zones

log = logging.getLogger("inquirybot.handlers")


def make_client(runtime: Runtime, *, timeout: int = 10) -> WebClient:
    """The app's WebClient. Installed through OAuth it has no token of its own: Bolt gives each
    request a client with its installation's token (handlers/oauth.py)."""
    settings = runtime.settings
    if not settings.slack_bot_token and not settings.oauth:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set; set it to the app's bot token (xoxb-…) from the Slack app page"
        )
    quiet_transport_noise()  # a failed request is reported once, by whoever catches it
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        # A 429 is retried only while its Retry-After is short: listener threads must not sleep
        # minutes (handlers/slack_calls.py); what must arrive goes through the outbox instead.
        retry_handlers=[ConnectionErrorRetryHandler(), BriefRateLimitRetry()],
    )


def create_app(
    runtime: Runtime,
    *,
    service: InquiryService,
    reports: ReportService,
    feedback_links: FeedbackLinks | None = None,
    closures: ClosureService,
    receipts: Receipts,
    disputes: DisputeService,
    client: WebClient,
    process_before_response: bool = False,
    socket_mode: bool = False,
    after_change: Callable[[], None] | None = None,
    listener_executor: Executor | None = None,
    authorize: Authorize | None = None,
    home: Home | None = None,
) -> App:
    """The whole Slack app, on the services the composition root built (inquirybot/bootstrap.py).
    `after_change` is called after anything that may have queued outbox
    messages (serve/socket pass the scheduler's wake so DMs go out at once). `authorize`: where
    each request's token comes from when installed through OAuth (handlers/oauth.py), and `home`
    the installation's workspace or org; with one bot token, the token's own (handlers/workspace.py)."""
    if authorize is not None and home is None:
        raise ValueError("an app authorized per installation needs its installation's workspace or org")
    secret = runtime.settings.slack_signing_secret
    if not socket_mode and not secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set; copy it from the Slack app's Basic Information page"
        )
    executor = listener_executor or ThreadPoolExecutor(max_workers=16, thread_name_prefix="inquirybot")
    with bolt_env_hidden():  # only what is passed here: no OAuth flow or token from os.environ
        app = App(
            client=client,
            signing_secret=secret or "",
            # No auth.test at start-up: Bolt asks once, on the first request, and keeps the answer,
            # which also says whose record this is (handlers/workspace.py).
            token_verification_enabled=False,
            request_verification_enabled=not socket_mode,
            process_before_response=process_before_response,
            listener_executor=executor,
            authorize=cast(Callable[..., AuthorizeResult], authorize),  # Bolt accepts its Authorize classes
            name="inquirybot",
        )
    if not socket_mode:
        verify_with(app, secret or "", runtime.clock)
    deps = Deps(
        runtime, service, Zones(runtime), reports, closures, disputes, background=executor, receipts=receipts
    )
    if after_change is not None:
        deps.after_change = after_change
    deps.feedback_links = feedback_links
    # Another workspace's request reaches nothing, not even the replay claims (docs/federal.md).
    app.use(SameWorkspace(learned_home(app) if home is None else lambda: home, deps.later, runtime.settings))
    app.use(DropReplays(deps))  # after signature verification: a forged request claims nothing
    home_tab = HomeListeners(deps)
    # Bolt tries listeners in registration order; /inquiry, the busiest, is tried first (a request
    # matches one kind only, so the order changes nothing else).
    for listeners in (
        CommandListeners(deps),
        EventListeners(deps),
        ActionListeners(deps, home_tab),
        ViewListeners(deps, home_tab),
        ShortcutListeners(deps),
        home_tab,
        WorkflowListeners(deps),
    ):
        listeners.register(app)
    app.error(_log_error)
    warm_up()  # dateparser's first parse loads its data (~0.3 s): not on a user's request
    return app


def _log_error(error: Exception, body: dict) -> BoltResponse | None:
    if is_database_busy(error):  # before any listener could answer: tell the user, store nothing
        log.warning("database busy for a %s request: %s", body.get("type") or body.get("command"), error)
        return BoltResponse(
            status=200,
            body={"response_type": "ephemeral", "text": replies.busy().text},
            headers={"content-type": "application/json;charset=utf-8"},
        )
    if isinstance(error, StepUnanswered):  # Bolt answers 500: Slack delivers the step again
        log.warning("%s", error)
        return None
    log.error("unhandled error for a %s request", body.get("type") or body.get("command"), exc_info=error)
    return None


class _ClockAdapter(EpochClock):
    """slack_sdk's verifier asks for epoch seconds."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock.now().timestamp()


class ClockedRequestVerification(RequestVerification):
    def __init__(self, signing_secret: str, clock: Clock):
        super().__init__(signing_secret)
        self._verifier = SignatureVerifier(signing_secret=signing_secret, clock=_ClockAdapter(clock))


def verify_with(app: App, secret: str, clock: Clock) -> None:
    """Swap Bolt's verifier (which reads time.time()) for one on our clock, in the same position:
    before authorization and url_verification, so an unsigned request reaches nothing."""
    middleware = app._middleware_list  # noqa: SLF001 - Bolt offers no public hook for the verifier's clock
    for i, item in enumerate(middleware):
        if isinstance(item, RequestVerification):
            middleware[i] = ClockedRequestVerification(secret, clock)
            return
    raise RuntimeError("Bolt's request verification middleware was not found")
