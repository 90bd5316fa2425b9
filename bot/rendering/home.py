"""App Home: my open items by deadline (overdue first) with buttons, my on-time rate this period,
and for supervisors their team's open and overdue items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.rendering import disputes as dispute_words
from bot.rendering import format as fmt
from bot.rendering.actions import Action
from bot.rendering.card import Block, button, card_blocks
from bot.rendering.replies import list_item
from storage.refs import inquiry_ref

if TYPE_CHECKING:
    from bot.lifecycle.views import AbsenceView, DisputeView, InquiryView
    from storage.queries.outcome_disputes import DisputeRow


MAX_MINE = 12  # each item is 4 blocks; a Home view holds 100
MAX_TEAM = 15
MAX_BLOCKS = 100  # Slack's limit for a Home tab


@dataclass(frozen=True)
class TeamSection:
    name: str
    open_items: Sequence[InquiryView]  # soonest deadline first


def order(views: Sequence[InquiryView]) -> list[InquiryView]:
    """Overdue first, then by first-response (or promised) deadline."""

    def key(view: InquiryView) -> tuple[bool, datetime, int]:
        due = (
            view.promised_resolution
            if view.first_response_at and view.promised_resolution
            else view.first_response_due
        )
        return (not view.overdue, due, view.id)

    return sorted(views, key=key)


def home_view(
    *,
    user_id: str,
    tz: str | None,
    mine: Sequence[InquiryView],
    on_time: str | None = None,
    period: str | None = None,
    away: AbsenceView | None = None,
    teams: Sequence[TeamSection] = (),
    disputable: Sequence[DisputeView] = (),
    disputes: Sequence[DisputeRow] = (),
) -> dict[str, Any]:
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your inquiries"}},
        {
            "type": "actions",
            "block_id": "home_actions",
            "elements": [
                button("Log an inquiry", Action.OPEN_NEW, "new", "primary"),
                button("I'm back", Action.BACK, "back")
                if away is not None
                else button("Set away", Action.SET_AWAY, "away"),
            ],
        },
    ]
    summary = f"{fmt.plural(len(mine), 'open item')}, {sum(1 for v in mine if v.overdue)} overdue"
    if on_time:  # the period named with its dates, as `/inquiry report me` names it
        summary += f"; on-time first responses {period or 'this period'}: *{on_time}*"
    blocks.append(
        {"type": "section", "block_id": "home_summary", "text": {"type": "mrkdwn", "text": summary}}
    )
    if away is not None:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f":palm_tree: Away {fmt.when(away.starts_at, tz)} – {fmt.when(away.ends_at, tz)}; "
                        f"{fmt.user(away.alternate)} covers. *I'm back* or `/inquiry back` ends it.",
                    }
                ],
            }
        )
    ordered = order(mine)
    for view in ordered[:MAX_MINE]:
        blocks.append({"type": "divider"})
        blocks.extend(card_blocks(view, tz))
    if len(ordered) > MAX_MINE:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"…and {len(ordered) - MAX_MINE} more: `/inquiry list`"}
                ],
            }
        )
    if not mine:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "Nothing open. :sparkles:"}})
    team_blocks: list[Block] = []
    for team in teams:
        items = order(team.open_items)
        overdue = sum(1 for v in items if v.overdue)
        team_blocks.append({"type": "divider"})
        team_blocks.append(
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": fmt.plain(f"Team {team.name}: {len(items)} open, {overdue} overdue", 150),
                },
            }
        )
        for view in items[:MAX_TEAM]:
            team_blocks.append(list_item(view, tz))
        if len(items) > MAX_TEAM:
            team_blocks.append(
                {
                    "type": "context",
                    "elements": [
                        {"type": "mrkdwn", "text": f"…and {len(items) - MAX_TEAM} more: `/inquiry list team`"}
                    ],
                }
            )
    # The team view (spec §5) comes before the outcome lists in the budget: they give way to it.
    room = MAX_BLOCKS - len(blocks) - len(team_blocks)
    blocks += outcome_blocks(disputable, disputes, tz, room=room) + team_blocks
    if len(blocks) > MAX_BLOCKS:  # several teams (an admin's): cut, and say so
        blocks = [*blocks[: MAX_BLOCKS - 1], _more("…more than the Home tab holds: `/inquiry list team`")]
    return {"type": "home", "blocks": blocks}


MISSED_SHOWN = 5  # your missed outcomes listed with a Dispute button; the rest are counted


def _more(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def outcome_blocks(
    disputable: Sequence[DisputeView],
    disputes: Sequence[DisputeRow],
    tz: str | None,
    *,
    room: int = MAX_BLOCKS,
) -> list[Block]:
    """Your missed outcomes this period, each with a Dispute button; for supervisors, the open
    disputes they decide (docs/outcomes.md). In at most `room` blocks: the open disputes shown give
    way first (the header keeps their count, a line says where the rest are), then the missed ones."""
    missed, deciding = min(len(disputable), MISSED_SHOWN), len(disputes)
    while True:
        blocks = _outcome_blocks(disputable, missed, disputes, deciding, tz)
        if len(blocks) <= room or missed == deciding == 0:
            return blocks if len(blocks) <= room else []
        if deciding:
            deciding -= 1
        else:
            missed -= 1


def _outcome_blocks(
    disputable: Sequence[DisputeView],
    missed: int,
    disputes: Sequence[DisputeRow],
    deciding: int,
    tz: str | None,
) -> list[Block]:
    blocks: list[Block] = []
    if disputable:
        blocks.append({"type": "divider"})
        blocks.append(
            {"type": "header", "text": {"type": "plain_text", "text": "Missed deadlines this period"}}
        )
    for view in disputable[:missed]:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{view.ref}* {dispute_words.kind(view.kind)} deadline "
                    f"{fmt.when(view.deadline, tz)} — "
                    + ("missed, answered late" if view.outcome == "late" else "missed"),
                },
                "accessory": button(
                    "Dispute",
                    Action.DISPUTE,
                    f"{view.inquiry_id}:{view.kind}",
                    about=f"the {view.ref} {dispute_words.kind(view.kind)} outcome",
                ),
            }
        )
    if missed < len(disputable):
        blocks.append(_more(f"…and {len(disputable) - missed} more: `/inquiry dispute INQ-n <reason>`"))
    if disputes:
        blocks.append({"type": "divider"})
        blocks.append(
            {
                "type": "header",
                "text": {"type": "plain_text", "text": fmt.plain(f"Open disputes: {len(disputes)}", 150)},
            }
        )
        for row in disputes[:deciding]:
            value = f"{row.inquiry_id}:{row.kind}"
            about = f"the {inquiry_ref(row.inquiry_id)} {dispute_words.kind(row.kind)} outcome"
            blocks.append(
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": dispute_words.evidence_line(row, tz)[:3000]},
                }
            )
            blocks.append(
                {
                    "type": "actions",
                    "elements": [
                        button("Uphold", Action.UPHOLD, value, about=about),
                        button("Void", Action.VOID, value, "danger", about=about),
                    ],
                }
            )
        if deciding < len(disputes):
            blocks.append(
                _more(
                    f"…and {len(disputes) - deciding} more open disputes: the team report lists them "
                    "(`/inquiry report team`)"
                )
            )
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Uphold keeps the outcome; Void takes it out of every rate. Either asks for "
                        "your reason. Or `/inquiry uphold INQ-n <reason>`, `/inquiry void INQ-n <reason>`.",
                    }
                ],
            }
        )
    return blocks
