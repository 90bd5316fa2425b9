"""`/inquiry <subcommand> …` -> a typed command, or InputError naming the problem with an example.

Parsing never touches the database: a command that fails here stores nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal, overload

from bot.commands.closure import ClosureCommand, parse_closure
from bot.commands.dates import SHORTHAND, When, parse_snooze, parse_when
from bot.commands.log import KIND_WORDS, mention, parse_log
from bot.commands.model import (
    AckCommand,
    AwayCommand,
    BackCommand,
    CloseCommand,
    Command,
    DecideDisputeCommand,
    DisputeCommand,
    EscalateCommand,
    ExplainCommand,
    FeedbackCommand,
    HelpCommand,
    LinkCommand,
    ListCommand,
    NewCommand,
    ReassignCommand,
    ReportCommand,
    ResolveCommand,
    ShowCommand,
    SnoozeCommand,
    UpdateCommand,
)
from bot.commands.text import free_text, normalize, shown, split_segments, user_id
from bot.errors import InputError
from bot.lifecycle.inputs import CLOSE_REASONS, KIND_NAMES
from bot.rendering.examples import ALIASES, USAGE, example

_ID = re.compile(r"^(?:inq[-_ ]?|#)?0*(\d{1,9})$", re.IGNORECASE)
# What a duplicate duplicates: "of INQ-9", "INQ-9", "of #9", "9", then any note.
_ORIGINAL = re.compile(r"^(?:of\s+)?((?:inq[-_ ]?|#)?\d{1,9})\b[\s,;:]*(.*)$", re.IGNORECASE | re.DOTALL)
_EXPECT = re.compile(r"^(?:expect(?:ed|ing)?|eta|by)\b:?\s*", re.IGNORECASE)
_AWAY = re.compile(
    r"^(?P<span>.+?)[\s,;]+(?:alternate|alt|backup|covered by|cover)\b:?\s*(?P<who>.*)$", re.IGNORECASE
)
_RANGE = re.compile(r"\s+(?:to|until|till|through|thru|-|–|—)\s+", re.IGNORECASE)
_SCORE = re.compile(r"^([1-5])(?:/5|\s*stars?)?$", re.IGNORECASE)
MAX_NOTE = 2000
# Every subcommand's result: the model's commands and the admins' `closure` (bot/commands/closure.py).
Parsed = Command | ClosureCommand


def subcommand_name(raw: str) -> str:
    """Which subcommand the text asks for ("" for none), aliases resolved; not validated."""
    head = normalize(raw).partition(" ")[0].lower()
    return ALIASES.get(head, head)


def parse_command(raw: str, *, when: When) -> Parsed:
    """Read the text after `/inquiry` (exactly as Slack sends it)."""
    text = normalize(raw)
    if not text:
        return NewCommand()
    head, _, rest = text.partition(" ")
    name = subcommand_name(head)
    parse = _PARSERS.get(name)
    if parse is None:
        raise InputError(_unknown(head), example=example("help"))
    return parse(rest.strip(), when)


def _unknown(head: str) -> str:
    if head.lower() in KIND_WORDS:
        return f"“{shown(head)}” is a kind, not a subcommand; to log it start with “log”: /inquiry log {head.lower()} …"
    close = difflib.get_close_matches(head.lower(), list(USAGE) + list(ALIASES), n=1, cutoff=0.6)
    hint = f" Did you mean “{ALIASES.get(close[0], close[0])}”?" if close else ""
    return f"“{shown(head)}” is not an /inquiry subcommand.{hint} Subcommands: {', '.join(USAGE)}"


def inquiry_id(token: str, name: str) -> int:
    match = _ID.match(token.strip())
    if not match or int(match.group(1)) == 0:
        what = f"“{shown(token)}” is not an inquiry id" if token.strip() else f"{name} needs an inquiry id"
        raise InputError(f"{what}; use its number, e.g. INQ-12 or 12", example=example(name))
    return int(match.group(1))


def _id_and_rest(rest: str, name: str) -> tuple[int, str]:
    head, _, tail = rest.partition(" ")
    # "INQ 12" written with a space
    if head.lower() == "inq" and tail:
        number, _, tail = tail.partition(" ")
        head = f"INQ-{number}"
    head = head.rstrip(":,;")
    return inquiry_id(head, name), tail.strip()


@overload
def _note(text: str, name: str, *, required: Literal[True]) -> str: ...
@overload
def _note(text: str, name: str, *, required: bool = False) -> str | None: ...
def _note(text: str, name: str, *, required: bool = False) -> str | None:
    note = free_text(text.strip(" ;"))
    if not note:
        if required:
            raise InputError(f"{name} needs a note saying what changed", example=example(name))
        return None
    if len(note) > MAX_NOTE:
        raise InputError(
            f"the note is {len(note)} characters; keep it under {MAX_NOTE}", example=example(name)
        )
    return note


def _expect(text: str, when: When, name: str) -> datetime:
    return parse_when(
        _EXPECT.sub("", text, count=1),
        field="expect",
        when=when,
        prefer="future",
        day_time="close",
        example=example(name),
    )


def _log(rest: str, when: When) -> Command:
    return parse_log(rest, when)


def _new(rest: str, when: When) -> NewCommand:
    return NewCommand(subject=free_text(rest) or None)


def _list(rest: str, when: When) -> ListCommand:
    word = rest.strip().lower()
    if word in ("", "mine", "me", "my"):
        return ListCommand("mine")
    if word in ("team", "overdue"):
        return ListCommand(word)
    if uid := user_id(rest):
        return ListCommand(uid)
    raise InputError(
        f"list shows mine, team, overdue or @someone, not “{shown(rest)}”", example=example("list")
    )


def _show(rest: str, when: When) -> ShowCommand:
    number, _ = _id_and_rest(rest, "show")
    return ShowCommand(number)


def _explain(rest: str, when: When) -> ExplainCommand:
    number, _ = _id_and_rest(rest, "explain")
    return ExplainCommand(number)


def _ack(rest: str, when: When) -> AckCommand:
    segments = split_segments(rest) or [""]
    number, first = _id_and_rest(segments[0], "ack")
    expect, notes = None, []
    for part in [first, *segments[1:]]:
        if not part:
            continue
        if _EXPECT.match(part):
            if expect is not None:
                raise InputError("expect is given twice; say it once", example=example("ack"))
            expect = _expect(part, when, "ack")
        else:
            notes.append(re.sub(r"^note:?\s*", "", part, flags=re.IGNORECASE))
    return AckCommand(number, expect=expect, note=_note("; ".join(notes), "ack"))


def _update(rest: str, when: When) -> UpdateCommand:
    segments = split_segments(rest) or [""]
    number, first = _id_and_rest(segments[0], "update")
    expect, notes = None, []
    for part in [first, *segments[1:]]:
        if part and _EXPECT.match(part) and part.split(" ", 1)[0].lower().startswith(("expect", "eta")):
            if expect is not None:
                raise InputError("expect is given twice; say it once", example=example("update"))
            expect = _expect(part, when, "update")
        elif part:
            notes.append(part)
    return UpdateCommand(number, note=_note("; ".join(notes), "update", required=True), expect=expect)


def _resolve(rest: str, when: When) -> ResolveCommand:
    number, note = _id_and_rest(rest, "resolve")
    return ResolveCommand(number, note=_note(note, "resolve"))


def _close(rest: str, when: When) -> CloseCommand:
    number, tail = _id_and_rest(rest, "close")
    reason, _, note = tail.partition(" ")
    reason = reason.lower().rstrip(":,;")
    if reason not in CLOSE_REASONS:
        raise InputError(
            f"close needs a reason: duplicate or withdrawn, not “{shown(reason) or 'nothing'}”",
            example=example("close"),
        )
    original = None
    if reason == "duplicate":
        found = _ORIGINAL.match(note.strip())
        if not found:
            raise InputError(
                "close … duplicate needs the item it duplicates, as in “duplicate of INQ-9”",
                example=example("close"),
            )
        original, note = inquiry_id(found.group(1), "close"), found.group(2)
    elif not note.strip():
        raise InputError(
            "close … withdrawn needs a note: who withdrew it, and how (it takes the item's deadlines away)",
            example="/inquiry close INQ-12 withdrawn the customer called to say it is settled",
        )
    return CloseCommand(number, reason=reason, note=_note(note, "close"), original=original)


def _reassign(rest: str, when: When) -> ReassignCommand:
    number, tail = _id_and_rest(rest, "reassign")
    tail = re.sub(r"^to\s+", "", tail, flags=re.IGNORECASE)
    return ReassignCommand(number, to=mention(tail, what="reassign"))


def _escalate(rest: str, when: When) -> EscalateCommand:
    number, reason = _id_and_rest(rest, "escalate")
    return EscalateCommand(number, reason=_note(reason, "escalate"))


def _snooze(rest: str, when: When) -> SnoozeCommand:
    number, tail = _id_and_rest(rest, "snooze")
    duration = parse_snooze(tail, example=example("snooze")) if tail else timedelta(hours=1)
    return SnoozeCommand(number, duration)


def _feedback(rest: str, when: When) -> FeedbackCommand:
    number, tail = _id_and_rest(rest, "feedback")
    score_text, _, comment = tail.partition(" ")
    match = _SCORE.match(score_text.strip())
    if not match:
        raise InputError(
            f"feedback needs a score from 1 to 5, not “{shown(score_text) or 'nothing'}”",
            example=example("feedback"),
        )
    return FeedbackCommand(number, score=int(match.group(1)), comment=_note(comment, "feedback"))


_FROM_TODAY = re.compile(rf"\b(?:today|tomorrow|yesterday|{'|'.join(SHORTHAND)})\b", re.IGNORECASE)


def _away(rest: str, when: When) -> AwayCommand:
    text = " ".join(split_segments(rest))
    match = _AWAY.match(text)
    if not match:
        raise InputError(
            "away needs the period and an alternate: away <start> to <end> alternate @user",
            example=example("away"),
        )
    alternate = mention(match.group("who"), what="alternate")
    span = match.group("span").strip(" ,")
    if span.lower().startswith(("until ", "till ", "through ")):
        start, end_text = when.now, span.split(" ", 1)[1]
    else:
        parts = _RANGE.split(span, maxsplit=1)
        start_text, end_text = (parts[0], parts[1]) if len(parts) == 2 else (span, span)
        start = parse_when(
            start_text,
            field="away start",
            when=when,
            prefer="future",
            day_time="start",
            example=example("away"),
        )
    # "Monday to Friday": the end is read from the start, so it is the Friday after that Monday;
    # "today", "tomorrow" name a day from now, wherever the absence starts.
    relative = _FROM_TODAY.search(end_text)
    from_start = When(now=when.now if relative else max(start, when.now), tz=when.tz, close=when.close)
    end = parse_when(
        end_text, field="away end", when=from_start, prefer="future", day_time="end", example=example("away")
    )
    if end <= start:
        raise InputError(
            f"the absence ends (“{end_text}”) before it starts; put the start first", example=example("away")
        )
    if end <= when.now:
        raise InputError(f"the absence would be over already (ends “{end_text}”)", example=example("away"))
    return AwayCommand(start=start, end=end, alternate=alternate)


def _back(rest: str, when: When) -> BackCommand:
    return BackCommand()


def _report(rest: str, when: When) -> ReportCommand:
    head, _, tail = rest.partition(" ")
    word = head.lower()
    if word in ("me", "mine", "my"):
        return ReportCommand("me", tail.strip())
    if word == "team":
        return ReportCommand("team", tail.strip())
    if uid := user_id(head):
        return ReportCommand(uid, tail.strip())
    return ReportCommand("me", rest.strip())


def _link(rest: str, when: When) -> LinkCommand:
    number, _ = _id_and_rest(rest, "link")
    return LinkCommand(number)


def _kind_first(tail: str) -> tuple[str | None, str]:
    """An outcome's kind as the first word of a dispute's or decision's text, and the rest."""
    head, _, after = tail.partition(" ")
    kind = KIND_NAMES.get(head.lower().rstrip(":,;"))
    return kind, (after if kind else tail)


def _dispute(rest: str, when: When) -> DisputeCommand:
    number, tail = _id_and_rest(rest, "dispute")
    kind, text = _kind_first(tail)
    reason = _note(text, "dispute")
    if not reason:
        raise InputError(
            "dispute needs a reason: say why the outcome is wrong, after the id", example=example("dispute")
        )
    return DisputeCommand(number, reason=reason, kind=kind)


def _decider(decision: str) -> Callable[[str, When], DecideDisputeCommand]:
    def parse(rest: str, when: When) -> DecideDisputeCommand:
        number, tail = _id_and_rest(rest, decision)
        kind, text = _kind_first(tail)
        reason = _note(text, decision)
        if not reason:
            raise InputError(f"{decision} needs a reason: say why, after the id", example=example(decision))
        return DecideDisputeCommand(number, decision=decision, reason=reason, kind=kind)

    return parse


def _help(rest: str, when: When) -> HelpCommand:
    topic = rest.strip().lower() or None
    return HelpCommand(ALIASES.get(topic, topic) if topic else None)


_PARSERS: dict[str, Callable[[str, When], Parsed]] = {
    "log": _log,
    "new": _new,
    "list": _list,
    "show": _show,
    "explain": _explain,
    "ack": _ack,
    "update": _update,
    "resolve": _resolve,
    "close": _close,
    "reassign": _reassign,
    "escalate": _escalate,
    "snooze": _snooze,
    "feedback": _feedback,
    "away": _away,
    "back": _back,
    "report": _report,
    "help": _help,
    "link": _link,
    "closure": parse_closure,
    "dispute": _dispute,
    "uphold": _decider("uphold"),
    "void": _decider("void"),
}
