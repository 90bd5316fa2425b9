"""What the user sees after a command or a button: one line saying what happened (deadlines in the
viewer's zone), usually followed by the card. Pure functions returning Reply values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.rendering import format as fmt
from bot.rendering import long_text
from bot.rendering.card import Block, buttons, card_blocks, card_text, deadline_field, title
from bot.rendering.record import warning_lines
from storage.refs import inquiry_ref

if TYPE_CHECKING:
    from bot.lifecycle.views import AbsenceView, InquiryView


MAX_LISTED = 20  # a message holds at most 50 blocks; two per item plus header and footer


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[Block] = field(default_factory=list)
    more: tuple[Reply, ...] = ()  # further messages, when the blocks are more than one holds


def _paged(text: str, blocks: list[Block], ref: str, what: str) -> Reply:
    """One reply of as many messages as `blocks` need (bot/rendering/long_text.py)."""
    parts = long_text.messages(
        blocks,
        lambda n, total: f"{what} (continued, part {n} of {total})",
        f"…more than Slack shows in one reply; `inquirybot explain {ref}` prints it all",
    )
    return Reply(text, parts[0][1], tuple(Reply(line or text, part) for line, part in parts[1:]))


def _with_card(line: str, view: InquiryView, tz: str | None) -> Reply:
    return Reply(line, card_blocks(view, tz, headline=line))


def logged(view: InquiryView, tz: str | None, actor: str) -> Reply:
    who = "you" if view.assignee == actor else fmt.user(view.assignee)
    line = f":white_check_mark: Logged *{view.ref}* for {who} — first response due {fmt.when(view.first_response_due, tz)}."
    if view.established_reason:
        line += f" (established deadline: {fmt.escape(view.established_reason)})"
    if view.complexity == "complex":
        line += " Complex: announced to the team."
    line += _covered(view, actor)
    line += warning_lines(view, tz)
    return _with_card(line, view, tz)


def _covered(view: InquiryView, actor: str | None = None) -> str:
    """Meant for someone away: say so, or the reply names a person nobody asked for."""
    if not view.covered_for:
        return ""
    who = "you cover" if view.assignee == actor else f"{fmt.user(view.assignee)} covers"
    return f" {fmt.user(view.covered_for)} is away, and {who} for them."


def acknowledged(view: InquiryView, tz: str | None) -> Reply:
    on_time = (
        "on time" if view.first_response_at and view.first_response_at <= view.first_response_due else "late"
    )
    line = f":white_check_mark: Acknowledged *{view.ref}* — first response recorded {fmt.when(view.first_response_at, tz)} ({on_time})."
    if view.promised_resolution:
        line += f" Resolution promised for {fmt.when(view.promised_resolution, tz)}."
    line += warning_lines(view, tz)
    return _with_card(line + _feedback_link(view), view, tz)


def _feedback_link(view: InquiryView) -> str:
    url = getattr(view, "feedback_url", None)
    return f"\nCustomer feedback link to paste into your answer: <{url}>" if url else ""


def updated(view: InquiryView, tz: str | None) -> Reply:
    line = f":memo: Update posted on *{view.ref}*."
    if view.promised_resolution:
        line += f" Resolution promised for {fmt.when(view.promised_resolution, tz)}."
    line += warning_lines(view, tz)
    return _with_card(line, view, tz)


def resolved(view: InquiryView, tz: str | None) -> Reply:
    return _with_card(
        f":tada: Resolved *{view.ref}* at {fmt.when(view.resolved_at, tz)}.{_feedback_link(view)}", view, tz
    )


def closed(view: InquiryView, tz: str | None, original: int | None = None) -> Reply:
    how = f"a duplicate of *{inquiry_ref(original)}*" if original else view.close_reason
    return _with_card(f"Closed *{view.ref}* as {how}.", view, tz)


def reassigned(view: InquiryView, tz: str | None) -> Reply:
    line = (
        f":arrows_counterclockwise: *{view.ref}* is now assigned to {fmt.user(view.assignee)} — "
        + fmt.next_due(
            view.first_response_due,
            view.first_response_at is not None,
            view.promised_resolution,
            lambda at: fmt.when(at, tz),
        )
        + "."
        + _covered(view)
    )
    return _with_card(line, view, tz)


def escalated(view: InquiryView, tz: str | None, to: list[str] | None = None) -> Reply:
    """to: where the escalation was posted (channel or user ids); None: not known to the caller."""
    level = view.escalation_level
    line = f":rotating_light: Escalated *{view.ref}* (level {level}: {escalation_level_meaning(level)})"
    if to is None:
        line += "; the team's escalation channel or supervisors are told."
    elif to:
        line += f"; posted in {', '.join(fmt.user(t) if t[:1] in ('U', 'W') else f'<#{t}>' for t in to)}."
    else:
        line += "; no escalation channel, team channel or other supervisor is configured, so nobody else was told."
    return _with_card(line, view, tz)


def escalation_level_meaning(level: int) -> str:
    """What a level says (docs/messages.md): 1 overdue (assignee and supervisors told), 2 the
    escalation channel, each level beyond one more escalation by hand."""
    if level <= 1:
        return "supervisors are on notice"
    if level == 2:
        return "raised to the team's escalation channel"
    more = level - 2
    return f"escalated again {more} time{'s' if more != 1 else ''} after reaching the escalation channel"


def snoozed(view: InquiryView, tz: str | None) -> Reply:
    line = f":zzz: Reminders for *{view.ref}* snoozed until {fmt.when(view.snoozed_until, tz)}. "
    if view.first_response_at is None:
        line += f"The deadline does not move: {fmt.when(view.first_response_due, tz)}."
    elif view.promised_resolution is not None:  # the first response is given: the promise is what counts
        line += f"The promised date does not move: {fmt.when(view.promised_resolution, tz)}."
    else:
        line += "The first response is given and no resolution date was promised."
    return _with_card(line, view, tz)


def feedback(view: InquiryView, score: int, tz: str | None = None) -> Reply:
    return _with_card(f":star: Thanks — feedback recorded for *{view.ref}*: rated {score} of 5.", view, tz)


def changed_meanwhile(view: InquiryView, tz: str | None) -> Reply:
    """A button on an old copy of the card: show the current state instead of acting on it."""
    return _with_card(
        f"*{view.ref}* changed meanwhile — here it is now: "
        f"{fmt.status(view.status, view.close_reason).lower()}.",
        view,
        tz,
    )


def away_notice(absence: AbsenceView, tz: str | None) -> Reply:
    """The out-of-office answer when an absent person is @-mentioned in a channel."""
    return Reply(
        f":palm_tree: {fmt.user(absence.user_id)} is away until {fmt.when(absence.ends_at, tz)}. "
        f"For inquiries in the meantime, please contact {fmt.user(absence.alternate)}."
    )


def away(absence: AbsenceView, tz: str | None) -> Reply:
    return Reply(
        f":palm_tree: You're away {fmt.when(absence.starts_at, tz)} – {fmt.when(absence.ends_at, tz)}. "
        f"{fmt.user(absence.alternate)} covers your open and new inquiries, and I'll tell people who mention you."
    )


def back(absence: AbsenceView | None, tz: str | None) -> Reply:
    if absence is None:
        return Reply("You were not marked away, so nothing changed.")
    return Reply(
        f":wave: Welcome back — your absence ended {fmt.when(absence.ends_at, tz)}; "
        "new inquiries come to you again."
    )


def inquiry_list(views: Sequence[InquiryView], tz: str | None, scope: str) -> Reply:
    heading = {
        "mine": "Your open inquiries",
        "team": "Your team's open inquiries",
        "overdue": "Overdue inquiries",
    }.get(scope, f"Open inquiries of {fmt.user(scope)}")
    if not views:
        return Reply(f"{heading}: none. :sparkles:")
    overdue = sum(1 for v in views if v.overdue)
    # An "overdue" list is all overdue: saying so again ("4, 4 overdue") reads as a stutter.
    if not overdue or scope == "overdue":
        line = f"{heading}: {len(views)}."
    elif overdue == len(views):
        line = f"{heading}: {len(views)}, all overdue." if overdue > 1 else f"{heading}: 1, overdue."
    else:
        line = f"{heading}: {len(views)}, {overdue} overdue."
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{line}*"}}]
    for view in list(views)[:MAX_LISTED]:
        blocks.append(list_item(view, tz))
    if len(views) > MAX_LISTED:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"…and {len(views) - MAX_LISTED} more; the soonest deadlines are shown first.",
                    }
                ],
            }
        )
    return Reply(line, blocks)


def list_item(view: InquiryView, tz: str | None) -> Block:
    deadline = deadline_field(view, tz).replace("*", "").replace("\n", ": ")
    if view.first_response_at is not None and view.promised_resolution is not None:
        # Once answered, the promise is the deadline still ahead; when it passed, it is what made the item overdue.
        passed = " (passed)" if view.overdue else ""
        deadline += f"; promised {fmt.when(view.promised_resolution, tz)}{passed}"
    text = (
        f"{title(view)}\n{deadline}; {fmt.user(view.assignee)}; {fmt.status(view.status, view.close_reason)}"
    )
    block: Block = {
        "type": "section",
        "block_id": f"inquiry_{view.id}_item",
        "text": {"type": "mrkdwn", "text": text[:3000]},
    }
    first = buttons(view)[:1]
    if first:
        block["accessory"] = first[0]
    return block


def show(view: InquiryView, tz: str | None) -> Reply:
    blocks = card_blocks(view, tz)
    if view.explanation:
        heading = "*How the deadlines were set* (team's time zone):"
        lines = [heading, *(fmt.escape(line) for line in view.explanation)]
        blocks.extend(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": piece}]}
            for piece in long_text.pieces(lines)
        )
    return _paged(card_text(view, tz), blocks, view.ref, f"{view.ref}: how the deadlines were set")


def explain(ref: str, lines: Sequence[str]) -> Reply:
    body = [fmt.escape(line) for line in lines] or ["No deadlines recorded."]
    heading = f"How the deadlines of {ref} were set"
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{heading}*"}}]
    blocks.extend(
        {"type": "section", "text": {"type": "mrkdwn", "text": f"```{piece}```"}}
        for piece in long_text.pieces(body)
    )
    return _paged(heading, blocks, ref, heading)


def error(message: str, example: str | None = None) -> Reply:
    text = f":warning: {message}"
    if example:
        text += f"\nExample: `{example}`"
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": fmt.escape(f":warning: {message}")[:3000]}}
    ]
    if example:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"Example: `{fmt.escape(example)[:2900]}`"}],
            }
        )
    return Reply(text, blocks)


NO_FEEDBACK_PAGE = "this app serves no customer feedback page, so there is no link to give; ask your admin (docs/customer-feedback.md)"
FORM_WITHOUT_ITEM = (
    "this form no longer says which inquiry it is about; close it and press the button on the card again"
)
FORM_RETARGETED = (
    "this form was changed after it opened (the card it redraws is not the one it was opened from); "
    "nothing was stored — close it and press the button on the card again"
)


def internal_error() -> Reply:
    return Reply(
        ":x: Something went wrong on our side and it has been logged. Please try again in a moment; "
        "if it keeps happening, tell your admin."
    )


def busy() -> Reply:
    return Reply(":hourglass: The database is busy — nothing was stored, please try again in a moment.")


def other_workspace() -> Reply:
    """A request from a workspace or org that inquirybot is not installed for (docs/federal.md)."""
    return Reply(
        ":no_entry: inquirybot is installed for another workspace; ask your admin. "
        "Its record belongs to that workspace, so nothing was read or stored."
    )


def not_installed() -> Reply:
    """A request from a workspace or org that has not installed inquirybot (OAuth installs)."""
    return Reply(
        ":warning: inquirybot is not installed in this workspace, so nothing was stored. "
        "Ask a Slack admin to install it (the app's /slack/install page), then try again."
    )


def install_not_set_up() -> Reply:
    """The install page, when Slack's part succeeded but inquirybot could not set the installation up."""
    return Reply(
        "inquirybot was installed, but could not set up this installation's records; it has been "
        "logged. Please try again in a moment; if it keeps happening, tell your admin."
    )


def notice(text: str) -> Reply:
    return Reply(text)
