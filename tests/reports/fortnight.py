"""A scripted fortnight for the report tests, driven through InquiryService with a FixedClock.

Mon 2 – Sun 15 Nov 2026, team `support`, America/New_York (EST, UTC-5 all fortnight), `department`
preset: 1 business day (close of business the next business day), 2 with needs research. Wednesday
11 Nov is Veterans Day (closed). Hand-computed expectations live in the tests; the story:

INQ-1  A  Mon 2 09:30 email; ack Mon 11:30 (2.0 h, on time) expect Fri 6 17:00; resolved Thu 5; feedback 5 "Quick and clear"
INQ-2  B  Mon 2 14:00 phone; due Tue 3 17:00; ack Wed 4 10:00 (12.0 h, LATE) expect Mon 9 17:00; update Fri 6;
          resolved Tue 10 12:00 (promise missed, but customer apprised); feedback 3 "Took a while"
INQ-3  A  Tue 3 10:00 needs research (2 days) due Thu 5 17:00; ack Thu 16:00 (22.0 h, on time); resolved Fri 6
INQ-4  C  Wed 4 09:00 established deadline Wed 12:00 ("Congressional inquiry"); ack 11:00 (2.0 h) expect Thu 5 17:00;
          no update, not resolved (promise missed, not apprised; overdue now)
INQ-5  B→A Thu 5 10:00 due Fri 6 17:00; supervisor reassigns to A Fri 09:30; A acks Fri 15:00 (13.0 h, on time);
          resolved Mon 9; feedback 4 (no comment)
INQ-6  C  Fri 6 16:00 due Mon 9 17:00; C escalates Mon 9 16:00 "waiting on legal"; never answered (missed, overdue)
INQ-7  A  Mon 9 10:00 written (7 calendar days) due Mon 16 17:00 (after the fortnight); ack Tue 10 10:00 (8.0 h)
INQ-8  C  Mon 9 11:00; closed as duplicate Mon 11:30 without a response (never counts as missed)
       A is away Wed 11 00:00 – Sat 14 00:00, alternate B (recorded Tue 10 17:30)
INQ-9  C logs for A Tue 10 10:00, due Thu 12 17:00 (Veterans Day skipped); covered to B Wed 11 00:01;
          B acks Thu 12 09:30 (7.5 h, on time)
INQ-10 C logs for A Thu 12 10:00 (A away → B), due Fri 13 17:00; B acks Fri 17:30 (15.0 h, LATE)
INQ-11 B  Fri 13 10:00, due Mon 16 17:00; still open
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.loading import config_from_dict
from bot.lifecycle import InquiryDraft, InquiryService
from bot.lifecycle.outcome_job import decide_fallen
from bot.time.clock import FixedClock

EST = ZoneInfo("America/New_York")
A, B, C, SUP, ADMIN, OTHER, OTHER_SUP = "UALICE", "UBOB", "UCAROL", "USUE", "UADMIN", "UDAN", "USAM"
LINK6 = "https://example.slack.com/archives/C0SUPPORT/p1762462800000100"

CONFIG = {
    "admins": [ADMIN],
    "teams": {
        "support": {
            "members": [A, B, C],
            "supervisors": [SUP],
            "channel": "CSUPPORT",
            "escalation_channel": "CESC",
        },
        "exports": {"members": [OTHER], "supervisors": [OTHER_SUP], "channel": "CEXPORTS"},
    },
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in November 2026, New York time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=EST)


REPORT_NOW = at(16, 8)  # Mon 16 Nov 08:00, before the office opens
DIGEST_NOW = at(16, 9)


def play(sessions) -> dict[str, int]:
    """Run the fortnight; returns {"INQ-1": id, ...} (names as in the story above)."""
    clock = FixedClock(at(2, 9, 30))
    service = InquiryService(sessions, config_from_dict(CONFIG), clock)
    ids: dict[str, int] = {}

    def step(when: datetime) -> None:
        clock.set(when)

    def log(name: str, actor: str, **draft) -> None:
        values = {"kind": "email", "subject": f"Question {name}"}
        values.update(draft)
        ids[name] = service.log(actor=actor, draft=InquiryDraft(**values)).id

    # A timeline, one moment per line: the formatter leaves it as written.
    # fmt: off
    step(at(2, 9, 30)); log("INQ-1", A)
    step(at(2, 11, 30)); service.acknowledge(actor=A, inquiry_id=ids["INQ-1"], expect=at(6, 17))
    step(at(2, 14)); log("INQ-2", B, kind="phone")
    step(at(3, 10)); log("INQ-3", A, needs_research=True)
    step(at(4, 9)); log("INQ-4", C, due=at(4, 12), due_reason="Congressional inquiry")
    step(at(4, 10)); service.acknowledge(actor=B, inquiry_id=ids["INQ-2"], expect=at(9, 17))
    step(at(4, 11)); service.acknowledge(actor=C, inquiry_id=ids["INQ-4"], expect=at(5, 17))
    step(at(5, 10)); service.resolve(actor=A, inquiry_id=ids["INQ-1"])
    log("INQ-5", B)
    step(at(5, 16)); service.acknowledge(actor=A, inquiry_id=ids["INQ-3"])
    step(at(6, 9, 30)); service.reassign(actor=SUP, inquiry_id=ids["INQ-5"], to=A)
    step(at(6, 10)); service.feedback(actor=SUP, inquiry_id=ids["INQ-1"], score=5, comment="Quick and clear")
    service.update(actor=B, inquiry_id=ids["INQ-2"], note="Waiting on the licensing office")
    step(at(6, 11)); service.resolve(actor=A, inquiry_id=ids["INQ-3"])
    step(at(6, 15)); service.acknowledge(actor=A, inquiry_id=ids["INQ-5"])
    step(at(6, 16)); log("INQ-6", C, source_link=LINK6, subject="Tariff classification")
    step(at(9, 10)); service.resolve(actor=A, inquiry_id=ids["INQ-5"])
    log("INQ-7", A, kind="written")
    step(at(9, 11)); service.feedback(actor=SUP, inquiry_id=ids["INQ-5"], score=4)
    log("INQ-8", C)
    step(at(9, 11, 30)); service.close(actor=C, inquiry_id=ids["INQ-8"], reason="duplicate", original=ids["INQ-7"])
    step(at(9, 16)); service.escalate(actor=C, inquiry_id=ids["INQ-6"], reason="waiting on legal")
    step(at(10, 10)); service.acknowledge(actor=A, inquiry_id=ids["INQ-7"])
    log("INQ-9", C, assignee=A)
    step(at(10, 12)); service.resolve(actor=B, inquiry_id=ids["INQ-2"])
    step(at(10, 13)); service.feedback(actor=SUP, inquiry_id=ids["INQ-2"], score=3, comment="Took a while")
    step(at(10, 17, 30)); service.away(actor=A, start=at(11, 0), end=at(14, 0), alternate=B)
    step(at(11, 0, 1)); service.cover_absences()
    step(at(12, 9, 30)); service.acknowledge(actor=B, inquiry_id=ids["INQ-9"])
    step(at(12, 10)); log("INQ-10", C, assignee=A)
    step(at(13, 10)); log("INQ-11", B)
    step(at(13, 17, 30)); service.acknowledge(actor=B, inquiry_id=ids["INQ-10"])
    # The scheduler decides, at their deadlines, what fell unanswered (docs/outcomes.md).
    step(REPORT_NOW); decide_fallen(sessions, service.config, clock)
    return ids


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


WEEK = timedelta(days=7)


def block_texts(blocks):
    """Every mrkdwn / plain text of a Block Kit list, in order."""
    for block in blocks:
        if isinstance(block.get("text"), dict):
            yield block["text"]["text"]
        for field in block.get("fields", []):
            yield field["text"]
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                yield element["text"]
