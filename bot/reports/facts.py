"""A report's outcome counts, read from the outcome facts (docs/outcomes.md): each deadline counts
once, for whoever held the item when it was decided, in the period containing that instant.
Voided outcomes carry weight -1 and so leave the sums."""

from __future__ import annotations

from storage.queries import reports as q
from storage.queries.outcome_counts import missed_escalated_by_hand, outcome_counts
from storage.session import Session


def fact_counts(*, session: Session, scope: q.Scope, window: q.Window) -> q.CountRows:
    rows = outcome_counts(
        session=session, teams=scope.teams, users=scope.users, start=window.start, end=window.end
    )
    out = []
    for team, holder, v in rows:
        out.append(
            (
                team,
                holder,
                {
                    "deadlines": v["deadlines"],
                    "on_time": v["on_time"],
                    "late": v["late"],
                    "missed_open": v["missed"] - v["late"],
                    "promises": v["promises"],
                    "promises_kept": v["promises_kept"],
                    "updates": v["updates"],
                    "updates_ok": v["updates_ok"],
                },
            )
        )
    return out


def escalated_by_hand(*, session: Session, scope: q.Scope, window: q.Window) -> dict[str, int]:
    """Missed first-response outcomes of the period whose item a person escalated by hand."""
    return missed_escalated_by_hand(
        session=session,
        teams=scope.teams,
        users=scope.users,
        start=window.start,
        end=window.end,
        bot_actor=q.BOT_ACTOR,
    )
