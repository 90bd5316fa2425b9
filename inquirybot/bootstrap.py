"""The composition root: every long-lived object of a process is built here, once, and handed to
the entry points (CLI commands, serve, socket, tick, shell) that need it. Nothing below this
package builds its own config, clock, engine, services, Slack client or scheduler; it receives
them as parameters (docs/layout.md).

Build order, top to bottom: settings and config -> database and clock (Runtime) -> domain
services -> Slack sender and deliverer -> jobs and the background scheduler -> the Bolt app.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot.config.loading import load_config
from bot.config.runtime import Runtime, answering_runtime
from bot.config.settings import Settings, settings_from_env
from bot.config.teams import Config
from bot.errors import ConfigError
from bot.time.clock import Clock, SystemClock
from storage.database import DatabaseError, DatabaseUrlError, first_line, open_database
from storage.session import Engine, session_factory

# Each builder imports what it builds, so a command loads only its part of the house
# (`inquirybot db upgrade` needs neither the services nor Slack).
if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.authorization.authorize import Authorize
    from slack_sdk import WebClient

    from bot.customer_feedback import FeedbackLinks
    from bot.delivery.deliverer import Deliverer, DeliveryPolicy
    from bot.delivery.sending import Sender
    from bot.lifecycle import InquiryService
    from bot.lifecycle.disputes import DisputeService
    from bot.lifecycle.replan import ClosureService
    from bot.reports.service import ReportService
    from bot.scheduling.background import BackgroundScheduler
    from bot.scheduling.jobs import JobContext
    from handlers.feedback_page import FeedbackPageApp
    from handlers.workspace import Home


# ---- settings, config, database, clock ----------------------------------------------------------


def build_runtime(
    env: Mapping[str, str] | None = None,
    *,
    clock: Clock | None = None,
    settings: Settings | None = None,
    config: Config | None = None,
    check_database: bool = True,
) -> Runtime:
    """Settings from the environment, config from its file, the database (proved to answer), the clock."""
    settings = settings or settings_from_env(env)
    config = config or load_config(settings.config_path)
    engine = connect(settings.database_url, check=check_database)
    return Runtime(settings, config, engine, session_factory(engine), clock or SystemClock())


def connect(url: str, *, check: bool = True) -> Engine:
    try:
        return open_database(url, check=check)
    except DatabaseUrlError as exc:
        raise ConfigError(
            f"{exc}; set DATABASE_URL to sqlite:///path.db or postgresql://user@host/db"
        ) from None
    except DatabaseError as exc:
        from storage.session import normalize_url

        parsed = normalize_url(url)
        fix = (
            "check that its folder exists and is writable by the user inquirybot runs as, or fix DATABASE_URL"
            if parsed.get_backend_name() == "sqlite"
            else "start it, create the database, or fix DATABASE_URL (host, port, user, password, name)"
        )
        raise ConfigError(
            f"cannot reach the database at DATABASE_URL={parsed.render_as_string()} ({first_line(exc)}); {fix}"
        ) from None


# ---- domain services ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Services:
    """The domain services of one process, on its runtime's sessions, config and clock."""

    inquiries: InquiryService
    reports: ReportService
    feedback_links: FeedbackLinks  # the customers' feedback links (docs/customer-feedback.md)
    closures: ClosureService  # closures declared while the bot runs (docs/closures.md)
    disputes: DisputeService  # disputes of outcomes (docs/outcomes.md)


def build_services(runtime: Runtime) -> Services:
    """The services answer people (Slack requests, the shell): each unit of work waits at most
    storage's ANSWER_WAIT for the database, then says busy and stores nothing (docs/faults.md)."""
    from bot.customer_feedback import FeedbackLinks
    from bot.lifecycle.disputes import DisputeService
    from bot.reports.service import ReportService

    runtime = answering_runtime(runtime)
    return Services(
        inquiries=build_inquiries(runtime),
        reports=ReportService(runtime.sessions, runtime.config, runtime.clock),
        feedback_links=FeedbackLinks(
            runtime.sessions, runtime.config, runtime.clock, runtime.settings.public_url
        ),
        closures=build_closures(runtime),
        disputes=DisputeService(runtime.sessions, runtime.config, runtime.clock),
    )


def build_inquiries(runtime: Runtime) -> InquiryService:
    """The inquiry lifecycle on the runtime as given (the `explain` command builds only this, and
    waits for the database as a command does)."""
    from bot.lifecycle import InquiryService

    return InquiryService(
        runtime.sessions, runtime.config, runtime.clock, slack_domain=runtime.settings.slack_domain
    )


def build_closures(runtime: Runtime) -> ClosureService:
    """Declaring, cancelling and listing closures (the `closure` CLI command builds only this)."""
    from bot.lifecycle.replan import ClosureService

    return ClosureService(runtime.sessions, runtime.config, runtime.clock)


# ---- Slack out: sender, deliverer, jobs, scheduler ----------------------------------------------


def build_sender(runtime: Runtime) -> Sender:
    """The Web API sender the deliverer uses (chat.postMessage and friends, at SLACK_API_URL)."""
    from handlers.sender import sender_from_settings

    return sender_from_settings(runtime.settings)


def build_deliverer(
    runtime: Runtime,
    sender: Sender,
    *,
    policy: DeliveryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Deliverer:
    from bot.customer_feedback import FeedbackLinks
    from bot.delivery.deliverer import Deliverer, DeliveryPolicy
    from bot.lifecycle.bundles import live_bundle
    from bot.lifecycle.cards import live_cards
    from bot.lifecycle.holders import to_holders

    if policy is None and runtime.settings.delivery_lease:  # INQUIRYBOT_DELIVERY_LEASE (docs/delivery.md)
        policy = DeliveryPolicy(lease=timedelta(seconds=runtime.settings.delivery_lease))
    # Cards DMed to someone who may act on an answered item carry its customer feedback link.
    links = FeedbackLinks(runtime.sessions, runtime.config, runtime.clock, runtime.settings.public_url)
    return Deliverer(
        runtime.sessions,
        runtime.config,
        runtime.clock,
        sender,
        policy=policy,
        sleep=sleep,
        render=partial(live_cards, decorate=links.on_card),
        bundle=live_bundle,
        readdress=to_holders,
    )


def build_jobs(runtime: Runtime, deliverer: Deliverer | None, *, drain_wait: float = 0.0) -> JobContext:
    """What every named job (bot/scheduling/jobs.py) runs with; no deliverer: queue only."""
    from bot.scheduling.jobs import JobContext

    return JobContext(runtime.sessions, runtime.config, runtime.clock, deliverer, drain_wait=drain_wait)


def build_scheduler(runtime: Runtime, sender: Sender | None, **kwargs: float) -> BackgroundScheduler:
    """The background thread of serve / socket (not started). No sender: schedule, never send."""
    from bot.scheduling.background import BackgroundScheduler

    deliverer = build_deliverer(runtime, sender) if sender is not None else None
    return BackgroundScheduler(build_jobs(runtime, deliverer), **kwargs)


# ---- Slack in: the Bolt app ---------------------------------------------------------------------


def build_client(runtime: Runtime) -> WebClient:
    from handlers.app import make_client

    return make_client(runtime)


def build_app(
    runtime: Runtime,
    services: Services,
    *,
    client: WebClient | None = None,
    socket_mode: bool = False,
    process_before_response: bool = True,
    after_change: Callable[[], None] | None = None,
    listener_executor: Executor | None = None,
    authorize: Authorize | None = None,
    home: Home | None = None,
) -> App:
    """The Bolt app with every listener, on the given services (serve, socket, the shell, tests);
    `authorize`: each request's token from the installations (OAuth, inquirybot/tenants.py), and
    `home` that installation's workspace or org (else the bot token's, learned by Bolt)."""
    from bot.replays import Receipts
    from handlers.app import create_app

    # Everything a request does waits at most ANSWER_WAIT for the database (docs/faults.md).
    answering = answering_runtime(runtime)
    return create_app(
        answering,
        service=services.inquiries,
        reports=services.reports,
        closures=services.closures,
        disputes=services.disputes,
        feedback_links=services.feedback_links,
        receipts=Receipts(answering.sessions),  # the replay guard's claims (docs/record.md)
        client=client or build_client(runtime),
        socket_mode=socket_mode,
        process_before_response=process_before_response,
        after_change=after_change,
        listener_executor=listener_executor,
        authorize=authorize,
        home=home,
    )


# ---- HTTP in: the customer's feedback page -------------------------------------------------------


def build_feedback_page(
    runtime: Runtime, *, after_change: Callable[[], None] | None = None, **limits: tuple[int, timedelta]
) -> FeedbackPageApp:
    """The WSGI app `serve` mounts at /feedback/<token> (handlers/feedback_page.py); `limits`:
    per_token / per_address rate limits, (requests, window)."""
    from bot.customer_feedback import CustomerPage
    from handlers.feedback_page import FeedbackPageApp

    page = CustomerPage(runtime.sessions, runtime.config, runtime.clock, runtime.settings.office_name)
    return FeedbackPageApp(
        page, runtime.clock, public_url=runtime.settings.public_url, after_change=after_change, **limits
    )
