"""Every kind of message and view the served app sends, checked against the accessibility rules
(tests/a11y.py): each subcommand's reply, the refusals, the DMs and channel posts the outbox
delivers, the modals buttons open, the App Home tab, and the report with its people lines."""

from __future__ import annotations

from datetime import timedelta

from bot.lifecycle.outcome_job import decide_fallen
from bot.rendering import modals as f
from bot.rendering.actions import Action, View
from tests.a11y import message_problems, problems_in_blocks, view_problems
from tests.slack.helpers import know_zone

SCRIPT = [
    ("U1", "help"),
    ("U1", "log email Export license status; from Jane Doe; assign <@U2|bob>"),
    ("U1", "log phone Tariff classification dispute; complex"),
    ("U1", "log written Records request; received Monday 9am"),  # overdue at once
    ("U1", "list"),
    ("U1", "list team"),
    ("U1", "list overdue"),
    ("U1", "show INQ-1"),
    ("U1", "explain INQ-3"),
    ("U2", "ack INQ-1 expect Friday 5pm; called her back"),
    ("U2", "update INQ-1 waiting on the program office"),
    ("U1", "snooze INQ-3 2h"),
    ("U1", "escalate INQ-3 needs legal"),
    ("U3", "reassign INQ-2 <@U1|alice>"),
    ("U2", "resolve INQ-1 sent the status"),
    ("U1", "feedback INQ-1 4 quick and clear"),
    ("U1", "away tomorrow 9am to Friday 5pm alternate <@U2|bob>"),
    ("U1", "back"),
    ("U1", "report me"),
    ("S1", "report team"),
    ("S1", "report team last week"),
    ("U1", "report team"),  # refused: not a supervisor
    ("U1", "log"),  # malformed
    ("U1", "ack INQ-99"),  # no such item
    ("U1", "frobnicate"),
]


def test_every_message_and_view_the_app_sends_keeps_the_rules(slack, web, served, deliver, clock):
    for user in ("U1", "U2", "U3", "S1"):
        know_zone(slack, web, user)
    problems: list[str] = []
    acks = 0
    for user, text in SCRIPT:
        reply = slack.command(text, user=user)
        assert reply.status == 200, text
        if reply.body.strip():
            problems += message_problems(reply.json(), f"ack of {text!r}")
            acks += 1
        served.settle()
        deliver()
    # Buttons: the forms they open, on a live card and in App Home.
    for action, value, user in (
        (Action.ACKNOWLEDGE, 2, "U1"),
        (Action.RESOLVE, 2, "U1"),
        (Action.REASSIGN, 2, "U1"),
        (Action.RATE, 1, "S1"),  # Bob answered INQ-1: a rating of it is his supervisor's to enter
        (Action.POST_UPDATE, 3, "U1"),
    ):
        slack.click(action, value, user=user)
    for action, value in ((Action.OPEN_NEW, "new"), (Action.SET_AWAY, "away")):
        slack.click(action, value, user="U1", home=True)
    slack.message_shortcut("Hi, what is the status of my export license?")
    slack.event(
        {
            "type": "app_home_opened",
            "user": "U1",
            "channel": "DU1",
            "tab": "home",
            "event_ts": "1772636400.000100",
        },
        event_id="Ev1",
    )
    slack.event(
        {
            "type": "app_home_opened",
            "user": "S1",
            "channel": "DS1",
            "tab": "home",
            "event_ts": "1772636400.000200",
        },
        event_id="Ev2",
    )
    served.settle()
    clock.advance(timedelta(minutes=5))
    deliver()

    seen = 0
    for method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"):
        for params in web.calls_to(method):
            problems += message_problems(params, method)
            seen += 1
    views = 0
    for method in ("views.open", "views.update", "views.publish"):
        for params in web.calls_to(method):
            problems += view_problems(params["view"], f"{method} {params['view'].get('callback_id', '')}")
            views += 1
    assert problems == []
    assert acks + seen >= 30 and views >= 7, (acks, seen, views)
    callbacks = {p["view"].get("callback_id") for p in web.calls_to("views.open")}
    assert len(callbacks) >= 6, callbacks  # ack, resolve, reassign, rate, update, new, away forms


def _home(slack, served, user: str, n: int) -> None:
    slack.event(
        {"type": "app_home_opened", "user": user, "channel": "D0", "tab": "home", "event_ts": f"1.{n}"},
        event_id=f"EvA11Y{user}{n}",
    )
    served.settle()


def test_the_dispute_and_decide_forms_their_errors_and_the_decisions_keep_the_rules(
    slack, web, served, deliver, clock, runtime
):
    """The outcome forms the first test does not reach: App Home's missed deadlines with their
    Dispute buttons, the Dispute form, a supervisor's open disputes with Uphold and Void, the Decide
    form for each, what each form says when its reason is left empty, and the DMs that follow."""
    for user in ("U1", "S1"):
        know_zone(slack, web, user)
    slack.command("log email Export license status", user="U1")
    slack.command("ack INQ-1 expect tomorrow 3pm", user="U1")
    clock.advance(timedelta(days=2))  # the promise passed unresolved, no update: two misses
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2
    _home(slack, served, "U1", 1)
    errors: list[dict] = []
    for n, value in enumerate(("1:resolution", "1:status_update")):
        slack.click(Action.DISPUTE, value, user="U1", home=True)
        form = web.wait_for("views.open", count=n + 1)[-1]["view"]
        assert form["callback_id"] == View.DISPUTE
        empty = {f.DISPUTE_REASON: {"type": "plain_text_input", "value": " "}}
        errors.append(slack.submit(form, empty, user="U1").json())
        reason = {f.DISPUTE_REASON: {"type": "plain_text_input", "value": "She asked us to wait"}}
        assert slack.submit(form, reason, user="U1").status == 200
        served.settle()
    _home(slack, served, "S1", 2)
    for n, (action, value) in enumerate(((Action.UPHOLD, "1:resolution"), (Action.VOID, "1:status_update"))):
        slack.click(action, value, user="S1", home=True)
        form = web.wait_for("views.open", count=3 + n)[-1]["view"]
        assert form["callback_id"] == View.DECIDE
        empty = {f.DECISION_REASON: {"type": "plain_text_input", "value": " "}}
        errors.append(slack.submit(form, empty, user="S1").json())
        why = {f.DECISION_REASON: {"type": "plain_text_input", "value": "Her email asks us to wait"}}
        assert slack.submit(form, why, user="S1").status == 200
        served.settle()
    _home(slack, served, "U1", 3)
    clock.advance(timedelta(minutes=5))
    deliver()

    problems: list[str] = []
    for method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"):
        for params in web.calls_to(method):
            problems += message_problems(params, method)
    views = [p["view"] for m in ("views.open", "views.update", "views.publish") for p in web.calls_to(m)]
    for view in views:
        problems += view_problems(view, f"view {view.get('callback_id', view.get('type'))}")
    for answer in errors:
        assert answer["response_action"] == "errors", answer
        for field, said in answer["errors"].items():
            problems += problems_in_blocks(
                [{"type": "section", "text": {"type": "plain_text", "text": said}}], field
            )
    assert problems == []
    assert {v.get("callback_id") for v in views} >= {View.DISPUTE, View.DECIDE}
    assert len(errors) == 4 and len(web.calls_to("views.publish")) >= 3
