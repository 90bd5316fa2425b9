"""A whole serving process (what `serve` and `socket` run): the app and the scheduler beside it, or,
installed through OAuth, one tenant per installation (inquirybot/tenants.py). Built from the
composition root's parts (inquirybot/bootstrap.py); its own module so that the root and the tenants,
which build on the root, never import each other."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config.runtime import Runtime
from inquirybot.bootstrap import (
    Services,
    build_app,
    build_feedback_page,
    build_scheduler,
    build_sender,
    build_services,
)

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.scheduling.background import BackgroundScheduler
    from handlers.feedback_page import FeedbackPageApp
    from inquirybot.tenants import Tenants


@dataclass
class Process:
    """What `serve` and `socket` run: the app, and the scheduler beside it (None: `--no-scheduler`)."""

    runtime: Runtime
    services: Services | None  # None: installed through OAuth (each tenant has its own)
    app: App
    scheduler: BackgroundScheduler | None
    feedback_page: FeedbackPageApp | None = None  # served over HTTP only (not in Socket Mode)
    # Installed through OAuth: `app` is the install app, each installation a tenant of its own,
    # and the router hands each request to its tenant's app (inquirybot/tenants.py).
    tenants: Tenants | None = None
    router: Callable | None = None

    def start(self) -> Process:
        if self.scheduler is not None:
            self.scheduler.start()
        if self.tenants is not None:
            self.tenants.start()
        return self

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.tenants is not None:
            self.tenants.stop()


def build_installed_process(
    runtime: Runtime,
    *,
    with_scheduler: bool = True,
    listener_executor: Executor | None = None,
    scheduler_options: dict[str, float] | None = None,
) -> Process:
    """`serve` with SLACK_CLIENT_ID/SECRET/STATE_SECRET: OAuth installs, one tenant per installation."""
    from handlers.routing import InstallationRouter
    from inquirybot.tenants import Tenants

    tenants = Tenants(
        runtime,
        with_scheduler=with_scheduler,
        listener_executor=listener_executor,
        scheduler_options=scheduler_options or {},
    )
    front = tenants.install_app()
    router = InstallationRouter(front, tenants.pick, path="/slack/events")
    return Process(runtime, None, front, None, None, tenants=tenants, router=router)


def build_process(runtime: Runtime, *, socket_mode: bool, with_scheduler: bool = True) -> Process:
    if runtime.settings.oauth and not socket_mode:
        return build_installed_process(runtime, with_scheduler=with_scheduler)
    scheduler = build_scheduler(runtime, build_sender(runtime)) if with_scheduler else None
    services = build_services(runtime)
    wake = scheduler.wake if scheduler is not None else None
    app = build_app(runtime, services, socket_mode=socket_mode, after_change=wake)
    page = None if socket_mode else build_feedback_page(runtime, after_change=wake)
    return Process(runtime, services, app, scheduler, page)
