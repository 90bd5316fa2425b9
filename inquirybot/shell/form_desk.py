"""The shell session's forms (docs/shell.md): reading a person's answers as Slack's client would,
and sending the filled-in form to the app as a view_submission."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.commands.dates import When, parse_when
from bot.config.runtime import Runtime
from bot.errors import InputError
from bot.time.clock import FixedClock
from inquirybot.shell.blocks_text import mrkdwn
from inquirybot.shell.forms import CLOSE_OF_DAY_FIELDS, PAST_FIELDS, Field, FormFill, Reader
from inquirybot.shell.people import Directory
from inquirybot.shell.transcript import Entry, form_errors_entry
from inquirybot.slack_standin.slack import SlackSim
from inquirybot.slack_standin.webapi import WebApiStandIn


class FormDesk:
    """Mixed into ShellSession: the form being filled in and what is done with its answers."""

    clock: FixedClock
    runtime: Runtime
    directory: Directory
    sim: SlackSim
    web: WebApiStandIn
    user: str
    form: FormFill | None
    local: Callable[[datetime], str]
    _collect: Callable[[list[Entry], int], list[Entry]]

    def reader(self) -> Reader:
        team = self.runtime.config.team_of(self.user)

        def date(text: str, f: Field) -> datetime:
            return parse_when(
                text,
                field=f.label,
                when=When(now=self.clock.now(), tz=team.timezone),
                prefer="past" if f.name in PAST_FIELDS else "future",
                day_time="close" if f.name in CLOSE_OF_DAY_FIELDS else "start",
                example="Friday 5pm",
            )

        return Reader(
            user=self.directory.resolve,
            name=self.directory.name,
            date=date,
            show_date=self.local,
            show_text=lambda text: mrkdwn(text, names=self.directory.names),
        )

    def answer_form(self, text: str) -> list[Entry]:
        """One answer to the form's current field; when none is left, the form is sent."""
        form = self.form
        if form is None:
            raise InputError("no form is open")
        form.answer(text, self.reader())
        return [] if form.current is not None else self._submit(form)

    def cancel_form(self) -> str:
        form, self.form = self.form, None
        return f"form “{form.title}” closed, nothing sent" if form else "no form is open"

    def _submit(self, form: FormFill) -> list[Entry]:
        mark = len(self.web.calls)
        response = self.sim.submit(form.view, form.state(), user=self.user, view_id=form.view_id)
        answer = response.json() if response.body.strip().startswith(b"{") else {}
        action = answer.get("response_action")
        if action == "errors":
            form.ask_again(answer.get("errors") or {})
            return [form_errors_entry(form), *self._collect([], mark)]
        self.form = None
        if action in ("update", "push"):
            self.form = FormFill.of(answer.get("view") or {}, form.view_id)
        return [Entry(f"[form sent: {form.title}]", ""), *self._collect([], mark)]
