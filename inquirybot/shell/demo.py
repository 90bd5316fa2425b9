"""`inquirybot shell --demo`: a realistic fortnight for the demo team, played through the same
lifecycle service the Slack commands use, with the clock walked forward — so reports, App Home and
the Monday digest have something to show. Messages the bot sent during the fortnight are not printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from bot.lifecycle import InquiryDraft, InquiryService
from bot.time.calendar import BusinessCalendar
from inquirybot.shell.driver import ShellSession

ALICE, BOB, CAROL, DAN = "U0ALICE", "U0BOB", "U0CAROL", "U0DAN"


@dataclass(frozen=True)
class Step:
    day: int  # business-week day offset from the fortnight's first Monday (0..11)
    at: str  # local "HH:MM"
    actor: str
    action: str  # log | ack | update | resolve | reassign | feedback | away
    args: dict[str, Any]


def _log(ref: str, kind: str, subject: str, **extra: Any) -> dict[str, Any]:
    return {"ref": ref, "kind": kind, "subject": subject, **extra}


STEPS: tuple[Step, ...] = (
    Step(
        0,
        "09:10",
        ALICE,
        "log",
        _log(
            "a",
            "email",
            "Export license status",
            customer_name="Jane Doe",
            customer_contact="jane@example.com",
        ),
    ),
    Step(
        0,
        "09:40",
        BOB,
        "log",
        _log("b", "phone", "Tariff classification of solar panels", needs_research=True),
    ),
    Step(
        0,
        "11:05",
        ALICE,
        "log",
        _log("c", "written", "Letter: certificate of origin", customer_name="Acme Corp"),
    ),
    Step(
        0,
        "15:30",
        ALICE,
        "ack",
        {"ref": "a", "expect_days": 3, "note": "Pulled the file; answer by Thursday"},
    ),
    Step(1, "10:00", BOB, "ack", {"ref": "b", "expect_days": 4, "note": "Asked CBP for the ruling"}),
    Step(
        1, "13:15", BOB, "log", _log("d", "email", "Trade mission registration deadline", complexity="simple")
    ),
    Step(1, "14:00", BOB, "resolve", {"ref": "d", "note": "Sent the registration link"}),
    Step(2, "09:30", ALICE, "log", _log("e", "phone", "Sanctions screening question", complexity="complex")),
    Step(2, "16:45", ALICE, "log", _log("f", "email", "Duty drawback refund", assignee=BOB)),
    Step(3, "10:20", DAN, "ack", {"ref": "e", "expect_days": 5, "note": "Checking the consolidated list"}),
    Step(3, "11:00", ALICE, "resolve", {"ref": "a", "note": "License approved; customer informed"}),
    Step(4, "09:15", BOB, "ack", {"ref": "f", "expect_days": 2, "note": "Late: missed it yesterday"}),
    Step(4, "12:00", ALICE, "ack", {"ref": "c", "expect_days": 3, "note": "Drafting reply letter"}),
    Step(4, "15:00", CAROL, "feedback", {"ref": "a", "score": 5, "comment": "Fast and clear, thank you"}),
    Step(5, "09:05", BOB, "away", {"days": 2, "alternate": ALICE}),
    Step(
        5,
        "10:30",
        ALICE,
        "log",
        _log("g", "email", "Market research request: Vietnam", assignee=BOB, needs_research=True),
    ),
    Step(
        5, "14:00", BOB, "log", _log("h", "slack", "Question from the district office", complexity="simple")
    ),
    Step(6, "11:30", ALICE, "ack", {"ref": "g", "expect_days": 4, "note": "Covering for Bob"}),
    # b moved to Alice while Bob was away; she holds it, so she records the answer (docs/record.md)
    Step(7, "09:45", ALICE, "resolve", {"ref": "b", "note": "Ruling received and shared"}),
    Step(7, "10:00", ALICE, "feedback", {"ref": "b", "score": 4, "comment": "Took a while but thorough"}),
    Step(7, "14:20", ALICE, "log", _log("i", "email", "Invoice dispute for trade show booth")),
    Step(7, "16:00", CAROL, "reassign", {"ref": "c", "to": BOB}),
    Step(8, "09:00", DAN, "update", {"ref": "e", "note": "Waiting on legal review"}),
    Step(8, "13:00", ALICE, "resolve", {"ref": "f", "note": "Refund filed (covered while Bob was away)"}),
    Step(
        8,
        "15:10",
        BOB,
        "log",
        _log(
            "j",
            "phone",
            "Steel import quota",
            due_days=1,
            due_reason="Program deadline set by the supervisor",
        ),
    ),
    Step(9, "10:30", ALICE, "ack", {"ref": "i", "expect_days": 2, "note": "Asked finance"}),
    Step(9, "11:00", BOB, "resolve", {"ref": "c", "note": "Letter mailed"}),
)


def _business_day(first_monday: datetime, index: int) -> datetime:
    week, weekday = divmod(index, 5)
    return first_monday + timedelta(days=7 * week + weekday)


def load_demo(session: ShellSession) -> str:
    now = session.clock.now()
    config = session.runtime.config
    team = next(iter(config.teams.values()))
    zone = team.calendar.tz
    local_now = now.astimezone(zone)
    first_monday = datetime.combine(local_now.date() - timedelta(days=local_now.weekday() + 14), time(), zone)
    service = session.services.inquiries  # the same service the app answers with
    ids: dict[str, int] = {}
    mark = len(session.web.calls)
    for step in STEPS:
        hour, minute = map(int, step.at.split(":"))
        when = _business_day(first_monday, step.day).replace(hour=hour, minute=minute)
        if when >= now:
            break
        session.clock.set(when)
        _play(service, team.calendar, step, ids, when)
        session.run_scheduler()  # the demo replays the scheduler as time passes
    session.clock.set(now)
    # Dan is away from now on, so :say can show the out-of-office answer in a thread.
    back = datetime.combine(local_now.date() + timedelta(days=3), time(9), zone)
    service.away(actor=DAN, start=now, end=back, alternate=ALICE)
    session.run_scheduler()
    del session.web.calls[mark:]  # what was sent during the fortnight is history, not news
    tour = "\n".join(f"  {command:<58} {what}" for command, what in TOUR)
    return (
        f"demo: {len(ids)} inquiries over the last fortnight for team {team.name}; "
        f"@dan is away until {session.local(back)} (@alice covers).\nTry each once:\n{tour}"
    )


# One line per thing the shell can do, each working on the demo's data (tests/test_shell_tour.py
# plays them in this order).
TOUR: tuple[tuple[str, str], ...] = (
    ("/inquiry list", "your open items (you are @alice)"),
    ("/inquiry show INQ-9", "one card, with its buttons"),
    (":click Post update", "the Post update form, filled in field by field"),
    ("/inquiry link INQ-9", "the customer's feedback link for your answer"),
    (":open", "be the customer: the page that link opens"),
    (":rate 5 Clear and quick, thank you", "rate as the customer; your DM and report show it"),
    ("/inquiry", "the new-inquiry form (/inquiry alone)"),
    (":say #trade-team Hi @dan, any news on the sanctions check?", "post as yourself: Dan's away answer"),
    (":shortcut", "log that message as an inquiry (message shortcut)"),
    (":home", "your App Home; :click Set away there opens that form"),
    (":time in 2 days", "move the clock (same time of day); nudges appear"),
    (":as carol", "act as the supervisor"),
    ("/inquiry report team", "the team's report"),
)


def _on_a_business_day(calendar: BusinessCalendar, when: datetime) -> datetime:
    """A promise the script makes lands on a day the office is open, as a careful employee's would."""
    while not calendar.is_business_day(when.date()):
        when += timedelta(days=1)
    return when


def _play(
    service: InquiryService, calendar: BusinessCalendar, step: Step, ids: dict[str, int], when: datetime
) -> None:
    a = step.args
    if step.action == "log":
        # An established deadline: close of business `due_days` calendar days on (weekdays in the script).
        due = (when + timedelta(days=a["due_days"])).replace(hour=17, minute=0) if "due_days" in a else None
        view = service.log(
            actor=step.actor,
            draft=InquiryDraft(
                kind=a["kind"],
                subject=a["subject"],
                customer_name=a.get("customer_name"),
                customer_contact=a.get("customer_contact"),
                received_at=when,
                complexity=a.get("complexity", "standard"),
                needs_research=a.get("needs_research", False),
                assignee=a.get("assignee"),
                due=due,
                due_reason=a.get("due_reason"),
            ),
        )
        ids[a["ref"]] = view.id
    elif step.action == "ack":
        service.acknowledge(
            actor=step.actor,
            inquiry_id=ids[a["ref"]],
            expect=_on_a_business_day(calendar, when + timedelta(days=a["expect_days"])),
            note=a["note"],
        )
    elif step.action == "update":
        service.update(actor=step.actor, inquiry_id=ids[a["ref"]], note=a["note"])
    elif step.action == "resolve":
        service.resolve(actor=step.actor, inquiry_id=ids[a["ref"]], note=a["note"])
    elif step.action == "reassign":
        service.reassign(actor=step.actor, inquiry_id=ids[a["ref"]], to=a["to"])
    elif step.action == "feedback":
        service.feedback(actor=step.actor, inquiry_id=ids[a["ref"]], score=a["score"], comment=a["comment"])
    elif step.action == "away":
        service.away(
            actor=step.actor, start=when, end=when + timedelta(days=a["days"]), alternate=a["alternate"]
        )
