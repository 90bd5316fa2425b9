"""Every /inquiry subcommand through real HTTP, asserting what the user sees; refused commands say
why with an example and store nothing."""

from __future__ import annotations

import pytest

from bot.rendering.actions import Action, View
from tests.slack.helpers import buttons, know_zone, snapshot, text_of


@pytest.fixture
def alice(slack, web):
    know_zone(slack, web, "U1")
    return slack


def test_quick_log_with_everything_and_the_dm_to_the_assignee(alice, web, deliver, runtime):
    text = (
        "log email Export license status; from Jane Doe &lt;<mailto:jane@example.gov|jane@example.gov>&gt;; "
        "received yesterday 3pm; needs research; assign <@U2|bob>; due Friday 5pm because program office"
    )
    reply = alice.command(text)
    assert reply.status == 200
    assert reply.text == (
        ":white_check_mark: Logged *INQ-1* for <@U2> — first response due Fri 6 Mar 2026, "
        "5:00 PM EST. (established deadline: program office)"
    )
    assert buttons(reply.json()["blocks"]) == [
        Action.ACKNOWLEDGE,
        Action.RESOLVE,
        Action.SNOOZE_1H,
        Action.REASSIGN,
    ]
    assert "Jane Doe, jane@example.gov" in text_of(reply.json()["blocks"])
    assert "Tue 3 Mar 2026, 3:00 PM EST" in text_of(reply.json()["blocks"])  # received, in my zone
    deliver()
    [dm] = web.dms_to("U2")
    assert dm["text"].startswith("INQ-1 is now yours (from <@U1>): Export license status")
    # Bob reads it in his own zone (Los Angeles)
    assert "Fri 6 Mar 2026, 2:00 PM PST" in text_of(dm["blocks"])
    assert buttons(dm["blocks"]) == [Action.ACKNOWLEDGE, Action.RESOLVE, Action.SNOOZE_1H, Action.REASSIGN]


def test_complex_item_goes_to_the_specialist_and_is_announced(alice, web, deliver):
    reply = alice.command("log phone Tariff classification dispute; complex")
    assert "Logged *INQ-1* for <@U3>" in reply.text and "Complex: announced to the team." in reply.text
    deliver()
    posts = {p["channel"]: p for p in web.calls_to("chat.postMessage")}
    assert "Complex inquiry INQ-1 routed to <@U3>" in posts["CESC"]["text"]
    assert "DU3" in posts  # the specialist's DM


def test_list_show_explain(alice):
    alice.command("log email First")
    alice.command("log phone Second; received Monday 9am")  # due Tuesday 5 pm: overdue now
    listed = alice.command("list")
    assert listed.text == "Your open inquiries: 2, 1 overdue."
    shown = alice.command("show INQ-2")
    assert "INQ-2: Second" in shown.text
    assert "How the deadlines were set" in text_of(shown.json()["blocks"])
    explained = alice.command("explain 2")
    assert "How the deadlines of INQ-2 were set" in explained.text


def test_ack_update_resolve_in_a_row(alice, clock):
    alice.command("log email Records request")
    ack = alice.command("ack INQ-1 expect Friday 5pm; called her back")
    assert ack.text.startswith(
        ":white_check_mark: Acknowledged *INQ-1* — first response recorded Wed 4 Mar 2026, 10:00 AM EST (on time)."
    )
    assert "Resolution promised for Fri 6 Mar 2026, 5:00 PM EST." in ack.text
    assert buttons(ack.json()["blocks"])[0] == Action.POST_UPDATE
    update = alice.command("update 1 Waiting on licensing; expect next Tuesday")
    assert (
        update.text
        == ":memo: Update posted on *INQ-1*. Resolution promised for Tue 10 Mar 2026, 5:00 PM EDT."
    )
    resolve = alice.command("resolve 1 Sent the copy")
    assert resolve.text.startswith(":tada: Resolved *INQ-1*")
    assert buttons(resolve.json()["blocks"]) == []  # a rating of her answer is not hers to enter
    again = alice.command("resolve 1")
    assert "already resolved" in again.text


def test_snooze_reassign_escalate_close_feedback(alice, web, deliver):
    alice.command("log email One")
    alice.command("log email Two")
    snooze = alice.command("snooze 1 2h")
    assert snooze.text.startswith(":zzz: Reminders for *INQ-1* snoozed until Wed 4 Mar 2026, 12:00 PM EST.")
    assert "The deadline does not move" in snooze.text
    reassign = alice.command("reassign 1 <@U2|bob>")
    assert reassign.text.startswith(":arrows_counterclockwise: *INQ-1* is now assigned to <@U2>")
    escalate = alice.command("escalate 2 needs a policy call")
    assert "Escalated *INQ-2* (level 1: supervisors are on notice); posted in <#" in escalate.text
    close = alice.command("close 2 duplicate of INQ-1")
    assert close.text == "Closed *INQ-2* as a duplicate of *INQ-1*."
    alice.command("log email Three")
    alice.command("resolve 3")
    own = alice.command("feedback 3 5 quick and clear")  # her answer: not hers to rate
    assert own.text.startswith(":warning: you may not rate INQ-3: a rating counts for you")
    know_zone(alice, web, "S1")
    feedback = alice.command("feedback 3 5 quick and clear", user="S1")
    assert feedback.text == ":star: Thanks — feedback recorded for *INQ-3*: rated 5 of 5."
    deliver()
    assert any("escalated INQ-2" in p["text"] for p in web.calls_to("chat.postMessage"))


def test_handing_over_an_acknowledged_item_names_its_promise_not_the_first_response(alice, web, deliver):
    """The first response is behind an acknowledged item: the reply and the new holder's DM name
    what they owe now, the promised resolution."""
    alice.command("log email Export license status")
    alice.command("ack 1 expect Friday 3pm")
    reassign = alice.command("reassign 1 <@U2|bob>")
    assert reassign.text.startswith(
        ":arrows_counterclockwise: *INQ-1* is now assigned to <@U2> — resolution promised for Fri 6 Mar 2026, 3:00 PM EST."
    )
    deliver()
    [dm] = [m for m in web.dms_to("U2") if "is now yours" in m["text"]]
    assert dm["text"] == (
        "INQ-1 is now yours (from <@U1>): Export license status — resolution promised for Fri 6 Mar 2026 15:00 EST."
    )
    alice.command("log email Records request")
    alice.command("ack 2")
    assert alice.command("reassign 2 <@U2|bob>").text.startswith(
        ":arrows_counterclockwise: *INQ-2* is now assigned to <@U2> — acknowledged already, no resolution date promised yet."
    )


def test_away_and_back(alice):
    away = alice.command("away today to Friday alternate <@U2|bob>")
    assert away.text.startswith(
        ":palm_tree: You're away Wed 4 Mar 2026, 12:00 AM EST – Fri 6 Mar 2026, 11:59 PM EST."
    )
    assert "<@U2> covers" in away.text
    back = alice.command("back")
    assert back.text.startswith(":wave: Welcome back")
    assert alice.command("back").text == "You were not marked away, so nothing changed."


def test_an_item_meant_for_someone_away_says_who_covers(alice, slack, web):
    """Logged for, or handed to, someone away, the item goes to their alternate: the reply says
    so, instead of naming a person nobody asked for."""
    know_zone(slack, web, "U2")
    slack.command("away today to Friday alternate <@U3|carol>", user="U2")
    logged = alice.command("log email Export license status; assign <@U2|bob>")
    assert logged.text.startswith(
        ":white_check_mark: Logged *INQ-1* for <@U3> — first response due Thu 5 Mar 2026, 5:00 PM EST. "
        "<@U2> is away, and <@U3> covers for them."
    )
    alice.command("log email Records request")
    handed = alice.command("reassign 2 <@U2|bob>")
    assert "*INQ-2* is now assigned to <@U3>" in handed.text
    assert "<@U2> is away, and <@U3> covers for them." in handed.text
    plain = alice.command("reassign 2 <@U1|alice>")
    assert "covers" not in plain.text  # nobody away: nothing to say


def test_help_and_bare_command_opens_the_form(alice, web):
    assert "/inquiry log" in text_of(alice.command("help").json()["blocks"])
    response = alice.command("")
    assert response.status == 200 and response.body == b""
    [opened] = web.wait_for("views.open")
    assert opened["view"]["callback_id"] == View.NEW_INQUIRY


@pytest.mark.parametrize(
    "text, says",
    [
        ("lsit", "Did you mean “list”"),
        ("log fax-machine hello", "is not an inquiry kind"),
        ("log email", "needs a subject"),
        ("log email hi; received tomorrow 9am", "is in the future"),
        ("log email hi; due whenever", "is not a date"),
        ("log email hi; assign bob", "@-mention"),
        ("ack", "needs an inquiry id"),
        ("snooze 1 forever", "duration"),
        ("feedback 1 11", "score from 1 to 5"),
        ("away Friday alternate nobody", "@-mention"),
        # a deadline in 1850 (“LMT”), an absence in 9999, a report that failed on our side
        (
            "log email hi; received 1850-01-01 3pm",
            "received “1850-01-01 3pm” is outside the years the bot works in",
        ),
        ("log email hi; due Jan 1 1850", "due “Jan 1 1850” is outside the years"),
        ("log email hi; due 10000-01-01", "give a date from 1970 to 2199"),
        ("away 9999-01-01 to 9999-01-02 alternate <@U2|bob>", "away start “9999-01-01” is outside the years"),
        (
            "report me 9999-01-01..9999-12-31",
            "period '9999-01-01..9999-12-31' (9999-01-01 to 9999-12-31) is outside",
        ),
        # a `;` forgotten: these would have been stored as words of the subject, received now
        ("log email Export license status received yesterday 3pm", "“received yesterday 3pm”"),
        ("log phone Callback due Friday 5pm", "“due Friday 5pm”"),
        ("log email Fees assign <@U2|bob>", "“assign <@U2>”"),
    ],
)
def test_malformed_commands_explain_with_an_example_and_store_nothing(alice, runtime, text, says):
    before = snapshot(runtime)
    reply = alice.command(text)
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    assert reply.text.startswith(":warning: ") and says in reply.text
    assert "\nExample: `/inquiry " in reply.text
    assert snapshot(runtime) == before


def test_a_forgotten_semicolon_is_named_with_the_line_meant(alice, runtime):
    """Typed without `;`, "received yesterday 3pm" used to become part of the subject and the item
    was stored as received now: a later deadline, an on-time rate it did not earn."""
    before = snapshot(runtime)
    reply = alice.command("log email Export license status from Jane Doe received yesterday 3pm")
    assert reply.text.startswith(
        ":warning: the subject runs on into “received yesterday 3pm”; segments are separated by `;`"
    )
    assert (
        "\nExample: `/inquiry log email Export license status from Jane Doe; received yesterday 3pm`"
        in reply.text
    )
    assert snapshot(runtime) == before
    # Words that only look like a segment stay in the subject, and quotes keep any of them there.
    assert "Logged *INQ-1*" in alice.command("log email Permit received damaged").text
    assert "Logged *INQ-2*" in alice.command('log phone "Fees due Friday"; received today 9am').text
    assert "Fees due Friday" in alice.command("show INQ-2").text


def test_refusals_say_so_plainly_and_change_nothing(alice, slack, web, runtime):
    alice.command("log email Mine; received today 9am")
    know_zone(slack, web, "U2")
    before = snapshot(runtime)
    unknown = alice.command("show INQ-99")
    assert "no inquiry INQ-99" in unknown.text
    not_yours = slack.command("resolve 1", user="U2")
    assert not_yours.text.startswith(":warning: you may not resolve INQ-1")
    early = alice.command("ack 1 expect 2026-03-01 9am")
    assert "before the inquiry was received" in early.text
    assert snapshot(runtime) == before


def test_report_and_app_home_rate_come_from_the_reports_module(alice, slack, web, served):
    alice.command("log email Counted; received Monday 9am")
    alice.command("ack 1")
    mine = alice.command("report")
    assert mine.status == 200 and not mine.text.startswith(":warning:")
    assert "Reports are not available" not in mine.text
    refused = alice.command("report team")
    assert refused.text.startswith(":warning: ")  # Alice supervises nobody
    bad = alice.command("report me sometime soonish")
    assert bad.text.startswith(":warning: ") and "Example:" in bad.text
    slack.event(
        {"type": "app_home_opened", "user": "U1", "channel": "D0", "tab": "home", "event_ts": "1.1"},
        event_id="EvHome",
    )
    served.settle()
    assert "on-time first responses this rating period (Oct 1, 2025 – Sep 30, 2026)" in text_of(
        web.homes["U1"]["blocks"]
    )


def test_everyday_shorthand_and_a_misspelt_segment(alice, runtime):
    """`tmrw 4pm` was "not a date or time I can read", and `recieved yesterday 3pm` only "I don't
    understand"; the shorthand is read, and a misspelt segment word is named with the right one."""
    before = snapshot(runtime)
    typo = alice.command("log email Export license status; recieved yesterday 3pm")
    assert typo.text.startswith(
        ":warning: “recieved” is not a segment word; did you mean “received yesterday 3pm”?"
    )
    assert snapshot(runtime) == before
    logged = alice.command("log phone Callback; received yday 3pm; due tmrw 4pm because program office")
    assert "Logged *INQ-1*" in logged.text and "due Thu 5 Mar 2026, 4:00 PM EST" in logged.text
    assert "Tue 3 Mar 2026, 3:00 PM EST" in text_of(logged.json()["blocks"])


def test_an_absence_ending_tomorrow_means_the_day_after_today(alice, runtime):
    """`away Friday to tomorrow` was stored as Friday to Saturday (tomorrow read from the start, Friday),
    so the alternate covered the wrong days; "tomorrow" names a day from today, so it is refused."""
    before = snapshot(runtime)
    reply = alice.command("away Friday to tomorrow alternate <@U2|bob>")
    assert reply.text.startswith(":warning: the absence ends (“tomorrow”) before it starts")
    assert snapshot(runtime) == before
    fine = alice.command("away today to tomorrow alternate <@U2|bob>")
    assert "Thu 5 Mar 2026, 11:59 PM EST" in fine.text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("needs reserch", "needs research"),
        ("needs reseach", "needs research"),
        ("nees research", "needs research"),
        ("reserch", "needs research"),
        ("complx", "complex"),
        ("standrd; needs research", "standard"),
        ("complx needs reserch", "complex, needs research"),
    ],
)
def test_a_misspelt_complexity_gets_did_you_mean_and_stores_nothing(alice, runtime, typed, meant):
    """`needs reserch` was only "I don't understand"; like a misspelt segment word, it now names
    the words meant, and nothing is stored."""
    before = snapshot(runtime)
    reply = alice.command(f"log email X; from a@b.c; {typed}")
    wrong = typed.split(";")[0]
    assert reply.text.startswith(f":warning: I don't understand “{wrong}”; did you mean “{meant}”?")
    assert snapshot(runtime) == before


def test_two_misspelt_complexities_are_refused_by_name(alice, runtime):
    before = snapshot(runtime)
    reply = alice.command("log email X; complx, simpel")
    assert reply.text.startswith(":warning: complexity given twice (complex and simple); keep one")
    assert snapshot(runtime) == before
