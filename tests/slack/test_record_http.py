"""No one can bend the record (docs/record.md), over signed HTTP with the Web API stand-in: who may
act, replays, one rating per item, what a date means, and the messages around them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import select

from bot.config.runtime import Runtime
from bot.lifecycle.outcome_job import decide_fallen
from bot.rendering import modals as f
from bot.rendering.actions import Action, View
from bot.rendering.record import REPLAYED
from bot.reports.build import build_report
from bot.reports.export import report_dict
from bot.reports.periods import Period
from inquirybot.slack_standin.signing import signed_headers
from inquirybot.slack_standin.slack import FORM
from storage.models import Event, Feedback, Inquiry, Outcome
from tests.slack.harness import SECRET, checks, text, user, when
from tests.slack.harness import select as option
from tests.slack.helpers import count, know_zone, runtime_with, snapshot, text_of

CONFIG = {
    "admins": ["UADMIN"],
    "teams": {
        "desk": {
            "timezone": "America/New_York",
            "members": ["U1", "U2", "U3", "U4"],
            "supervisors": ["S1"],
            "channel": "CTEAM",
        }
    },
}
FORTNIGHT = Period(date(2026, 2, 23), date(2026, 3, 8), "two weeks")
ACTORS = {
    "holder": "U2",
    "alternate": "U3",
    "logger": "U1",
    "peer": "U4",
    "supervisor": "S1",
    "admin": "UADMIN",
}
ALLOWED = {"holder", "alternate", "supervisor", "admin"}
# The answer was recorded while they held the item, so a rating counts for them: never theirs to enter.
OWN_RATING = {("holder", "feedback"), ("alternate", "feedback")}
ACTIONS = {  # command, the words of a refusal, needs a first response before it
    "ack": ("ack 1", "acknowledge", False),
    "update": ("update 1 Still checking with licensing", "update", True),
    "resolve": ("resolve 1 Sent the copy", "resolve", False),
    "close": ("close 1 withdrawn by the customer", "close", False),
    "reassign": ("reassign 1 <@U1|alice>", "reassign", False),
    "feedback": ("feedback 1 4 helpful", "record feedback on", True),
}


@pytest.fixture
def runtime(database_url, engine, sessions, clock, web) -> Runtime:
    web.add_user("U4", tz="America/New_York", name="dan")
    web.add_user("UADMIN", tz="America/New_York", name="ada")
    return runtime_with(CONFIG, database_url, engine, sessions, clock, web)


def events(runtime, type_: str | None = None) -> list[Event]:
    with runtime.sessions() as s:
        query = select(Event).order_by(Event.id)
        return list(s.scalars(query.where(Event.type == type_) if type_ else query))


# ---- who may act ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", list(ACTORS))
def test_permission_matrix(say, runtime, role, action):
    command, doing, needs_answer = ACTIONS[action]
    assert say("log email Forwarded from the front desk; assign <@U2|bob>").text.startswith(
        ":white_check_mark: Logged *INQ-1* for <@U2>"
    )
    if role == "alternate":
        assert say("away today to Friday alternate <@U3|carol>", as_="U2").text.startswith(":palm_tree:")
    if needs_answer:
        assert say("ack 1", as_="S1").text.startswith(":white_check_mark: Acknowledged")
    before = snapshot(runtime)
    reply = say(command, as_=ACTORS[role])
    if (role, action) in OWN_RATING:
        assert reply.text.startswith(":warning: you may not rate INQ-1: a rating counts for you"), reply.text
        assert snapshot(runtime) == before
    elif role in ALLOWED:
        assert not reply.text.startswith(":warning:"), reply.text
        assert snapshot(runtime)[1] > before[1]  # a new event
    else:
        assert reply.text.startswith(f":warning: you may not {doing} INQ-1"), reply.text
        assert "<@U2>" in reply.text and "supervisor" in reply.text and "admin" in reply.text  # who may
        assert snapshot(runtime) == before


def test_the_logger_cannot_resolve_late_and_bend_the_holders_rate(say, runtime):
    # The example: a member logs for bob, then tries to resolve it late himself.
    say("log email Sabotage; received 2026-02-02; assign <@U2|bob>")
    reply = say("resolve 1")
    assert reply.text.startswith(
        ":warning: you may not resolve INQ-1 (logging an item does not make it yours)"
    )
    assert events(runtime, "resolved") == []


def test_logging_for_someone_else_is_visible_to_them_and_in_the_evidence(say, web, deliver, runtime, clock):
    # Wednesday 10:00; received the Friday before: logged three business days after receipt.
    logged = say("log email Sabotage; received 2026-02-27 9am; assign <@U2|bob>").text
    assert logged.startswith(":white_check_mark: Logged *INQ-1* for <@U2>"), logged
    # Its deadline (Mon 2 Mar 17:00) fell before it was logged: the miss is decided now, at the
    # logging, never back in a week that may have ended (docs/outcomes.md), and the reply says so.
    assert "had already passed when it was logged: the miss is counted as of now" in logged, logged
    deliver()
    [dm] = web.dms_to("U2")
    assert "Logged by <@U1>, who gave its receipt as Fri 27 Feb 2026 09:00 EST." in dm["text"]
    card = text_of(dm["blocks"])  # the card bob sees: the receipt in his own zone, and who logged it
    assert "Fri 27 Feb 2026, 6:00 AM PST" in card and "logged by <@U1>" in card
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 0  # decided once, at the logging
    with runtime.sessions() as s:
        [miss] = s.scalars(select(Outcome)).all()
    assert (miss.holder, miss.outcome, miss.decided_at) == ("U2", "missed", clock.now())
    report = say("report <@U2|bob>", as_="S1")
    # One logging, said once: who logged it for bob, how late after receipt, and that its deadline
    # had already fallen (not "logged by … after receipt; logged for … by …" twice over).
    evidence = text_of(report.json()["blocks"])
    assert (
        "; logged for <@U2> by <@U1> 3 business days after receipt, with no business hours left before the deadline"
        in evidence
    ), evidence
    assert evidence.count("<@U1>") == 1, evidence
    assert "on time 0%, 0 of 1" in report.text
    with runtime.sessions() as s:  # the JSON evidence carries the mark too
        data = report_dict(
            build_report(s, runtime.config, kind="person", subject="U2", period=FORTNIGHT, now=clock.now())
        )
    [late] = data["evidence"]["late"]
    assert (late["ref"], late["logged_by"], late["logged_days_after_receipt"]) == ("INQ-1", "U1", 3)
    # The hook: bob disputes the miss he was handed, and his supervisor voids it (docs/outcomes.md).
    disputed = say("dispute INQ-1 logged by alice three business days after it arrived", as_="U2")
    assert disputed.text.startswith(":speech_balloon: You disputed the *INQ-1* first-response outcome")
    voided = say("void INQ-1 the logging was late, not the answer", as_="S1")
    assert voided.text.startswith(":wastebasket: Voided the *INQ-1* first-response outcome")
    after = say("report <@U2|bob>", as_="S1")
    assert "0 of 1" not in after.text and "*voided* by <@S1>" in str(after.json()["blocks"])
    with runtime.sessions() as s:  # the JSON evidence carries the dispute, both reasons and who decided
        data = report_dict(
            build_report(s, runtime.config, kind="person", subject="U2", period=FORTNIGHT, now=clock.now())
        )
    [dispute] = data["evidence"]["disputes"]
    assert {
        k: dispute[k] for k in ("ref", "deadline_kind", "outcome", "disputed_by", "decision", "decided_by")
    } == {
        "ref": "INQ-1",
        "deadline_kind": "first_response",
        "outcome": "missed",
        "disputed_by": "U2",
        "decision": "voided",
        "decided_by": "S1",
    }
    assert dispute["reason"].startswith("logged by alice") and dispute["decision_reason"].startswith(
        "the logging"
    )


def test_a_miss_handed_over_minutes_before_its_deadline_says_so_in_the_evidence(say, runtime, clock):
    """The miss is the holder's at the deadline, however they got the item (docs/outcomes.md); the
    evidence says how and when, as it says when an item was logged late, so a dispute and its
    decision have it in front of them (docs/record.md)."""
    say("log email Dumped; assign <@U2|bob>")  # Wed 4 Mar 10:00, due Thu 17:00
    clock.set(datetime(2026, 3, 5, 21, 40, tzinfo=UTC))  # Thu 16:40: twenty minutes left
    assert "is now assigned to <@U4>" in say("reassign 1 <@U4|dan>", as_="U2").text
    say("log email Covered; assign <@U2|bob>")  # due Fri 17:00
    say("away today to Friday alternate <@U3|carol>", as_="U2")  # Thu 16:40: bob's items go to carol
    clock.set(datetime(2026, 3, 9, 14, tzinfo=UTC))  # Mon: both deadlines fell unanswered
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2

    dan = text_of(say("report <@U4|dan>", as_="S1").json()["blocks"])
    assert "; handed to <@U4> by <@U2> 0.3 business hours before the deadline" in dan
    carol = text_of(say("report <@U3|carol>", as_="S1").json()["blocks"])
    assert "; came to <@U3> as cover for <@U2> (away) 8.3 business hours before the deadline" in carol
    with runtime.sessions() as s:  # the JSON evidence carries it too
        data = report_dict(
            build_report(s, runtime.config, kind="team", subject="desk", period=FORTNIGHT, now=clock.now())
        )
    marks = {
        i["ref"]: (i["user"], i["handed"], i["handed_by"], i["handed_business_hours_before_deadline"])
        for i in data["evidence"]["late"]
    }
    assert marks == {"INQ-1": ("U4", "reassigned", "U2", 0.3), "INQ-2": ("U3", "covered", "U2", 8.3)}


def test_a_miss_logged_for_a_colleague_shortly_before_its_deadline_says_so_in_the_evidence(
    say, runtime, clock
):
    """Logging for someone else is a hand-over too: alice logs at 16:30 an email received yesterday
    at 2 pm for bob, due at 17:00. Not a business day late, so no late-logging mark — but bob had
    half an hour, and the evidence a dispute is decided on says so (docs/record.md)."""
    clock.set(datetime(2026, 3, 4, 21, 30, tzinfo=UTC))  # Wed 4 Mar 16:30 EST
    say("log email Rushed; received yesterday 2pm; assign <@U2|bob>")  # due today 17:00
    say("log email Own; received yesterday 2pm", as_="U2")  # his own (due Thu): nothing to say
    clock.set(datetime(2026, 3, 6, 14, tzinfo=UTC))  # Fri 09:00: both fell unanswered
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2
    bob = text_of(say("report <@U2|bob>", as_="S1").json()["blocks"])
    assert "; logged for <@U2> by <@U1> 0.5 business hours before the deadline" in bob, bob
    assert bob.count("logged for") == 1 and "business days after receipt" not in bob
    with runtime.sessions() as s:
        data = report_dict(
            build_report(s, runtime.config, kind="person", subject="U2", period=FORTNIGHT, now=clock.now())
        )
    marks = {
        i["ref"]: (i["handed"], i["handed_by"], i["handed_business_hours_before_deadline"])
        for i in data["evidence"]["late"]
    }
    assert marks == {"INQ-1": ("logged", "U1", 0.5), "INQ-2": (None, None, None)}


def test_an_item_closed_minutes_before_its_deadline_is_in_the_evidence_with_who_and_why(say, runtime, clock):
    """Closing takes a pending deadline out of the rates (docs/outcomes.md), so a close needs its
    why — a duplicate names what it repeats, a withdrawal has a note — and the report lists every
    item closed while a deadline was ahead, with who closed it and how close the deadline was. A
    close after a deadline fell takes nothing away: the miss stands and is not listed."""
    say("log email First ask; assign <@U2|bob>")  # Wed 4 Mar 10:00, due Thu 17:00
    say("log email Asked again; assign <@U2|bob>")
    say("log email Withdrawn one; assign <@U2|bob>")
    say("log email Too late; assign <@U2|bob>")
    for typed, refusal in (
        ("close 2 duplicate", "close … duplicate needs the item it duplicates"),
        ("close 2 duplicate of INQ-2", "INQ-2 cannot be a duplicate of itself"),
        ("close 2 duplicate of INQ-99", "INQ-99"),
        ("close 3 withdrawn", "close … withdrawn needs a note"),
    ):
        assert refusal in say(typed, as_="U2").text
    clock.set(datetime(2026, 3, 5, 21, 30, tzinfo=UTC))  # Thu 16:30: half an hour left
    assert say("close 2 duplicate of INQ-1, same caller", as_="U2").text.startswith("Closed *INQ-2*")
    assert say("close 3 withdrawn she called to say it is settled", as_="U2").text.startswith("Closed")
    clock.set(datetime(2026, 3, 6, 15, tzinfo=UTC))  # Fri 10:00: INQ-1 and INQ-4 fell unanswered
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2
    assert say("close 4 withdrawn the customer gave up", as_="U2").text.startswith("Closed")

    report = say("report <@U2|bob>", as_="S1")
    assert "0 of 2" in report.text  # INQ-1 and INQ-4: the late close of INQ-4 took nothing away
    evidence = text_of(report.json()["blocks"])
    assert "Closed before a deadline (no outcome counted)" in evidence
    assert (
        "— closed as a duplicate of INQ-1 by <@U2> Thu 5 Mar 2026, 4:30 PM EST, 0.5 business hours before "
        "its first response was due Thu 5 Mar 2026, 5:00 PM EST — “same caller”"
    ) in evidence
    assert "closed as withdrawn by <@U2>" in evidence and "“she called to say it is settled”" in evidence
    assert "INQ-4" not in evidence.split("Closed before a deadline")[1]
    with runtime.sessions() as s:
        data = report_dict(
            build_report(s, runtime.config, kind="team", subject="desk", period=FORTNIGHT, now=clock.now())
        )
    closed = {
        c["ref"]: (
            c["user"],
            c["closed_by"],
            c["reason"],
            c["duplicate_of"],
            c["business_hours_before_deadline"],
        )
        for c in data["evidence"]["closed_before_deadline"]
    }
    assert closed == {
        "INQ-2": ("U2", "U2", "duplicate", "INQ-1", 0.5),
        "INQ-3": ("U2", "U2", "withdrawn", None, 0.5),
    }


def test_a_report_on_an_id_nobody_knows_says_so_instead_of_an_empty_report(say, runtime):
    """An admin's typo (`<@U2X>` for bob) read as a person with no deadlines: "No rating", a report
    that reads as a real one. Someone in no team with nothing in the record is named as unknown."""
    answer = say("report <@UGHOST|ghost>", as_="UADMIN")
    assert "UGHOST is in no team and has nothing in the record; check the id" in answer.text
    assert "No rating" not in answer.text
    say("log email Hello; assign <@U2|bob>")  # bob is in the team (and now holds an item)
    assert "No rating" in say("report <@U2|bob>", as_="UADMIN").text


def test_missed_promises_are_in_the_evidence_until_voided(say, runtime, clock):
    """The promise and status-update rates counted misses the evidence never listed (App Home
    alone showed them): a rating official could not see which promises were broken."""
    say("log email Licence copy; assign <@U2|bob>")  # Wed 4 Mar 10:00
    say("ack 1 expect Friday 5pm", as_="U2")  # 5 pm where bob is (Pacific): 8 pm in the team's zone
    clock.set(datetime(2026, 3, 9, 14, tzinfo=UTC))  # Mon 10:00 EDT: Friday's promise fell unkept
    assert decide_fallen(runtime.sessions, runtime.config, clock) == 2  # its resolution and its update
    clock.set(datetime(2026, 3, 9, 15, tzinfo=UTC))
    say("resolve 1 Sent the copy", as_="U2")

    report = say("report <@U2|bob>", as_="S1")
    evidence = text_of(report.json()["blocks"])
    assert "Missed promises" in evidence
    assert (
        "(<@U2>) — resolution promised for Fri 6 Mar 2026, 8:00 PM EST, missed; resolved Mon 9 Mar 2026, "
        "11:00 AM EDT"
    ) in evidence
    assert "status update due by the promise of Fri 6 Mar 2026, 8:00 PM EST, missed" in evidence
    say("dispute INQ-1 status_update I called her on Thursday", as_="U2")
    say("void INQ-1 status_update the call is in the phone log", as_="S1")
    with runtime.sessions() as s:
        data = report_dict(
            build_report(s, runtime.config, kind="person", subject="U2", period=FORTNIGHT, now=clock.now())
        )
    missed = [(m["ref"], m["deadline_kind"], m["resolved_at"]) for m in data["evidence"]["missed_promises"]]
    assert missed == [("INQ-1", "resolution", "2026-03-09T15:00:00Z")]


# ---- replays change nothing ----------------------------------------------------------------------


def test_a_replayed_command_is_answered_and_changes_nothing(say, slack, runtime):
    know_zone(slack, slack.web, "U1")
    body = slack.command_body("log email Once only")
    headers = signed_headers(SECRET, body, FORM, slack.now())
    replies = [slack.request("POST", "/slack/events", body.encode(), headers) for _ in range(4)]
    assert replies[0].text.startswith(":white_check_mark: Logged *INQ-1*")
    assert [r.status for r in replies] == [200] * 4
    assert [r.text for r in replies[1:]] == [REPLAYED] * 3
    assert count(runtime) == 1


def test_a_forged_copy_claims_nothing(say, slack, runtime):
    know_zone(slack, slack.web, "U1")
    body = slack.command_body("log email Genuine")
    headers = signed_headers(SECRET, body, FORM, slack.now())
    forged = slack.request("POST", "/slack/events", body.encode(), {**headers, "X-Slack-Signature": "v0=00"})
    assert forged.status == 401
    genuine = slack.request("POST", "/slack/events", body.encode(), headers)
    assert genuine.text.startswith(":white_check_mark: Logged *INQ-1*")


def test_the_same_trigger_id_in_a_new_signature_is_a_replay(say, slack, runtime):
    know_zone(slack, slack.web, "U1")
    first = dict(parse_qsl(slack.command_body("log email Trigger once")))
    again = urlencode({**first, "text": "log email Trigger twice"})  # same gesture, another body
    assert slack.post(urlencode(first), FORM).text.startswith(":white_check_mark: Logged *INQ-1*")
    assert slack.post(again, FORM).text == REPLAYED
    assert count(runtime) == 1


def _new_form(slack, web):
    slack.command("")
    return web.wait_for("views.open")[-1]["view"]


def _good(clock):
    return {
        f.KIND: option("email"),
        f.SUBJECT: text("Permit renewal"),
        f.CUSTOMER_NAME: text(None),
        f.CUSTOMER_CONTACT: text(None),
        f.RECEIVED: when(clock.now()),
        f.COMPLEXITY: option("standard"),
        f.NEEDS_RESEARCH: checks(),
        f.ASSIGNEE: user("U1"),
        f.DUE: when(None),
        f.DUE_REASON: text(None),
    }


def test_three_identical_view_submissions_store_one(slack, web, runtime, clock, served):
    form = _new_form(slack, web)
    payload = slack.submit_payload(form, _good(clock), view_id="VSAME")
    for n in range(3):  # a double-click: each submission its own trigger_id, the same view and hash
        payload["trigger_id"] = f"222.{n}.xxx"
        assert slack.interact(payload).status == 200
    served.settle()
    assert count(runtime) == 1


def test_a_form_refused_with_errors_can_be_corrected_and_sent_again(slack, web, runtime, clock):
    form = _new_form(slack, web)
    bad = slack.submit(form, {**_good(clock), f.SUBJECT: text(None)}, view_id="VFIX")
    assert bad.json()["response_action"] == "errors"
    assert slack.submit(form, _good(clock), view_id="VFIX").status == 200
    assert count(runtime) == 1


# ---- feedback ------------------------------------------------------------------------------------


def test_one_rating_per_item_only_after_a_first_response_entered_by_staff(say, runtime):
    say("log email Rated")
    before = snapshot(runtime)
    early = say("feedback INQ-1 3", as_="S1")
    assert early.text.startswith(":warning: INQ-1 has no first response yet")
    assert snapshot(runtime) == before
    say("ack 1")
    answered = snapshot(runtime)
    own = say("feedback INQ-1 5 I was quick")  # U1 answered it: the rating would count for U1
    assert own.text.startswith(
        ":warning: you may not rate INQ-1: a rating counts for you, so it must come from someone else. "
        "Give the customer their link to rate it themselves (`/inquiry link INQ-1`)"
    )
    assert snapshot(runtime) == answered
    assert (
        say("feedback INQ-1 5 great", as_="S1").text
        == ":star: Thanks — feedback recorded for *INQ-1*: rated 5 of 5."
    )
    assert (
        say("feedback INQ-1 1 changed my mind", as_="S1").text
        == ":star: Thanks — feedback recorded for *INQ-1*: rated 1 of 5."
    )
    with runtime.sessions() as s:
        [rating] = s.scalars(select(Feedback)).all()
    assert (rating.score, rating.comment, rating.given_by) == (1, "changed my mind", "S1")
    given = events(runtime, "feedback")
    assert [(e.payload["score"], e.payload["entered_by"], e.actor) for e in given] == [
        (5, "staff", "S1"),
        (1, "staff", "S1"),
    ]
    report = say("report")
    assert "staff-entered: 1.0 of 5 on average (1 rating)" in text_of(report.json()["blocks"])


def test_the_rate_button_is_for_others_than_whom_the_rating_counts_for(say, slack, runtime, web, served):
    """The answerer's own card offers no Rate button, and a Rate click on another copy of the card
    says why at once instead of opening a form refused only when sent; the supervisor's opens."""
    say("log email Rated")
    resolved = say("resolve 1 Sent the copy")
    assert Action.RATE not in str(resolved.json()["blocks"])
    before = snapshot(runtime)

    def clicked(user: str) -> dict:
        opened = len(web.calls_to("views.open"))
        slack.click(Action.RATE, 1, user=user, home=True)
        served.settle()
        return web.wait_for("views.open", opened + 1)[-1]["view"]

    refused = clicked("U1")
    assert "callback_id" not in refused and "submit" not in refused
    assert "you may not rate INQ-1: a rating counts for you" in text_of(refused["blocks"])
    assert snapshot(runtime) == before
    form = clicked("S1")
    assert form["callback_id"] == View.RATE


# ---- what a date means ---------------------------------------------------------------------------


def at_new_york(clock, *args):
    from zoneinfo import ZoneInfo

    clock.set(datetime(*args, tzinfo=ZoneInfo("America/New_York")).astimezone(UTC))


def received(runtime, inquiry_id: int) -> datetime:
    with runtime.sessions() as s:
        return s.get(Inquiry, inquiry_id).received_at


def test_received_today_4pm_at_four_is_four_not_midnight(say, clock, runtime):
    at_new_york(clock, 2026, 12, 18, 16, 0)
    reply = say("log email Same minute; received today 4pm")
    assert "Fri 18 Dec 2026, 4:00 PM EST" in text_of(reply.json()["blocks"])
    assert "12:00 AM" not in text_of(reply.json()["blocks"])
    assert received(runtime, 1) == clock.now()


@pytest.mark.parametrize(
    "typed, bare, clock_at",
    [
        ("received today 5:30pm", "received 5:30pm", (17, 30)),
        ("received today at 4pm", "received 4pm", (16, 10)),
        ("received today 4:10pm", "received 4:10pm", (16, 10)),
    ],
)
def test_today_with_a_time_is_the_time_alone(say, clock, runtime, typed, bare, clock_at):
    at_new_york(clock, 2026, 12, 18, *clock_at)
    one = say(f"log email One; {typed}")
    two = say(f"log email Two; {bare}")
    assert received(runtime, 1) == received(runtime, 2)
    due = [line for line in (one.text, two.text)]
    assert due[0].split("first response due ")[1] == due[1].split("first response due ")[1]


# ---- messages ------------------------------------------------------------------------------------


def test_instants_in_errors_are_in_the_readers_zone(say, runtime):
    before = snapshot(runtime)
    early = say("log email X; received today 9am; due 2026-03-03 because program office")
    assert (
        "due Tue 3 Mar 2026, 5:00 PM EST is before the inquiry was received (Wed 4 Mar 2026, 9:00 AM EST)"
        in early.text
    )
    assert "+00:00" not in early.text and "T17:" not in early.text
    say("log email Bobs; received today 9am; assign <@U2|bob>")
    for_bob = say("ack 1 expect 2026-03-01 9am", as_="U2")  # bob reads Los Angeles time
    assert (
        "expect Sun 1 Mar 2026, 9:00 AM PST is before the inquiry was received (Wed 4 Mar 2026, 6:00 AM PST)"
        in for_bob.text
    )
    assert snapshot(runtime)[0] == before[0] + 1


def test_already_done_says_when_in_the_readers_zone(say, runtime):
    say("log email Bobs; assign <@U2|bob>")
    assert say("ack 1", as_="U2").text.startswith(":white_check_mark: Acknowledged *INQ-1*")
    again = say("ack 1", as_="U2")  # bob reads Los Angeles time; the team is in New York
    assert again.text.startswith(":warning: INQ-1 was already acknowledged on Wed 4 Mar 2026, 7:00 AM PST;")
    assert say("resolve 1", as_="S1").text.startswith(":tada: Resolved *INQ-1*")
    twice = say("resolve 1", as_="S1")
    assert twice.text.startswith(":warning: INQ-1 was already resolved on Wed 4 Mar 2026, 10:00 AM EST;")


@pytest.mark.parametrize(
    "command, says",
    [
        ("log email X; due Dec 30 because", "no reason after “because”"),
        ("log email X; due Friday 5pm", "needs a reason"),
        ("log email X; because", "needs the reason"),
    ],
)
def test_reason_errors_follow_the_helps_grammar(say, runtime, command, says):
    before = snapshot(runtime)
    reply = say(command)
    assert reply.text.startswith(":warning: ") and says in reply.text, reply.text
    example = reply.text.split("\nExample: ")[1]
    assert " because " in example and "reason:" not in example and "2026-12-04 17:00" not in example
    assert "not a date" not in reply.text
    assert snapshot(runtime) == before


def test_an_unclosed_quote_names_the_segment(say, runtime):
    reply = say('log email "Export license; received yesterday 3pm')
    assert reply.text.startswith(':warning: the quote in “email "Export license” is never closed')
    assert count(runtime) == 0


def test_old_receipt_is_accepted_with_a_warning(say, runtime):
    reply = say("log email From the archive; received 2025-01-05")
    assert reply.text.startswith(":white_check_mark: Logged *INQ-1*")
    assert ":warning: The receipt (Sun 5 Jan 2025, 12:00 AM EST) is more than a year ago" in reply.text
    assert count(runtime) == 1


def test_deadlines_on_closed_days_are_accepted_with_a_warning(say, runtime):
    reply = say("log email Partner; due 1/2 because partner")
    assert reply.text.startswith(":white_check_mark: Logged *INQ-1*")
    assert (
        ":warning: The established deadline (Sat 2 Jan 2027, 5:00 PM EST) falls on a day the office is closed"
        in reply.text
    )
    ack = say("ack 1 expect Saturday 5pm")
    assert ack.text.startswith(":white_check_mark: Acknowledged *INQ-1*")
    assert (
        ":warning: The promised date (Sat 7 Mar 2026, 5:00 PM EST) falls on a day the office is closed"
        in ack.text
    )


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "http://acme.slack.com/archives/C0123/p1700000000000100",  # not https
        "https://acme.slack.com.evil.example/archives/C0123/p1700000000000100",  # not a Slack host
        "https://evil.example/acme.slack.com/archives/C0123/p1700000000000100",
        "https://acme.slack.com@evil.example/archives/C0123/p1700000000000100",
        "https://acme.slack.com/",  # a Slack page, not a message
        "https://acme.slack.com/archives/C0123/p1700000000000100/../../evil",
        "data:text/html,<b>x</b>",
    ],
)
def test_a_source_link_that_is_not_an_https_slack_permalink_is_refused(say, runtime, bad):
    refused = say(f"log email X; link {bad}")
    assert refused.text.startswith(":warning: source link '"), refused.text
    assert "is not a Slack message link" in refused.text
    assert count(runtime) == 0


def test_only_https_slack_permalinks_are_stored_as_the_source(say, runtime):
    refused = say("log email X; link javascript:alert(1)")
    assert refused.text.startswith(":warning: source link 'javascript:alert(1)' is not a Slack message link")
    assert count(runtime) == 0
    link = "https://acme.slack.com/archives/C0123/p1700000000000100"
    assert say(f"log email X; link <{link}>").text.startswith(":white_check_mark: Logged *INQ-1*")
    threaded = (
        "https://agency.slack.com/archives/C0123/p1700000000000200?thread_ts=1700000000.000100&cid=C0123"
    )
    # Another platform's message is not this workspace's (GovSlack: tests/slack/test_govslack.py).
    gov = "https://agency.slack-gov.com/archives/C0123/p1700000000000200"
    assert "is not a Slack message link" in say(f"log email Y; link <{gov}>").text
    assert say(f"log email Y; link <{threaded}>").text.startswith(":white_check_mark: Logged *INQ-2*")
    with runtime.sessions() as s:
        assert (s.get(Inquiry, 1).source_link, s.get(Inquiry, 2).source_link) == (link, threaded)
