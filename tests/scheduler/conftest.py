"""Fixtures for the scheduler tests: a team config, the Web API stand-in (inquirybot/slack_standin/, with tests/slack/faults.py),
and an `office` that runs
the real jobs (cover, reminders, digests, delivery through SlackSender to the stand-in) on a
FixedClock and records what reached Slack at which (simulated) instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.config.loading import config_from_dict
from bot.delivery.deliverer import Deliverer, DeliveryPolicy
from bot.lifecycle import InquiryDraft, InquiryService
from bot.lifecycle.bundles import live_bundle
from bot.lifecycle.cards import live_cards
from bot.lifecycle.holders import to_holders
from bot.scheduling.jobs import SCHEDULING_JOBS, JobContext, run_job
from bot.time.clock import FixedClock
from handlers.sender import SlackSender
from storage.models import Inquiry, OutboxMessage
from tests.slack.faults import FaultyWebApi

ET = ZoneInfo("America/New_York")
ALICE, BOB, CAROL, SUE, SPEC = "UALICE", "UBOB", "UCAROL", "USUE", "USPEC"
ESCALATIONS, TEAM_CHANNEL = "CESC", "CTEAM"


def et(*args: int) -> datetime:
    return datetime(*args, tzinfo=ET)


def team_config(**team_overrides):
    team = {
        "members": [ALICE, BOB, CAROL],
        "supervisors": [SUE],
        "specialists": [SPEC],
        "channel": TEAM_CHANNEL,
        "escalation_channel": ESCALATIONS,
        "digest": {"enabled": False},
    }
    team.update(team_overrides)
    return config_from_dict({"admins": ["UADMIN"], "teams": {"help": team}})


@dataclass
class Sent:
    at: datetime  # the simulated instant the deliverer posted it
    channel: str  # as posted: D… for a DM to U…
    text: str
    key: str
    blocks: list | None

    @property
    def user(self) -> str:
        return (
            self.channel[1:] if self.channel.startswith("D") else self.channel
        )  # the stand-in's DMs: D<user>


class Office:
    def __init__(self, sessions, config, clock: FixedClock, stand_in: FaultyWebApi):
        self.sessions, self.config, self.clock, self.stand_in = sessions, config, clock, stand_in
        self.service = InquiryService(sessions, config, clock)
        deliverer = Deliverer(
            sessions,
            config,
            clock,
            SlackSender("xoxb-test", stand_in.url),
            policy=DeliveryPolicy(pace=1.0),
            sleep=lambda s: None,
            render=live_cards,
            bundle=live_bundle,
            readdress=to_holders,
        )
        self.ctx = JobContext(sessions, config, clock, deliverer)
        self.sent: list[Sent] = []
        self._seen = 0

    def log(self, actor: str, subject: str, **draft) -> int:
        draft.setdefault("kind", "email")
        return self.service.log(actor=actor, draft=InquiryDraft(subject=subject, **draft)).id

    def tick(self) -> None:
        for name in (*SCHEDULING_JOBS, "deliver"):
            result = run_job(name, self.ctx)
            assert result.ok, result.summary
        posts = self.stand_in.calls_to("chat.postMessage")[self._seen :]
        self._seen += len(posts)
        self.sent += [
            Sent(self.clock.now(), p["channel"], p["text"], key_of(p), p.get("blocks")) for p in posts
        ]

    def walk(
        self,
        until: datetime,
        step: timedelta = timedelta(hours=1),
        closed_step: timedelta = timedelta(hours=4),
    ) -> None:
        """Tick up to `until` as the every-minute background thread would, skipping the minutes in
        which nothing can happen: every `step` while open, every `closed_step` while closed, at
        each opening, and at every instant something falls due (an inquiry's next_action_at, an
        outbox row's next attempt)."""
        calendar = self.config.team("help").calendar
        self.tick()  # what is due right now goes now
        while (now := self.clock.now()) < until:
            gap = step if calendar.is_open(now) else min(closed_step, calendar.next_opening(now) - now)
            upcoming = [t for t in self._next_events() if t > now]
            then = min([now + gap, until, *upcoming])
            self.clock.set(then)
            self.tick()

    def _next_events(self) -> list[datetime]:
        with self.sessions() as s:
            found = [
                s.scalar(
                    select(func.min(Inquiry.next_action_at)).where(Inquiry.next_action_at > self.clock.now())
                ),
                s.scalar(
                    select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == "pending")
                ),
            ]
        return [t for t in found if t is not None]

    def about(self, inquiry_id: int) -> list[Sent]:
        return [s for s in self.sent if s.key.startswith(f"inq:{inquiry_id}:")]

    def steps(self, inquiry_id: int) -> list[tuple[str, str, datetime]]:
        """(step, recipient, local delivery time) for one inquiry, in delivery order."""
        return [(s.key.split(":")[2], s.user, s.at.astimezone(ET)) for s in self.about(inquiry_id)]

    def assert_business_hours_only(self) -> None:
        calendar = self.config.team("help").calendar
        outside = [s for s in self.sent if not calendar.is_open(s.at)]
        assert outside == [], f"sent outside business hours: {outside}"


def key_of(post: dict) -> str:
    """The outbox key the sender tags every message with (Slack message metadata)."""
    return (post.get("metadata") or {}).get("event_payload", {}).get("key", "")


@pytest.fixture(scope="session")
def web_api():
    server = FaultyWebApi().start()
    yield server
    server.stop()


@pytest.fixture
def stand_in(web_api):
    web_api.reset()
    return web_api


@pytest.fixture
def make_office(sessions, stand_in):
    def make(start: datetime, config=None) -> Office:
        return Office(sessions, config or team_config(), FixedClock(start), stand_in)

    return make
