"""The one-line `log` grammar: `<kind> <subject>; from …; received …; complex; needs research;
assign @user; due … because …; link <url>`. Segments after the first may come in any order."""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from bot.commands.dates import When, parse_when
from bot.commands.model import LogCommand
from bot.commands.text import free_text, shown, split_segments, unquote, user_id
from bot.errors import InputError
from bot.lifecycle.inputs import COMPLEXITIES
from bot.lifecycle.views import InquiryDraft
from bot.rendering.examples import example

EXAMPLE = example("log")
KIND_WORDS = {
    "email": "email",
    "e-mail": "email",
    "mail": "written",
    "letter": "written",
    "written": "written",
    "form": "written",
    "fax": "written",
    "phone": "phone",
    "call": "phone",
    "voicemail": "phone",
    "in-person": "in-person",
    "inperson": "in-person",
    "walk-in": "in-person",
    "visit": "in-person",
    "slack": "slack",
    "chat": "slack",
    "other": "other",
}
MAX_SUBJECT = 500
_EMAIL = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?\(?\d[\d\s().\-]{5,}\d(?:\s*(?:x|ext\.?)\s*\d+)?")
_DUE_REASON = re.compile(r"\s+(?:because|reason:?|per|set by)(?:\s+|$)", re.IGNORECASE)
# The help's grammar for an established deadline (bot/rendering/examples.py): due <when> because <reason>
DUE_EXAMPLE = (
    "/inquiry log email Export license status; received yesterday 3pm; "
    "due Friday 5pm because program office deadline"
)
_FLAG_WORDS = re.compile(r"[,\s]+")
# What a segment after the subject starts with, for "did you mean" on a misspelt one ("recieved").
SEGMENT_WORDS = ("from", "received", "due", "because", "assign", "link", *COMPLEXITIES, "research")
# The words a complexity segment is made of, for "did you mean" on a misspelt one ("needs reserch").
FLAG_WORDS = (*COMPLEXITIES, "needs", "research")
_RUN_ON = re.compile(r"\s(?:received|rcvd|due|assign)\s", re.IGNORECASE)


def parse_log(rest: str, when: When) -> LogCommand:
    segments = split_segments(rest)
    if not segments:
        raise InputError("log needs a kind and a subject", example=EXAMPLE)
    kind, subject = _kind_and_subject(segments[0])
    _no_run_on(segments, when)
    fields: dict = {"kind": kind, "subject": subject}
    seen: set[str] = set()
    for segment in segments[1:]:
        _segment(segment, fields, seen, when)
    if fields.get("due_reason") and not fields.get("due"):
        raise InputError(
            "a reason was given but no due date; add “due <when>” or drop the reason", example=DUE_EXAMPLE
        )
    return LogCommand(InquiryDraft(**fields))


def _no_run_on(segments: list[str], when: When) -> None:
    """A `;` forgotten before `received`, `due` or `assign`: the words would be stored as part of the
    subject and the item as received now, assigned to the logger, on the rule's deadline, with
    nothing to say so. Refused when the words read as that segment, with the line meant; "Permit
    received damaged" is a subject, and double quotes keep any words in it."""
    first = segments[0]
    if '"' in first:
        return
    starts = [m.start() for m in _RUN_ON.finditer(first)]
    cuts = []
    for start, end in zip(starts, [*starts[1:], len(first)]):
        try:
            _segment(first[start:end].strip(), {}, set(), when)
        except InputError:
            continue
        cuts.append(start)
    if not cuts:
        return
    pieces = [first[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(first)], strict=True)]
    raise InputError(
        f"the subject runs on into “{shown(pieces[1])}”; segments are separated by `;` "
        "(to keep those words in the subject, put it in double quotes)",
        example=free_text(f"/inquiry log {'; '.join([*pieces, *segments[1:]])}"),
    )


def _kind_and_subject(first: str) -> tuple[str, str]:
    words = first.split(" ")
    head = words[0].lower().rstrip(":,")
    if head == "in" and len(words) > 1 and words[1].lower().rstrip(":,") == "person":
        kind, subject = "in-person", " ".join(words[2:])
    elif head in KIND_WORDS:
        kind, subject = KIND_WORDS[head], " ".join(words[1:])
    else:
        raise InputError(
            f"“{shown(words[0])}” is not an inquiry kind; start with one of email, phone, written, in-person, "
            "slack, other",
            example=EXAMPLE,
        )
    subject = free_text(unquote(subject.strip(" :-")))
    if not subject:
        raise InputError(f"log needs a subject after the kind “{kind}”", example=EXAMPLE)
    if len(subject) > MAX_SUBJECT:
        raise InputError(
            f"the subject is {len(subject)} characters; keep it under {MAX_SUBJECT}", example=EXAMPLE
        )
    return kind, subject


def _segment(segment: str, fields: dict, seen: set[str], when: When) -> None:
    keyword, _, value = segment.partition(" ")
    key = keyword.lower().rstrip(":")
    value = value.strip()
    if key in ("from", "customer"):
        _once(seen, "customer", segment)
        fields["customer_name"], fields["customer_contact"] = parse_customer(value)
    elif key in ("received", "rcvd", "arrived"):
        _once(seen, "received_at", segment)
        fields["received_at"] = parse_received(_strip_word(value, "on", "at"), when)
    elif key in ("due", "deadline", "by"):
        _once(seen, "due", segment)
        date_text, *reason = _DUE_REASON.split(value, maxsplit=1)
        if reason and not reason[0].strip():
            raise InputError(
                f"“{shown(segment)}” has no reason after “because”; say who set the deadline and why: "
                "due <when> because <reason>",
                example=DUE_EXAMPLE,
            )
        fields["due"] = parse_when(
            date_text, field="due", when=when, prefer="future", day_time="close", example=DUE_EXAMPLE
        )
        if reason:
            _once(seen, "due_reason", segment)
            fields["due_reason"] = free_text(reason[0].strip())
    elif key in ("because", "reason"):
        _once(seen, "due_reason", segment)
        if not value:
            raise InputError(
                "“because” needs the reason for the established deadline: due <when> because <reason>",
                example=DUE_EXAMPLE,
            )
        fields["due_reason"] = free_text(value)
    elif key in ("assign", "assignee", "for"):
        _once(seen, "assignee", segment)
        fields["assignee"] = mention(_strip_word(value, "to"), what="assign")
    elif key in ("link", "source"):
        _once(seen, "source_link", segment)
        fields["source_link"] = value or None
    elif not _flags(segment, fields):
        flags = _misspelt_flags(segment)
        if flags:
            raise InputError(
                f"I don't understand “{shown(segment)}”; did you mean “{flags}”?", example=EXAMPLE
            )
        close = difflib.get_close_matches(key, SEGMENT_WORDS, n=1, cutoff=0.75)
        if close:
            meant = f"{close[0]} {value}".strip()
            raise InputError(
                f"“{shown(keyword)}” is not a segment word; did you mean “{shown(meant)}”?", example=EXAMPLE
            )
        raise InputError(
            f"I don't understand “{shown(segment)}”; after the subject use from …, received …, due …, "
            "assign @user, or the words simple, standard, complex, needs research",
            example=EXAMPLE,
        )


def _misspelt_flags(segment: str) -> str | None:
    """The complexity and needs-research words `segment` reads as once each misspelt word is put
    right ("needs reserch" -> "needs research", "complx" -> "complex"); None when it does not."""
    words = [w for w in _FLAG_WORDS.split(segment.lower()) if w]
    meant: list[str] = []
    for word in words:
        close = (
            [word] if word in FLAG_WORDS else difflib.get_close_matches(word, FLAG_WORDS, n=1, cutoff=0.75)
        )
        if not close:
            return None
        if close[0] == "research" and meant[-1:] == ["needs"]:
            meant[-1] = "needs research"
        elif close[0] == "research":
            meant.append("needs research")  # the flag as it is documented
        else:
            meant.append(close[0])
    if meant == words or "needs" in meant or len(set(meant)) < len(meant):
        return None
    text = ", ".join(meant)
    return text if _flags(text, {}) else None  # two complexities are refused there, by name


def _flags(segment: str, fields: dict) -> bool:
    """Complexity and needs-research words, alone or together ("complex, needs research")."""
    words = [w for w in _FLAG_WORDS.split(segment.lower()) if w]
    found: dict = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word in COMPLEXITIES:
            if "complexity" in found and found["complexity"] != word:
                raise InputError(
                    f"complexity given twice ({found['complexity']} and {word}); keep one", example=EXAMPLE
                )
            found["complexity"] = word
        elif word in ("needs-research", "research"):
            found["needs_research"] = True
        elif word == "needs" and i + 1 < len(words) and words[i + 1] == "research":
            found["needs_research"] = True
            i += 1
        else:
            return False
        i += 1
    if "complexity" in found and fields.get("complexity", found["complexity"]) != found["complexity"]:
        raise InputError(
            f"complexity given twice ({fields['complexity']} and {found['complexity']}); keep one",
            example=EXAMPLE,
        )
    fields.update(found)
    return bool(found)


def _once(seen: set[str], key: str, segment: str) -> None:
    if key in seen:
        raise InputError(f"“{shown(segment)}” repeats something already given; say it once", example=EXAMPLE)
    seen.add(key)


def _strip_word(value: str, *words: str) -> str:
    head, _, tail = value.partition(" ")
    return tail.strip() if head.lower() in words and tail.strip() else value


def parse_received(text: str, when: When) -> datetime:
    received = parse_when(text, field="received", when=when, prefer="past", day_time="start", example=EXAMPLE)
    if received > when.now:
        raise InputError(
            f"received “{text}” is in the future; log an inquiry once it has arrived (e.g. received today 9am)",
            example=EXAMPLE,
        )
    return received


def parse_customer(value: str) -> tuple[str | None, str | None]:
    """ "Jane Doe <jane@example.gov>", "jane@x.gov", "Jane Doe, 202-555-0100" -> (name, contact)."""
    value = free_text(value)
    match = _EMAIL.search(value) or _PHONE.search(value)
    contact = None
    if match and (match.re is _EMAIL or sum(c.isdigit() for c in match.group()) >= 7):
        contact = match.group().strip()
        value = value[: match.start()] + " " + value[match.end() :]
    name = re.sub(r"\s+", " ", value).strip(" <>()[],;:-—\"'") or None
    if name is None and contact is None:
        raise InputError("“from” needs the customer's name and/or contact", example=EXAMPLE)
    if name and len(name) > 200:
        raise InputError("the customer name is too long; keep it under 200 characters", example=EXAMPLE)
    return name, contact


def mention(value: str, *, what: str) -> str:
    uid = user_id(value)
    if uid is None:
        raise InputError(
            f"{what} needs one person as an @-mention; “{shown(value) or '(nothing)'}” is not one — "
            "pick the name from Slack's @ list so it turns into a link",
            example={"reassign": example("reassign"), "alternate": example("away")}.get(what, EXAMPLE),
        )
    return uid
