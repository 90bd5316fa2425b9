"""`/inquiry`: parse the text in the user's zone, call the service, reply ephemerally.

When the user's zone is cached the whole command runs before the acknowledgement and the reply
rides on it (one round trip, well under Slack's 3 s). When it is not, we acknowledge at once, ask
users.info, then run the command and answer through response_url — so relative dates are always
read in the user's own zone and users.info never sits on the acknowledgement path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.commands import model as m
from bot.commands import parse_command
from bot.commands.closure import ClosureCommand
from bot.errors import InputError
from bot.lifecycle.notices import escalation_targets
from bot.rendering import disputes as dispute_words
from bot.rendering import modals, replies
from bot.rendering.chart import with_chart_note
from bot.rendering.customer_feedback import link_reply
from bot.rendering.help import help_reply
from bot.rendering.replies import Reply
from bot.rendering.report import report_blocks, report_summary
from bot.reports.chart import queue_chart
from handlers.closures import closure_reply
from handlers.context import Deps, attempt, log, message_args, tell
from handlers.payloads import SlashCommand, mentioned_users, slash_command
from handlers.response_urls import post
from handlers.slack_calls import CALL_FAILED

MAX_LEARN = 3  # zones learned after one command, at most


class OpenNewForm(Reply):
    """Not a message: the command asked for the new-inquiry modal."""


class CommandListeners:
    def __init__(self, deps: Deps):
        self.deps = deps
        self.actions: dict[type, Callable[[Any, str, str], Reply]] = {
            m.LogCommand: self.log,
            m.ListCommand: self.list,
            m.ShowCommand: self.show,
            m.ExplainCommand: self.explain,
            m.AckCommand: self.ack,
            m.UpdateCommand: self.update,
            m.ResolveCommand: self.resolve,
            m.CloseCommand: self.close,
            m.ReassignCommand: self.reassign,
            m.EscalateCommand: self.escalate,
            m.SnoozeCommand: self.snooze,
            m.FeedbackCommand: self.feedback,
            m.AwayCommand: self.away,
            m.BackCommand: self.back,
            m.ReportCommand: self.report,
            m.HelpCommand: lambda c, user, tz: help_reply(c.topic),
            m.NewCommand: self.new,
            m.LinkCommand: self.link,
            ClosureCommand: self.closure,
            m.DisputeCommand: self.dispute,
            m.DecideDisputeCommand: self.decide_dispute,
        }

    def register(self, app: App) -> None:
        app.command("/inquiry")(self.inquiry)

    def inquiry(self, ack: Ack, body: dict, client: WebClient) -> None:
        command = slash_command(body)
        fresh, tz = self.deps.zones.lookup(command.user_id)
        if not fresh:
            ack()  # nothing shown yet; the reply follows through response_url once the zone is known
            self.deps.later(lambda: self.for_new_user(command, client))
            return
        reply = self.run(command, tz or self.deps.team_zone(command.user_id))
        if isinstance(reply, OpenNewForm):
            ack()
            self.deps.later(lambda: self.open_form(client, command, reply))
        else:
            ack(response_type="ephemeral", **message_args(reply))
            if reply.more:  # after the acknowledgement, so the parts arrive in order
                self.deps.later(lambda: self.follow_up(client, command, reply.more))
        self.finish(client, command)

    def follow_up(self, client: WebClient, command: SlashCommand, parts: tuple[Reply, ...]) -> None:
        """The further messages of a reply longer than one message holds (a long explain)."""
        for part in parts:
            self.answer(client, command, part)

    def for_new_user(self, command: SlashCommand, client: WebClient) -> None:
        tz = self.deps.zones.learn(client, command.user_id) or self.deps.team_zone(command.user_id)
        reply = self.run(command, tz)
        if isinstance(reply, OpenNewForm):
            self.open_form(client, command, reply)
        else:
            self.answer(client, command, reply)
            self.follow_up(client, command, reply.more)
        self.finish(client, command)

    def answer(self, client: WebClient, command: SlashCommand, reply: Reply) -> None:
        """Through the command's response_url when it is Slack's (handlers/response_urls.py), else
        an ephemeral note through the Web API."""
        args = message_args(reply)
        settings = self.deps.runtime.settings
        if not post(
            command.response_url, settings, response_type="ephemeral", replace_original=False, **args
        ):
            tell(self.deps, client, command.user_id, reply, channel=command.channel_id)

    def finish(self, client: WebClient, command: SlashCommand) -> None:
        """Wake the deliverer (a DM or channel post may be queued) — after learning the zones of
        people the command names, when we do not know them yet, so their DM shows their own time."""
        if any(not self.deps.zones.lookup(u)[0] for u in self.mentioned(command.text)):

            def learn_then_deliver() -> None:
                self.learn_mentioned(client, command.text)
                self.deps.changed()

            self.deps.later(learn_then_deliver)
        else:
            self.deps.changed()

    @staticmethod
    def mentioned(text: str) -> list[str]:
        return mentioned_users(text)[:MAX_LEARN]

    def learn_mentioned(self, client: WebClient, text: str) -> None:
        """Learn the zones of people the command names (a new assignee, an alternate), so the DM
        the deliverer sends them shows their own local times."""
        for user_id in self.mentioned(text):
            if not self.deps.zones.lookup(user_id)[0]:
                self.deps.zones.learn(client, user_id)

    def run(self, command: SlashCommand, tz: str) -> Reply:
        def work() -> Reply:
            parsed = parse_command(command.text, when=self.deps.when(tz))
            return self.actions[type(parsed)](parsed, command.user_id, tz)

        # Storage queues SQLite's writers (storage/session.py) and gives up after its wait with
        # DatabaseBusy, which attempt() turns into "busy, nothing was stored".
        return attempt(work, tz)

    def open_form(self, client: WebClient, command: SlashCommand, form: Reply) -> None:
        view = modals.new_inquiry_modal(
            user_id=command.user_id,
            now=self.deps.runtime.clock.now(),
            subject=form.text or None,
            metadata=json.dumps({"c": command.channel_id}),
        )
        try:
            client.views_open(trigger_id=command.trigger_id, view=view)
        except CALL_FAILED as exc:
            log.warning("views.open for /inquiry failed: %s", exc)

    # ---- one method per subcommand -----------------------------------------------------------

    def new(self, c: m.NewCommand, user: str, tz: str) -> Reply:
        return OpenNewForm(c.subject or "")

    def log(self, c: m.LogCommand, user: str, tz: str) -> Reply:
        return replies.logged(self.deps.service.log(actor=user, draft=c.draft), tz, user)

    def list(self, c: m.ListCommand, user: str, tz: str) -> Reply:
        return replies.inquiry_list(self.deps.service.list(actor=user, scope=c.scope), tz, c.scope)

    def show(self, c: m.ShowCommand, user: str, tz: str) -> Reply:
        return replies.show(
            self.deps.as_seen_by(self.deps.service.get(actor=user, inquiry_id=c.inquiry_id), user), tz
        )

    def explain(self, c: m.ExplainCommand, user: str, tz: str) -> Reply:
        view = self.deps.service.get(actor=user, inquiry_id=c.inquiry_id)  # checks the right to see it
        # The deadlines and the outcomes decided on them, as `inquirybot explain` prints them.
        return replies.explain(view.ref, tuple(self.deps.service.explain(inquiry_id=view.id)))

    def ack(self, c: m.AckCommand, user: str, tz: str) -> Reply:
        view = self.deps.service.acknowledge(
            actor=user, inquiry_id=c.inquiry_id, expect=c.expect, note=c.note
        )
        return replies.acknowledged(self.deps.as_seen_by(view, user), tz)

    def update(self, c: m.UpdateCommand, user: str, tz: str) -> Reply:
        return replies.updated(
            self.deps.service.update(actor=user, inquiry_id=c.inquiry_id, note=c.note, expect=c.expect), tz
        )

    def resolve(self, c: m.ResolveCommand, user: str, tz: str) -> Reply:
        view = self.deps.service.resolve(actor=user, inquiry_id=c.inquiry_id, note=c.note)
        return replies.resolved(self.deps.as_seen_by(view, user), tz)

    def close(self, c: m.CloseCommand, user: str, tz: str) -> Reply:
        return replies.closed(
            self.deps.service.close(
                actor=user, inquiry_id=c.inquiry_id, reason=c.reason, note=c.note, original=c.original
            ),
            tz,
            c.original,
        )

    def reassign(self, c: m.ReassignCommand, user: str, tz: str) -> Reply:
        return replies.reassigned(
            self.deps.service.reassign(actor=user, inquiry_id=c.inquiry_id, to=c.to), tz
        )

    def escalate(self, c: m.EscalateCommand, user: str, tz: str) -> Reply:
        view = self.deps.service.escalate(actor=user, inquiry_id=c.inquiry_id, reason=c.reason)
        to = escalation_targets(self.deps.runtime.config.team_or_default(view.team), user)
        return replies.escalated(view, tz, to)

    def snooze(self, c: m.SnoozeCommand, user: str, tz: str) -> Reply:
        return replies.snoozed(
            self.deps.service.snooze(actor=user, inquiry_id=c.inquiry_id, duration=c.duration), tz
        )

    def feedback(self, c: m.FeedbackCommand, user: str, tz: str) -> Reply:
        view = self.deps.service.feedback(
            actor=user, inquiry_id=c.inquiry_id, score=c.score, comment=c.comment
        )
        return replies.feedback(view, c.score, tz)

    def away(self, c: m.AwayCommand, user: str, tz: str) -> Reply:
        absence = self.deps.service.away(actor=user, start=c.start, end=c.end, alternate=c.alternate)
        return replies.away(absence, tz)

    def back(self, c: m.BackCommand, user: str, tz: str) -> Reply:
        return replies.back(self.deps.service.back(actor=user), tz)

    def link(self, c: m.LinkCommand, user: str, tz: str) -> Reply:
        links = self.deps.feedback_links
        if links is None:  # an app built without the customers' page (docs/customer-feedback.md)
            raise InputError(replies.NO_FEEDBACK_PAGE)
        return link_reply(links.link_for(actor=user, inquiry_id=c.inquiry_id), tz)

    def dispute(self, c: m.DisputeCommand, user: str, tz: str) -> Reply:
        view = self.deps.disputes.dispute(actor=user, inquiry_id=c.inquiry_id, reason=c.reason, kind=c.kind)
        return dispute_words.disputed(view, tz)

    def decide_dispute(self, c: m.DecideDisputeCommand, user: str, tz: str) -> Reply:
        view = self.deps.disputes.decide(
            actor=user, inquiry_id=c.inquiry_id, decision=c.decision, reason=c.reason, kind=c.kind
        )
        return dispute_words.decided(view, tz)

    def report(self, c: m.ReportCommand, user: str, tz: str) -> Reply:
        # Refused or malformed requests raise Forbidden / InputError: one line with an example.
        report = self.deps.reports.report(actor=user, subject=c.scope or "me", period_text=c.period or None)
        blocks = report_blocks(report, tz)
        if report.kind == "team":
            # The chart goes to the asker as a DM, drawn after the reply so the drawing never holds it
            # up (docs/federal.md, "Charts").
            runtime = self.deps.runtime

            def send_chart() -> None:
                if queue_chart(runtime.sessions, runtime.config, runtime.clock, user, report):
                    self.deps.changed()

            self.deps.later(send_chart)
            blocks = with_chart_note(blocks)
        return Reply(report_summary(report), blocks)

    def closure(self, c: ClosureCommand, user: str, tz: str) -> Reply:
        return closure_reply(self.deps, c, user, tz)
