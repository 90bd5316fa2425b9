"""Every reply the shell's demo tour produces (inquirybot/shell/demo.py TOUR), and every modal it
opens, kept to the accessibility rules (tests/a11y.py): the shell runs the real app, so what it
shows is what Slack would be sent."""

from __future__ import annotations

import io
import json
import tomllib
from datetime import datetime

from bot.config.loading import config_from_dict
from inquirybot.cli.shell import DEMO_CONFIG
from inquirybot.shell.demo import TOUR, load_demo
from inquirybot.shell.driver import ShellSession
from inquirybot.shell.repl import Repl
from tests.a11y import message_problems, view_problems
from tests.test_shell import MONDAY_2PM
from tests.test_shell_tour import ANSWERS


def test_every_reply_and_form_of_the_demo_tour_keeps_the_accessibility_rules(tmp_path):
    config = config_from_dict(tomllib.loads(DEMO_CONFIG.read_text()))
    session = ShellSession(
        database_url=f"sqlite:///{tmp_path}/shell.db", config=config, start=datetime.fromisoformat(MONDAY_2PM)
    )
    acks: list[tuple[str, str]] = []  # what the app answered on the request itself
    dispatch = session.sim.send

    def recording(body: bytes, headers: dict[str, str]):  # the in-process transport, answers kept
        response = dispatch(body, headers)
        acks.append((body.decode("utf-8")[:80], response.body.decode("utf-8")))
        return response

    session.sim.send = recording
    try:
        load_demo(session)
        mark = len(session.web.calls)
        repl = Repl(session, out=io.StringIO())
        for command, _ in TOUR:
            for line in (command, *ANSWERS.get(command, ())):
                assert repl.handle(line), line
        calls = session.web.calls[mark:]
    finally:
        session.close()

    problems: list[str] = []
    messages = views = 0
    for call in calls:
        if call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"):
            problems += message_problems(call.params, call.method)
            messages += 1
        elif call.method in ("views.open", "views.push", "views.update", "views.publish"):
            view = call.params["view"]
            view = json.loads(view) if isinstance(view, str) else view
            problems += view_problems(view, f"{call.method} {view.get('callback_id', '')}")
            views += 1
    for where, body in acks:
        if body.strip().startswith("{"):
            answer = json.loads(body)
            if "text" in answer or "blocks" in answer:
                problems += message_problems(answer, f"ack {where}")
                messages += 1
            if isinstance(answer.get("view"), dict):
                problems += view_problems(answer["view"], f"ack {where}")
                views += 1
    assert problems == []
    assert messages >= 12 and views >= 4, (messages, views)
