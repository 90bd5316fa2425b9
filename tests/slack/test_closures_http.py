"""`/inquiry closure …` over real HTTP: an admin declares, lists and cancels; the holder and the
team channel are told once; everyone else, and bad input, get a clear ephemeral refusal and
nothing is stored."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.models import Closure, Deadline
from tests.slack.helpers import count, know_zone, snapshot, text_of

ET = ZoneInfo("America/New_York")


@pytest.fixture
def admin(slack, web):
    web.add_user("UADMIN", tz="America/New_York", name="ada")
    know_zone(slack, web, "UADMIN")
    know_zone(slack, web, "U1")
    return slack


def test_admin_declares_a_snow_day_the_holder_and_channel_hear_once(admin, web, deliver, runtime):
    admin.command("log email Records request")  # Wed 4 Mar 10:00: due Thu 5 Mar 17:00
    reply = admin.command("closure add 2026-03-05 weather", user="UADMIN")
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    assert reply.text == (
        ":white_check_mark: Declared closure #1: Office closed Thu 5 Mar 2026 (weather) — "
        "every team; 1 pending deadline re-planned."
    )
    deliver()
    [dm] = web.dms_to("U1")[-1:]
    assert "INQ-1: now due Fri 6 Mar 2026 17:00 EST (was Thu 5 Mar 2026 17:00 EST)" in dm["text"]
    posts = [p for p in web.calls_to("chat.postMessage") if p["channel"] == "CTEAM"]
    assert [p["text"] for p in posts] == [
        "Office closed Thu 5 Mar 2026 (weather), declared by <@UADMIN>. 1 item moved; "
        "first responses now due Fri 6 Mar 2026 17:00 EST."
    ]
    explained = admin.command("explain 1")
    shown = text_of(explained.json()["blocks"])
    assert "(version 2, current) Fri 6 Mar 2026 17:00 EST" in shown
    assert "Re-planned: office closed: weather, declared by" in shown and "at 10:00" in shown
    listed = admin.command("closure list", user="UADMIN")
    assert listed.text.startswith("#1 Office closed Thu 5 Mar 2026 (weather) — declared by <@UADMIN>")
    cancelled = admin.command("closure cancel 1", user="UADMIN")
    assert cancelled.text.startswith(":white_check_mark: Cancelled closure #1")
    assert count(runtime, Deadline) == 3


def test_delayed_and_early_partial_days(admin, runtime):
    assert (
        "Delayed arrival (opens 11:00) Thu 5 Mar 2026 (weather)"
        in admin.command("closure delayed 2026-03-05 until 11:00 weather", user="UADMIN").text
    )
    assert (
        "Early dismissal (closes 15:00) Fri 6 Mar 2026 for team desk (ice)"
        in admin.command("closure early 2026-03-06 from 15:00 team desk ice", user="UADMIN").text
    )
    assert count(runtime, Closure) == 2


@pytest.mark.parametrize(
    "user, text, says",
    [
        ("U1", "closure add 2026-03-05 weather", "only admins may declare closures"),
        ("U1", "closure list", "only admins may list closures"),
        (
            "UADMIN",
            "closure add 2026-03-06..2026-03-05 weather",
            "the range ends (2026-03-05) before it starts",
        ),
        ("UADMIN", "closure delayed 2026-03-05 until 8:00 weather", "outside the working hours"),
        ("UADMIN", "closure early 2026-03-05 from 17:30 weather", "outside the working hours"),
        ("UADMIN", "closure add 2026-03-05 team nope weather", "unknown team 'nope'"),
        ("UADMIN", "closure add 2026-03-02 weather", "is in the past for team desk"),
        ("UADMIN", "closure add 2026-03-05", "needs a reason"),
        (
            "UADMIN",
            "closure early 2026-03-07 from 13:00 weather",
            "Sat 7 Mar 2026 is already closed for team desk (Saturday); an early dismissal there changes nothing",
        ),
        ("UADMIN", "closure delayed 2026-03-05 weather", "needs “until HH:MM”"),
        ("UADMIN", "closure cancel 9", "no closure #9"),
        ("UADMIN", "closure shut 2026-03-05 x", "is not a closure action"),
        # 9999-12-31 was "something went wrong on our side"; 1850 and 2300 were declared
        (
            "UADMIN",
            "closure add 9999-12-31 weather",
            "the date “9999-12-31” is outside the years the bot works in",
        ),
        ("UADMIN", "closure add 1850-01-01 past weather", "give a date from 1970 to 2199"),
        ("UADMIN", "closure add 2300-01-01 weather", "the date “2300-01-01” is outside the years"),
        ("UADMIN", "closure add 2026-03-05..10000-01-01 weather", "the last day “10000-01-01” is outside"),
    ],
)
def test_refusals_are_ephemeral_and_store_nothing(admin, runtime, user, text, says):
    admin.command("log email Records request")
    before = snapshot(runtime), count(runtime, Closure), count(runtime, Deadline)
    reply = admin.command(text, user=user)
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    assert reply.text.startswith(":warning: ") and says in reply.text
    assert (snapshot(runtime), count(runtime, Closure), count(runtime, Deadline)) == before


def test_a_closure_identical_to_a_live_one_is_refused_naming_it(admin, web, deliver, runtime):
    assert admin.command("closure add 2026-03-05 to 2026-03-06 weather", user="UADMIN").text.startswith(
        ":white_check_mark: Declared closure #1"
    )
    deliver()
    before = snapshot(runtime), count(runtime, Closure), len(web.calls_to("chat.postMessage"))
    again = admin.command("closure add 2026-03-05..2026-03-06 snow", user="UADMIN")
    assert again.json()["response_type"] == "ephemeral"
    assert again.text == (
        ":warning: closure #1 already declares that: Office closed Thu 5 Mar – Fri 6 Mar 2026 (weather), "
        "declared by <@UADMIN>; nothing stored (to change its reason, cancel #1 and declare it again)"
    )
    deliver()
    assert (snapshot(runtime), count(runtime, Closure), len(web.calls_to("chat.postMessage"))) == before


def test_ranges_team_and_past_days_declared_and_only_admins_cancel(admin, runtime):
    admin.command("log email Records request")  # Wed 4 Mar 10:00: due Thu 5 Mar 17:00
    ranged = admin.command("closure add 2026-03-05 to 2026-03-06 weather", user="UADMIN")
    assert ranged.text == (
        ":white_check_mark: Declared closure #1: Office closed Thu 5 Mar – Fri 6 Mar 2026 (weather) — "
        "every team; 1 pending deadline re-planned."
    )
    dotted = admin.command(
        "closure add 2026-03-09..2026-03-10 team desk lapse in appropriations", user="UADMIN"
    )
    assert dotted.text.endswith(
        "for team desk (lapse in appropriations) — team desk; 1 pending deadline re-planned."
    )
    past = admin.command("closure add 2026-03-02 past power outage", user="UADMIN")  # records; moves nothing
    assert past.text.endswith(
        "Office closed Mon 2 Mar 2026 (power outage) — every team; 0 pending deadlines re-planned."
    )
    with runtime.sessions() as s:
        dues = s.scalars(select(Deadline.due_at).where(Deadline.inquiry_id == 1).order_by(Deadline.id)).all()
    assert [d.astimezone(ET).strftime("%a %d %H:%M") for d in dues] == [
        "Thu 05 17:00",
        "Mon 09 17:00",
        "Wed 11 17:00",
    ]

    before = snapshot(runtime), count(runtime, Closure), count(runtime, Deadline)
    refused = admin.command("closure cancel 1", user="U1")
    assert refused.json()["response_type"] == "ephemeral"
    assert refused.text.startswith(":warning: only admins may cancel closures")
    assert (snapshot(runtime), count(runtime, Closure), count(runtime, Deadline)) == before
    listed = admin.command("closure list", user="UADMIN").text.splitlines()
    assert [line.split(" — ")[0] for line in listed] == [
        "#1 Office closed Thu 5 Mar – Fri 6 Mar 2026 (weather)",
        "#2 Office closed Mon 9 Mar – Tue 10 Mar 2026 for team desk (lapse in appropriations)",
        "#3 Office closed Mon 2 Mar 2026 (power outage)",
    ]
    assert all(line.endswith("; live") for line in listed)
