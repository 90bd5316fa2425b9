"""App Home: published when the user opens the Home tab, and again after they act on a card there."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.errors import InquiryBotError
from bot.rendering.home import TeamSection, home_view
from bot.rendering.report import home_line
from bot.reports.build import Report
from handlers.context import Deps
from handlers.slack_calls import CALL_FAILED

log = logging.getLogger("inquirybot.handlers.home")


class HomeListeners:
    def __init__(self, deps: Deps):
        self.deps = deps

    def register(self, app: App) -> None:
        app.event("app_home_opened")(self.opened)

    def opened(self, event: dict, client: WebClient) -> None:
        user_id = event.get("user")
        if event.get("tab", "home") != "home" or not user_id:
            return
        self.deps.later(lambda: self.refresh(client, user_id))

    def refresh(self, client: WebClient, user_id: str) -> None:
        """After the acknowledgement, so asking Slack for the zone costs the user nothing."""
        if not self.deps.zones.lookup(user_id)[0]:
            self.deps.zones.learn(client, user_id)
        self.publish(client, user_id)

    def view(self, user_id: str) -> dict[str, Any]:
        service, config = self.deps.service, self.deps.runtime.config
        team = config.team_of(user_id)
        teams = []
        if config.supervises(user_id, team.name):
            teams.append(TeamSection(team.name, service.list(actor=user_id, scope="team")))
        mine = service.list(actor=user_id, scope="mine")
        if self.deps.feedback_links is not None:
            mine = self.deps.feedback_links.shown(mine, user_id)
        disputable, disputes = self.outcomes(user_id)
        mine_now = self.on_time(user_id)
        return home_view(
            user_id=user_id,
            tz=self.deps.zones.zone_for(user_id),
            mine=mine,
            on_time=home_line(mine_now) if mine_now else None,
            period=mine_now.period.label if mine_now else None,
            away=service.active_absence(user_id),
            teams=teams,
            disputable=disputable,
            disputes=disputes,
        )

    def outcomes(self, user_id: str) -> tuple[list, list]:
        """My missed outcomes this period (to dispute), and the open disputes I decide."""
        try:
            period = self.deps.reports.period("person", user_id, None)
            start, end = period.bounds(self.deps.runtime.config.team_of(user_id).calendar.tz)
            disputes = self.deps.disputes
            return disputes.disputable(actor=user_id, start=start, end=end), disputes.open_for(actor=user_id)
        except Exception:  # never blank the whole Home tab
            log.exception("outcomes for App Home of %s failed", user_id)
            return [], []

    def publish(self, client: WebClient, user_id: str) -> None:
        try:
            client.views_publish(user_id=user_id, view=self.view(user_id))
        except CALL_FAILED as exc:  # Slack refused it, or did not answer (a timeout)
            log.warning("could not publish App Home for %s: %s", user_id, exc)
        except InquiryBotError as exc:
            log.warning("could not publish App Home for %s: %s", user_id, exc)

    def on_time(self, user_id: str) -> Report | None:
        """This rating period's counts (bot.reports), as `/inquiry report me` gives them."""
        try:
            return self.deps.reports.on_time(actor=user_id)
        except Exception:  # a report problem must not blank the whole Home tab
            log.exception("on-time summary for %s failed", user_id)
            return None
