"""The shell session: the real Bolt app and handlers on an embedded database, a Web API stand-in
that shows what the bot posts, and a clock the user moves with `:time`."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from datetime import datetime, timedelta
from typing import Any

from bot.commands.dates import When, parse_when
from bot.config.settings import Settings
from bot.config.teams import Config
from bot.delivery.deliverer import DeliveryPolicy
from bot.errors import InputError
from bot.scheduling.jobs import run_all
from bot.time.clock import FixedClock
from inquirybot.bootstrap import (
    build_app,
    build_deliverer,
    build_feedback_page,
    build_jobs,
    build_runtime,
    build_sender,
    build_services,
)
from inquirybot.shell.blocks_text import buttons_of
from inquirybot.shell.customer import CustomerBrowser, FeedbackSite, Shown
from inquirybot.shell.form_desk import FormDesk
from inquirybot.shell.forms import FormFill
from inquirybot.shell.people import Directory
from inquirybot.shell.relative_time import relative_move
from inquirybot.shell.say import channel_id
from inquirybot.shell.transcript import (
    Entry,
    ack_entry,
    call_entry,
    form_entry,
    view_of,
)
from inquirybot.slack_standin.slack import SlackSim, in_process
from inquirybot.slack_standin.webapi import WebApiStandIn
from storage.migrate import upgrade
from storage.queries.inquiries import earliest_action_after

SECRET = "shell-signing-secret"
TOKEN = "xoxb-shell"
SHELL_CHANNEL = "D0SHELL"  # where the shell user types commands: a DM with the bot
MAX_STEPS = 24 * 62  # `:time` walks the clock event by event (at least hourly), at most ~a month


class SyncExecutor(Executor):
    """Runs listeners (and lazy listeners) inline, so a command's whole effect is visible when
    dispatch returns: the shell prints in the order things happened."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future


class ShellSession(FormDesk):
    def __init__(self, *, database_url: str, config: Config, start: datetime, color: bool = False):
        self.color = color
        self.clock = FixedClock(start)
        self.directory = Directory.from_config(config)
        profiles = {
            uid: {"name": name, "tz": config.team_of(uid).timezone}
            for uid, name in self.directory.users.items()
        }
        self.web = WebApiStandIn(users=profiles).start()
        # The customer's feedback page, served here; its address is the shell's public URL, so the
        # links the bot shows open (`:open`, or a browser on this machine).
        self.site = FeedbackSite()
        settings = Settings(
            database_url=database_url,
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=self.web.base_url,
            public_url=self.site.url,
        )
        self.runtime = build_runtime(settings=settings, config=config, clock=self.clock)
        upgrade(self.runtime.engine)
        # No after_change: the holder's DM goes out at the shell's next delivery (after `:rate`, or
        # the next command when the page was used from a browser), never from the page's thread.
        self.site.mount(build_feedback_page(self.runtime))
        self.browser = CustomerBrowser()
        self.feedback_link: str | None = None  # the last feedback link shown, for `:open`
        self.deliverer = build_deliverer(
            self.runtime, build_sender(self.runtime), policy=DeliveryPolicy(pace=0.0)
        )
        self.services = build_services(self.runtime)
        self.app = build_app(
            self.runtime,
            self.services,
            process_before_response=False,
            listener_executor=SyncExecutor(),
            after_change=self._deliver,
        )
        self.sim = SlackSim(in_process(self.app), self.web, self.clock, SECRET)
        members = [u for t in config.teams.values() for u in t.members] or list(self.directory.users)
        self.user = members[0]
        self.last: Entry | None = None  # the latest entry with buttons, for `:click`
        self.form: FormFill | None = None  # the form (modal) being filled in, field by field
        self.said: tuple[str, str, str, str] | None = None  # the last `:say`: channel, ts, text, author

    def close(self) -> None:
        self.site.close()
        self.web.stop()
        self.runtime.engine.dispose()

    # ---- what the user can do ------------------------------------------------------------------

    def command(self, text: str) -> list[Entry]:
        mark = len(self.web.calls)
        response = self.sim.command(
            self.directory.escape(text),
            user=self.user,
            channel=SHELL_CHANNEL,
            user_name=self.directory.name(self.user),
        )
        entries = [
            e
            for e in [
                ack_entry(
                    response.body.decode("utf-8"),
                    self.directory,
                    color=self.color,
                    viewer_channel=SHELL_CHANNEL,
                )
            ]
            if e
        ]
        return self._collect(entries, mark)

    def click(self, label: str, ref: str | None = None) -> list[Entry]:
        if self.last is None or not self.last.where:
            raise InputError("there is no message with buttons yet; log an inquiry first")
        candidates = [
            (b, el)
            for b, el in buttons_of(self.last.blocks)
            if str((el.get("text") or {}).get("text", "")).lower() == label.lower()
        ]
        if ref:
            wanted = ref.upper().removeprefix("INQ-")
            candidates = [
                (b, el)
                for b, el in candidates
                if str(el.get("value", "")).removeprefix("INQ-") == wanted
                or wanted in str(el.get("value", ""))
            ]
        if not candidates:
            labels = sorted(
                {str((el.get("text") or {}).get("text", "")) for _, el in buttons_of(self.last.blocks)}
            )
            raise InputError(f"no button “{label}” in the last message; buttons there: {', '.join(labels)}")
        block, button = candidates[0]
        mark = len(self.web.calls)
        where = self.last.where
        label = str((button.get("text") or {}).get("text", ""))
        if where["type"] == "home":
            self.sim.click(
                button["action_id"],
                button.get("value", ""),
                user=self.user,
                home=True,
                user_name=self.directory.name(self.user),
                block_id=block.get("block_id", ""),
                label=label,
                view_id=where["view_id"],
                home_blocks=where["blocks"],
            )
        else:
            message = {"type": "message", "ts": where["ts"], "blocks": where["blocks"], "text": ""}
            self.sim.click(
                button["action_id"],
                button.get("value", ""),
                user=self.user,
                message=message,
                channel=where["channel"],
                ephemeral=where["ephemeral"],
                user_name=self.directory.name(self.user),
                block_id=block.get("block_id", ""),
                label=label,
            )
        return self._collect([], mark)

    def home(self) -> list[Entry]:
        mark = len(self.web.calls)
        self.sim.home_opened(self.user)
        return self._collect([], mark)

    def say(self, where: str, text: str) -> list[Entry]:
        """Post `text` in a channel as the current user, as Slack would tell the app (a `message`
        event): the out-of-office answer for someone away who is mentioned comes back in the thread."""
        channel = channel_id(self.directory, where)
        mark = len(self.web.calls)
        ts = f"{self.sim.now()}.{len(self.web.calls) + 1:06d}"
        self.sim.event(
            {
                "type": "message",
                "channel": channel,
                "channel_type": "channel",
                "user": self.user,
                "text": self.directory.escape(text),
                "ts": ts,
                "event_ts": ts,
            }
        )
        self.said = (channel, ts, self.directory.escape(text), self.user)
        posted = Entry(
            f"#{self.directory.name(channel)} · you (@{self.directory.name(self.user)}) posted", text
        )
        return [posted, *self._collect([], mark)]

    def shortcut(self, text: str = "") -> list[Entry]:
        """The message shortcut *Log as inquiry*: on the last message posted with `:say`, or on
        `text` as a message someone sent you in the shell's DM."""
        if text:
            channel, ts, body, author = (
                SHELL_CHANNEL,
                f"{self.sim.now()}.000001",
                self.directory.escape(text),
                "U9",
            )
        elif self.said is not None:
            channel, ts, body, author = self.said
        else:
            raise InputError(":shortcut needs a message: post one with :say first, or give its text")
        mark = len(self.web.calls)
        self.sim.message_shortcut(body, user=self.user, channel=channel, ts=ts, author=author)
        return self._collect([], mark)

    def open_page(self, link: str = "") -> list[Entry]:
        """The customer opens a feedback link (the last one the bot showed, or `link`) in their browser."""
        url = link.strip("<>") or self.feedback_link
        if not url:
            raise InputError(
                ":open needs a feedback link: answer an item (/inquiry ack INQ-1) or ask for it "
                "(/inquiry link INQ-1), then :open"
            )
        shown = self.browser.open(url, offered=self.site.links)
        return self._page_entries(shown, mark=len(self.web.calls))

    def rate_page(self, text: str) -> list[Entry]:
        """The customer sends the open page's form: `<rating> [comment]`, or a comment alone. Without
        a comment the box keeps what it holds (what was sent before a correction); `-` empties it."""
        first, _, rest = text.strip().partition(" ")
        rating, typed = (first, rest.strip()) if first.isdigit() else (None, text.strip())
        comment = None if not typed else "" if typed == "-" else typed
        mark = len(self.web.calls)
        return self._page_entries(self.browser.send(rating, comment), mark=mark)

    def _page_entries(self, shown: Shown, *, mark: int) -> list[Entry]:
        heading, _, body = shown.render().partition("\n")
        return self._collect([Entry(heading, body.replace("\n  ", "\n").removeprefix("  "))], mark)

    def act_as(self, who: str) -> str:
        self.user = self.directory.resolve(who)
        return f"you are now @{self.directory.name(self.user)} ({self.user})"

    def move_time(self, phrase: str) -> tuple[str, list[tuple[datetime, list[Entry]]]]:
        tz = self.runtime.config.team_of(self.user).timezone
        target = relative_move(phrase, self.clock.now(), tz) or parse_when(
            phrase,
            field=":time",
            when=When(now=self.clock.now(), tz=tz),
            prefer="future",
            day_time="start",
            example=":time tomorrow 9am",
        )
        if target <= self.clock.now():
            raise InputError(
                f":time “{phrase}” is {self.local(target)}, not after now; the clock only moves forward"
            )
        steps: list[tuple[datetime, list[Entry]]] = []
        for _ in range(MAX_STEPS):
            moment = self._next_moment(target)
            self.clock.set(moment)
            mark = len(self.web.calls)
            self.run_scheduler()
            entries = self._collect([], mark)
            if entries:
                steps.append((moment, entries))
            if moment >= target:
                break
        else:
            self.clock.set(target)
            self.run_scheduler()
        return f"the time is now {self.local(target)}", steps

    def local(self, instant: datetime) -> str:
        tz = self.runtime.config.team_of(self.user).calendar
        return f"{instant.astimezone(tz.tz):%a %d %b %Y %H:%M %Z}"

    # ---- inner workings ------------------------------------------------------------------------

    def _next_moment(self, target: datetime) -> datetime:
        """The next instant the scheduler would act: an inquiry's next action, a message falling due
        (quiet hours end, a retry), or the top of the hour (digests), whichever is first."""
        now = self.clock.now()
        candidates: list[datetime | None] = [
            target,
            (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0),
        ]
        with self.runtime.sessions() as session:
            candidates.append(earliest_action_after(session=session, after=now))
        candidates.append(self.deliverer.next_due())
        return min(c for c in candidates if c is not None and c > now)

    def run_scheduler(self) -> None:
        """One scheduler pass at the current clock (every job, delivery included)."""
        ctx = build_jobs(self.runtime, self.deliverer)
        run_all(ctx)

    def _deliver(self) -> None:
        self.deliverer.run_once()

    def _collect(self, entries: list[Entry], mark: int) -> list[Entry]:
        self._deliver()
        for call in self.web.calls[mark:]:
            if call.method in ("views.open", "views.push"):
                opened = FormFill.of(view_of(call), str((call.answer.get("view") or {}).get("id", "")))
                if opened is not None:
                    self.form = opened
                    entries.append(form_entry(opened, self.reader(), self.directory, color=self.color))
                    continue
            entry = call_entry(call, self.directory, color=self.color, last_ephemeral_channel=SHELL_CHANNEL)
            if entry:
                entries.append(entry)
        for entry in entries:
            if entry.has_buttons():
                self.last = entry
            links = self.site.links_in(entry.body)
            if links and not entry.heading.startswith("[customer's browser]"):
                self.feedback_link = links[-1]
        return entries
