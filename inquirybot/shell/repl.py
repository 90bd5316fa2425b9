"""The shell's read-eval-print loop. On a terminal: line editing and history (readline). With piped
standard input: one command per line until end of input, so sessions can be scripted."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.errors import InquiryBotError
from bot.rendering.examples import ALIASES, USAGE
from inquirybot.shell.driver import ShellSession
from inquirybot.shell.transcript import Entry

HELP = """\
Type what you would type in Slack, e.g.
  /inquiry log email Export license status; from Jane Doe <jane@example.com>; received yesterday 3pm
  /inquiry list        /inquiry ack INQ-1 expect Friday        /inquiry report team
Shell commands:
  :as @name        act as another user (:as alone lists who is here)
  :time <when>     move the clock forward (e.g. :time tomorrow 2pm, :time in 3 hours, :time in 2 days keeps
                   the time of day) and run the scheduler: nudges, escalations, and the weekly digest
                   in the team channel (:time Monday 9:05am shows last week's); :time alone tells the time
  :say #channel <text>   post in a channel as yourself (e.g. :say #trade-team Hi @bob, can you send me the form?);
                   someone away who is mentioned answers in the thread
  :shortcut [text] the message shortcut "Log as inquiry" on your last :say message (or on text)
  :click <button> [INQ-n]   press a button in the last message that has buttons
  :home            show your App Home
  :open [link]     be the customer: open a feedback link (the last one shown, e.g. by /inquiry link INQ-1)
                   in the customer's browser; the page is served here at the shell's own address
  :rate <1-5> [comment]   send that page's form as the customer's browser would (no comment keeps the
                   box as it is, - empties it); the holder's DM follows
  :cancel          close the form being filled in, nothing sent
Forms (/inquiry alone, :shortcut, the Post update and Set away buttons, …) are filled in
field by field: Enter keeps the value in [brackets], - empties an optional field, :cancel closes
the form. The bot checks the form as in Slack; a field it refuses is shown and asked again.
Exports and the CLI report: start the shell with --database-url sqlite:///FILE, then run
  inquirybot export|report|explain with DATABASE_URL=sqlite:///FILE on the same file.
  :help            this text (also :h, :?)
  :quit            leave (also :q, :exit, or end of input)"""


class Repl:
    def __init__(self, session: ShellSession, out: TextIO = sys.stdout):
        self.session = session
        self.out = out

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            self.say(entry.render())

    def prompt(self) -> str:
        form = self.session.form
        if form is not None and form.current is not None:
            return "  " + form.question(self.session.reader())
        return f"@{self.session.directory.name(self.session.user)}> "

    def handle(self, line: str) -> bool:
        """Run one line; False when the user asked to quit."""
        line = line.strip()
        try:
            if self.session.form is not None:
                return self._fill(line)
            if not line:
                return True
            return self._handle(line)
        except InquiryBotError as exc:
            self.say(f"! {exc}")
        return True

    def _fill(self, line: str) -> bool:
        """A line while a form is open: the answer to its current field, or :cancel, :help, :quit."""
        command = line.lower()
        if command in (":quit", ":q", ":exit"):
            return False
        if command in (":help", ":h", ":?"):
            self.say(HELP)
        elif command == ":cancel":
            self.say(self.session.cancel_form())
        elif line.startswith(":"):
            self.say(f"! a form is open: answer its field, or :cancel to close it (got {line.split()[0]})")
        else:
            self.show(self.session.answer_form(line))
        return True

    def _handle(self, line: str) -> bool:
        s = self.session
        if line.startswith("/inquiry"):
            self.show(s.command(line[len("/inquiry") :].strip()))
        elif line.startswith("/"):
            self.say(f"! only /inquiry is a command here (got {line.split()[0]}); :help shows more")
        elif line.startswith(":"):
            name, _, rest = line[1:].partition(" ")
            rest = rest.strip()
            match name.lower():
                case "quit" | "q" | "exit":
                    return False
                case "help" | "h" | "?":
                    self.say(HELP)
                case "as":
                    if not rest:
                        people = ", ".join(f"@{n}" for n in s.directory.users.values())
                        self.say(f"users here: {people}")
                    else:
                        self.say(s.act_as(rest))
                case "home":
                    self.show(s.home())
                case "say":
                    where, _, text = rest.partition(" ")
                    if not where or not text.strip():
                        self.say("! :say needs a channel and a message, e.g. :say #trade-team Hi @bob")
                    else:
                        self.show(s.say(where, text.strip()))
                case "shortcut":
                    self.show(s.shortcut(rest))
                case "cancel":
                    self.say(s.cancel_form())
                case "open":
                    self.show(s.open_page(rest))
                case "rate":
                    if not rest:
                        self.say("! :rate needs a rating, e.g. :rate 5 Clear and quick, thank you")
                    else:
                        self.show(s.rate_page(rest))
                case "click":
                    if not rest:
                        self.say("! :click needs a button label, e.g. :click Acknowledge")
                    else:
                        words = shlex.split(rest) if '"' in rest else rest.split()
                        ref = (
                            words[-1]
                            if len(words) > 1 and words[-1].upper().lstrip("INQ-").isdigit()
                            else None
                        )
                        label = " ".join(words[:-1] if ref else words)
                        self.show(s.click(label, ref))
                case "time":
                    if not rest:
                        self.say(f"it is {s.local(s.clock.now())}; :time <when> moves the clock forward")
                    else:
                        summary, steps = s.move_time(rest)
                        for moment, entries in steps:
                            self.say(f"-- {s.local(moment)} --")
                            self.show(entries)
                        self.say(summary)
                case _:
                    self.say(f"! unknown shell command :{name}; try :help")
        elif line.split()[0].lower() in USAGE or line.split()[0].lower() in ALIASES:
            self.say(f"! Slack commands start with /inquiry here as in Slack: did you mean /inquiry {line}?")
        else:
            self.say("! type a Slack command such as /inquiry help, or a shell command such as :help")
        return True

    def run(self, stdin: TextIO = sys.stdin) -> int:
        interactive = stdin.isatty()
        if interactive:
            try:
                import readline  # noqa: F401 - line editing and history for input()
            except ImportError:  # pragma: no cover - not on every platform
                pass
        self.say(
            f"inquirybot shell — {self.session.local(self.session.clock.now())}. :help for help, :quit to leave."
        )
        while True:
            try:
                line = input(self.prompt()) if interactive else stdin.readline()
            except EOFError:
                break
            if not interactive:
                if line == "":
                    break
                self.say(f"{self.prompt()}{line.rstrip()}")
            if not self.handle(line):
                break
        return 0
