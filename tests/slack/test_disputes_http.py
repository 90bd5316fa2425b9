"""Outcomes over real HTTP (docs/outcomes.md): an on-time acknowledgement counts at once; a missed
deadline disputed by its holder and voided by the supervisor leaves the rates and stays in the
evidence; every bad dispute says why, ephemerally, and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.lifecycle.outcome_job import decide_fallen
from bot.rendering import modals as f
from bot.rendering.actions import Action, View
from storage.models import Outcome, OutcomeDispute
from tests.slack.helpers import know_zone, text_of


@pytest.fixture
def people(slack, web):
    for user in ("U1", "U2", "S1"):
        know_zone(slack, web, user)
    return slack


def stored(runtime) -> tuple[int, int]:
    with runtime.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(Outcome)),
            s.scalar(select(func.count()).select_from(OutcomeDispute)),
        )


def test_an_on_time_acknowledgement_counts_at_once(people):
    people.command("log email Records request")
    assert "0/0" in people.command("report me").text or "No rating" in people.command("report me").text
    people.command("ack INQ-1")
    assert people.command("report me").text.startswith("Report for <@U1>")
    assert "on time 100%, 1 of 1" in people.command("report me").text


def test_dispute_voided_by_the_supervisor_never_by_the_employee(people, runtime, clock, web, deliver):
    people.command("log email Export license status")  # Wed 10:00, due Thu 17:00
    clock.set(clock.now() + timedelta(days=2))  # Fri 10:00: missed at Thu 17:00
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 1
    assert "on time 0%, 0 of 1" in people.command("report me").text

    before = stored(runtime)
    refusals = {
        ("U2", "dispute INQ-1 not fair"): "is not yours (it belongs to <@U1>)",
        ("U1", "dispute INQ-1"): "dispute needs a reason",
        ("U1", "dispute INQ-99 the form was lost"): "no inquiry INQ-99",
        ("S1", "void INQ-1 the call log shows it"): "INQ-1 has no open dispute to void",
    }
    for (user, text), why in refusals.items():
        reply = people.command(text, user=user)
        assert reply.status == 200 and why in reply.text, (text, reply.text)
        assert reply.json().get("response_type", "ephemeral") == "ephemeral"
    assert stored(runtime) == before

    opened = people.command("dispute INQ-1 I answered by phone on Thursday; the customer confirms", user="U1")
    assert opened.text.startswith(":speech_balloon: You disputed the *INQ-1* first-response outcome (missed")
    assert (
        "A supervisor of your team decides (<@S1> was asked); the outcome counts as it stands" in opened.text
    )
    deliver()
    [dm] = [m for m in web.dms_to("S1") if "disputes" in m["text"]]
    assert "Decide with `/inquiry uphold INQ-1 <reason>` or `/inquiry void INQ-1 <reason>`" in dm["text"]

    before = stored(runtime)
    for user, text, why in [
        ("U1", "dispute INQ-1 again", "you already disputed INQ-1"),
        ("U1", "void INQ-1 I say so", "nobody decides their own dispute"),
        ("U2", "void INQ-1 I agree with alice", "only a supervisor of team desk or an admin may void"),
        ("S1", "void INQ-1", "void needs a reason"),
    ]:
        reply = people.command(text, user=user)
        assert why in reply.text, (text, reply.text)
    assert stored(runtime) == before

    voided = people.command("void INQ-1 the phone log shows the call at 16:40 Thursday", user="S1")
    assert voided.text.startswith(":wastebasket: Voided the *INQ-1* first-response outcome")
    assert "No rating" in people.command("report me").text  # the voided miss left the rate
    team = people.command("report team", user="S1")
    assert "disputed by <@U1>" in team.text or "disputed by <@U1>" in str(team.json()["blocks"])
    evidence = str(team.json()["blocks"])
    assert "the phone log shows the call" in evidence and "I answered by phone" in evidence
    assert "*voided* by <@S1>" in evidence
    assert stored(runtime)[0] == before[0] + 1  # one new fact (the void); the miss is still there
    deliver()
    [told] = [m for m in web.dms_to("U1") if "dispute" in m["text"]]
    assert told["text"].startswith(":scales: Your dispute of the *INQ-1* first-response outcome (missed")
    assert told["text"].endswith(
        ") is decided. <@S1> voided it: it no longer counts in any rate, and stays in the evidence with "
        "both reasons. Their reason: “the phone log shows the call at 16:40 Thursday”."
    )


def test_an_upheld_dispute_tells_the_employee_the_outcome_stands(people, runtime, clock, web, deliver):
    people.command("log email Export license status")
    clock.set(clock.now() + timedelta(days=2))
    decide_fallen(runtime.sessions, runtime.config, clock)
    people.command("dispute INQ-1 I answered by phone", user="U1")
    upheld = people.command("uphold INQ-1 no call in the phone log", user="S1")
    assert upheld.text.startswith(":scales: Upheld the *INQ-1* first-response outcome (missed")
    assert "on time 0%, 0 of 1" in people.command("report me").text  # the miss still counts
    deliver()
    [told] = [m for m in web.dms_to("U1") if "dispute" in m["text"]]
    assert told["text"].startswith(":scales: Your dispute of the *INQ-1* first-response outcome (missed")
    assert "<@S1> upheld it: it counts as decided. Their reason: “no call in the phone log”." in told["text"]
    assert "upheld your dispute" not in told["text"]


def open_home(slack, served, web, user: str, n: int) -> dict:
    slack.event(
        {"type": "app_home_opened", "user": user, "channel": "D0", "tab": "home", "event_ts": f"1.{n}"},
        event_id=f"EvHOME{user}{n}",
    )
    served.settle()
    return web.homes[user]


def test_dispute_from_app_home_and_the_supervisor_sees_it_open(people, runtime, clock, web, served):
    people.command("log email Export license status")
    clock.set(clock.now() + timedelta(days=2))
    decide_fallen(runtime.sessions, runtime.config, clock)
    home = open_home(people, served, web, "U1", 1)
    assert "Missed deadlines this period" in text_of(home["blocks"]) and Action.DISPUTE in text_of(
        home["blocks"]
    )

    people.click(Action.DISPUTE, "1", home=True)
    [opened] = web.wait_for("views.open")
    form = opened["view"]
    assert form["callback_id"] == View.DISPUTE
    before = stored(runtime)
    empty = people.submit(form, {f.DISPUTE_REASON: {"type": "plain_text_input", "value": "  "}}).json()
    assert empty["response_action"] == "errors" and "needs a reason" in empty["errors"][f.DISPUTE_REASON]
    assert stored(runtime) == before
    reason = {
        f.DISPUTE_REASON: {"type": "plain_text_input", "value": "The customer called back; I answered then"}
    }
    assert people.submit(form, reason).status == 200
    served.settle()
    assert stored(runtime) == (before[0], before[1] + 1)
    assert Action.DISPUTE not in text_of(web.homes["U1"]["blocks"])  # disputed once, no second button

    supervisor = open_home(people, served, web, "S1", 2)
    assert "Open disputes: 1" in text_of(supervisor["blocks"])
    assert "The customer called back" in text_of(supervisor["blocks"])
    assert "Open disputes" not in text_of(
        open_home(people, served, web, "U1", 3)["blocks"]
    )  # not hers to decide


def test_an_item_with_two_misses_of_one_person_takes_a_dispute_for_each(people, runtime, clock, deliver):
    """A broken promise is two outcomes (its resolution and its status update), both the holder's:
    disputing the item twice contests each in turn; the supervisor names which to decide."""
    people.command("log email Export license status")  # Wed 10:00
    people.command("ack INQ-1 expect tomorrow 3pm")
    clock.set(clock.now() + timedelta(days=2))  # Fri 10:00: the promise fell Thu 15:00, no update, unresolved
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2

    first = people.command("dispute INQ-1 the customer asked us to wait", user="U1")
    second = people.command("dispute INQ-1 same: they asked us to wait", user="U1")
    assert "the *INQ-1* promised-resolution outcome (missed" in first.text
    assert "the *INQ-1* status-update outcome (missed" in second.text
    before = stored(runtime)
    third = people.command("dispute INQ-1 once more", user="U1")
    assert "you already disputed INQ-1's promised-resolution outcome" in third.text
    assert stored(runtime) == before

    voided = people.command("void INQ-1 update she did ask for time, in writing", user="S1")
    assert voided.text.startswith(":wastebasket: Voided the *INQ-1* status-update outcome")
    upheld = people.command("uphold INQ-1 the resolution was still due", user="S1")
    assert upheld.text.startswith(":scales: Upheld the *INQ-1* promised-resolution outcome")
    report = text_of(people.command("report me", user="U1").json()["blocks"])
    # the upheld resolution miss counts; the voided status-update miss left compliance (none due)
    assert "*Resolution by promised date*\\n0%, 0 of 1" in report, report
    assert "*Status-update compliance*\\nnone due" in report, report
    none_left = people.command("void INQ-1 resolution changed my mind", user="S1")
    assert "INQ-1 has no open promised-resolution dispute to void" in none_left.text


def _values(blocks: list[dict], action: str) -> list[str]:
    """The values of the buttons with this action_id, as App Home drew them."""
    found = []
    for block in blocks:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        found += [e["value"] for e in elements if e.get("action_id") == action]
    return found


def test_app_home_disputes_one_outcome_and_the_supervisor_decides_with_buttons(
    people, runtime, clock, web, served, deliver
):
    """Each missed outcome has its own Dispute button (a broken promise is two); the supervisor's
    App Home has Uphold and Void beside each open dispute, each asking for the reason first."""
    people.command("log email Export license status")
    people.command("ack INQ-1 expect tomorrow 3pm")
    clock.set(clock.now() + timedelta(days=2))
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2
    home = open_home(people, served, web, "U1", 1)
    assert sorted(_values(home["blocks"], Action.DISPUTE)) == ["1:resolution", "1:status_update"]

    people.click(Action.DISPUTE, "1:status_update", home=True)  # the second line: that outcome
    [opened] = web.wait_for("views.open")
    reason = {f.DISPUTE_REASON: {"type": "plain_text_input", "value": "She asked us to wait; see her email"}}
    assert people.submit(opened["view"], reason).status == 200
    deliver()  # the submitter's note goes as a DM, through the outbox
    assert "the *INQ-1* status-update outcome" in str(web.dms_to("U1") + web.calls_to("chat.postEphemeral"))

    supervisor = open_home(people, served, web, "S1", 2)
    assert _values(supervisor["blocks"], Action.UPHOLD) == ["1:status_update"]
    [void_button] = [
        e
        for b in supervisor["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == Action.VOID
    ]
    assert void_button["accessibility_label"] == "Void the INQ-1 status-update outcome"
    people.click(Action.VOID, "1:status_update", user="S1", home=True)
    form = web.wait_for("views.open", count=2)[-1]  # after the employee's Dispute form
    assert form["view"]["callback_id"] == View.DECIDE and form["view"]["title"]["text"] == "Void INQ-1"
    before = stored(runtime)
    empty = people.submit(
        form["view"], {f.DECISION_REASON: {"type": "plain_text_input", "value": " "}}, user="S1"
    )
    assert "void needs a reason" in empty.json()["errors"][f.DECISION_REASON]
    assert stored(runtime) == before
    why = {f.DECISION_REASON: {"type": "plain_text_input", "value": "Her email asks us to wait"}}
    assert people.submit(form["view"], why, user="S1").status == 200
    served.settle()
    assert stored(runtime)[0] == before[0] + 1  # the void fact
    assert "Open disputes" not in text_of(web.homes["S1"]["blocks"])  # decided: gone from the list
    clock.advance(timedelta(seconds=1))  # one message a second to a conversation (docs/delivery.md)
    deliver()
    [told] = [m for m in web.dms_to("U1") if "is decided" in m["text"]]
    assert "status-update outcome" in told["text"] and "<@S1> voided it" in told["text"]
    assert people.command("void INQ-1 resolution again", user="S1").text.startswith(":warning:")  # none open


def test_a_dispute_form_refused_for_its_empty_reason_takes_the_corrected_reason(
    people, runtime, clock, web, served, deliver
):
    """Slack resends a corrected form with the same view id and hash: the refusal changed nothing,
    so the corrected dispute (and the supervisor's corrected decision) must be stored, not dropped
    as a replay while the modal closes as if it had worked."""
    people.command("log email Export license status")
    clock.set(clock.now() + timedelta(days=2))
    decide_fallen(runtime.sessions, runtime.config, clock)
    open_home(people, served, web, "U1", 1)
    people.click(Action.DISPUTE, "1:first_response", home=True)
    [opened] = web.wait_for("views.open")
    empty = {f.DISPUTE_REASON: {"type": "plain_text_input", "value": " "}}
    assert (
        "needs a reason"
        in people.submit(opened["view"], empty, view_id="VDISPUTE").json()["errors"][f.DISPUTE_REASON]
    )
    why = {f.DISPUTE_REASON: {"type": "plain_text_input", "value": "I answered by phone on Thursday"}}
    assert people.submit(opened["view"], why, view_id="VDISPUTE").status == 200
    deliver()
    assert stored(runtime)[1] == 1, "the corrected dispute was dropped"
    assert "You disputed the *INQ-1* first-response outcome" in str(
        web.dms_to("U1") + web.calls_to("chat.postEphemeral")
    )

    open_home(people, served, web, "S1", 2)
    people.click(Action.VOID, "1:first_response", user="S1", home=True)
    form = web.wait_for("views.open", count=2)[-1]["view"]
    blank = {f.DECISION_REASON: {"type": "plain_text_input", "value": ""}}
    assert (
        "void needs a reason"
        in people.submit(form, blank, user="S1", view_id="VDECIDE").json()["errors"][f.DECISION_REASON]
    )
    reason = {f.DECISION_REASON: {"type": "plain_text_input", "value": "The phone log shows the call"}}
    assert people.submit(form, reason, user="S1", view_id="VDECIDE").status == 200
    served.settle()
    assert stored(runtime) == (2, 2), "the corrected decision was dropped"  # the miss and its void
    assert "No rating" in people.command("report me").text


def test_dispute_forms_whose_metadata_is_garbled_say_so_and_store_nothing(
    people, runtime, clock, web, served
):
    """A dispute form's private_metadata names the item, the outcome and (for a supervisor) the
    decision. Garbled or forged, it must be refused with words that say so — not "something went
    wrong on our side", not "its deadlines are still ahead", and never a void nobody chose."""
    import json

    people.command("log email Export license status")
    clock.set(clock.now() + timedelta(days=2))
    decide_fallen(runtime.sessions, runtime.config, clock)
    people.command("dispute INQ-1 I answered by phone", user="U1")
    before = stored(runtime)

    def submit(callback: str, metadata: object, field: str, user: str) -> str:
        form = {"type": "modal", "callback_id": callback, "private_metadata": json.dumps(metadata)}
        answer = people.submit(form, {field: {"type": "plain_text_input", "value": "a reason"}}, user=user)
        assert answer.status == 200
        return answer.json()["errors"][field]

    for metadata in ({"i": "abc"}, {"i": [1]}, {}, {"i": 1, "k": "bogus"}, {"i": 1, "k": 7}):
        why = submit(View.DISPUTE, metadata, f.DISPUTE_REASON, "U1")
        assert "no longer says which" in why, (metadata, why)
    for metadata in (
        {"i": "abc", "d": "void"},
        {"i": 1, "k": "first_response"},  # the decision lost: neither uphold nor void
        {"i": 1, "k": "first_response", "d": "VOID!"},
        {"i": 1, "k": "bogus", "d": "void"},
    ):
        why = submit(View.DECIDE, metadata, f.DECISION_REASON, "S1")
        assert "no longer says which" in why, (metadata, why)
    served.settle()
    assert stored(runtime) == before
    assert "on time 0%, 0 of 1" in people.command("report me").text  # the miss still counts


def test_app_home_counts_the_misses_it_does_not_list_and_says_which_were_answered_late(
    people, runtime, clock, web, served
):
    """Home listed at most five misses and read at most five, so its "…and N more" never showed:
    eight misses read as five. And a miss answered late since read "missed" where the report said
    late."""
    for n in range(8):
        people.command(f"log email Request {n + 1}")  # Wed 10:00, each due Thu 17:00
    clock.set(clock.now() + timedelta(days=2))  # Fri 10:00: all eight missed
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 8
    people.command("ack INQ-8")  # answered late: the miss stands, as late
    home = text_of(open_home(people, served, web, "U1", 1)["blocks"])
    assert home.count("deadline Thu 5 Mar 2026") == 5
    assert "…and 3 more" in home
    assert "*INQ-8* first-response deadline Thu 5 Mar 2026, 5:00 PM EST — missed, answered late" in home


def test_the_only_supervisor_disputing_their_own_outcome_is_decided_by_an_admin(
    people, runtime, clock, web, deliver
):
    """Nobody decides their own dispute: when the team's only supervisor disputes their own miss,
    nobody on the team may decide it, so the admins are told — it does not sit unseen for ever."""
    know_zone(people, web, "UADMIN")
    people.command("log email Sam's own item", user="S1")  # Wed 10:00, due Thu 17:00, held by S1
    clock.set(clock.now() + timedelta(days=2))
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 1
    opened = people.command("dispute INQ-1 the customer withdrew it by phone", user="S1")
    assert opened.text.startswith(":speech_balloon: You disputed the *INQ-1* first-response outcome")
    assert "You are the team's only supervisor, so an admin decides (<@UADMIN> was asked)" in opened.text
    deliver()
    [dm] = [m for m in web.dms_to("UADMIN") if "disputes" in m["text"]]
    assert dm["text"].startswith(":speech_balloon: <@S1> disputes the *INQ-1* first-response outcome")
    assert "/inquiry void INQ-1 <reason>" in dm["text"]
    assert not [m for m in web.dms_to("S1") if "disputes" in m["text"]]  # never asked to decide it

    before = stored(runtime)
    assert "nobody decides their own dispute" in people.command("void INQ-1 mine", user="S1").text
    assert stored(runtime) == before
    voided = people.command("void INQ-1 the withdrawal is in the call log", user="UADMIN")
    assert voided.text.startswith(":wastebasket: Voided the *INQ-1* first-response outcome")


def test_every_dispute_refusal_is_ephemeral_names_the_problem_and_stores_nothing(
    people, runtime, clock, web, deliver
):
    """docs/outcomes.md's refusals, each over HTTP: an ephemeral naming the problem, and not a row
    more in outcomes, disputes, events or the outbox."""
    from storage.models import Event, OutboxMessage
    from tests.slack.helpers import count

    know_zone(people, web, "U3")  # every reply rides on the acknowledgement
    people.command("log email Export license status")
    clock.set(clock.now() + timedelta(days=2))
    decide_fallen(runtime.sessions, runtime.config, clock)
    people.command("dispute INQ-1 I answered by phone", user="U1")
    deliver()

    def rows() -> tuple[int, ...]:
        return tuple(count(runtime, model) for model in (Outcome, OutcomeDispute, Event, OutboxMessage))

    before = rows()
    for user, text, why in [
        ("U2", "dispute INQ-1 not fair", "the outcome of INQ-1 is not yours (it belongs to <@U1>)"),
        ("U1", "dispute INQ-1 once more", "you already disputed INQ-1's first-response outcome"),
        ("S1", "void INQ-1", "void needs a reason"),
        ("S1", "uphold INQ-1   ", "uphold needs a reason"),
        ("U1", "void INQ-1 I say so", "nobody decides their own dispute"),
        ("U1", "uphold INQ-1 I say so", "nobody decides their own dispute"),
        ("U1", "dispute INQ-99 the form was lost", "no inquiry INQ-99"),
        ("S1", "void INQ-99 the form was lost", "no inquiry INQ-99"),
        ("S1", "uphold 99 the form was lost", "no inquiry INQ-99"),
        ("U2", "void INQ-1 I agree with alice", "only a supervisor of team desk or an admin may void"),
        ("U3", "uphold INQ-1 she was late", "only a supervisor of team desk or an admin may uphold"),
    ]:
        reply = people.command(text, user=user)
        assert reply.status == 200 and why in reply.text, (text, reply.text)
        assert reply.text.startswith(":warning:") or reply.text.startswith(":no_entry"), reply.text
        assert reply.json().get("response_type") == "ephemeral", (text, reply.json())
    deliver()
    assert rows() == before


def test_dispute_buttons_refuse_at_once_whoever_may_not_act_instead_of_opening_a_form(
    people, runtime, clock, web, served
):
    """Dispute, Uphold and Void open a form asking for a reason; someone who may not act must read
    why at once (App Home has no channel: a notice with no submit), not fill in a form refused only
    when sent. Nothing is stored."""
    people.command("log email Export license status")
    clock.set(clock.now() + timedelta(days=2))
    decide_fallen(runtime.sessions, runtime.config, clock)
    before = stored(runtime)

    def clicked(action: str, value: str, user: str) -> dict:
        opened = len(web.calls_to("views.open"))
        people.click(action, value, user=user, home=True)
        served.settle()
        return web.wait_for("views.open", opened + 1)[-1]["view"]

    refusals = [
        (Action.DISPUTE, "1:first_response", "U2", "the outcome of INQ-1 is not yours"),
        (Action.UPHOLD, "1:first_response", "S1", "INQ-1 has no open first-response dispute to uphold"),
    ]
    for action, value, user, why in refusals:
        view = clicked(action, value, user)
        assert "callback_id" not in view and "submit" not in view, (action, user, view)
        assert why in text_of(view["blocks"]), (action, user, view)
    people.command("dispute INQ-1 I answered by phone", user="U1")
    before = stored(runtime)
    refusals = [
        (Action.DISPUTE, "1:first_response", "U1", "you already disputed INQ-1"),
        (Action.VOID, "1:first_response", "U1", "nobody decides their own dispute"),
        (Action.VOID, "1:first_response", "U2", "only a supervisor of team desk or an admin may void"),
        (Action.UPHOLD, "1:first_response", "U3", "only a supervisor of team desk or an admin may uphold"),
        (Action.VOID, "99:first_response", "S1", "no inquiry INQ-99"),
    ]
    for action, value, user, why in refusals:
        view = clicked(action, value, user)
        assert "callback_id" not in view and "submit" not in view, (action, user, view)
        assert why in text_of(view["blocks"]), (action, user, view)
    assert stored(runtime) == before
    form = clicked(Action.VOID, "1:first_response", "S1")  # the supervisor still gets the form
    assert form["callback_id"] == View.DECIDE and form["title"]["text"] == "Void INQ-1"


def test_a_dispute_with_two_long_reasons_reaches_the_report_whole(people, runtime, clock):
    """Each reason may hold 2,000 characters, so a decided dispute's evidence line runs past what one
    section holds (3,000): the report carries it whole over two sections, never an empty one."""
    people.command("log email Export license status")
    clock.set(clock.now() + timedelta(days=2))
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 1
    why = " ".join(["the customer confirmed the call"] * 60)[:1980] + " DISPUTE-ENDS"
    ruling = " ".join(["the phone log shows it"] * 90)[:1980] + " RULING-ENDS"
    assert "You disputed" in people.command(f"dispute INQ-1 {why}", user="U1").text
    assert "Voided" in people.command(f"void INQ-1 {ruling}", user="S1").text

    blocks = people.command("report team", user="S1").json()["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]
    assert all(0 < len(t) <= 3000 for t in texts)
    start = next(i for i, t in enumerate(texts) if t.startswith("*Disputed outcomes*"))
    whole = " ".join(texts[start : start + 3])
    assert "DISPUTE-ENDS" in whole and "RULING-ENDS" in whole
    assert "*voided* by <@S1>" in whole
