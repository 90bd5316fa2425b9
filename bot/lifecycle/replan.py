"""Declaring, cancelling and listing closures while the bot runs, and re-planning the deadlines they
touch (docs/closures.md). Each declaration or cancellation is one transaction: the closure row, a
new deadline version for every pending item it moves (the old version kept), one event per moved
item, one DM per holder and one note per team channel — or, on any error, nothing.

Which deadlines move: open items with no first response yet, under a rule (an established deadline
is an instant someone set, not a count of business time), whose deadline has not passed. A passed
or met deadline is a decided outcome and never moves; nor is a deadline ever moved to before now.
The new deadline is exactly what a fresh plan on the new calendar gives.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.config.teams import Config, Team
from bot.delivery.outbox import enqueue_many
from bot.errors import ConfigError, Forbidden, InputError, NotFound
from bot.lifecycle import outcomes as decide
from bot.rendering import closures as words
from bot.time.clock import Clock
from bot.time.closures import Closure, ClosureRequest, check_request, live_days, live_twin
from bot.time.policies import Policy, preset
from storage.queries.closures import (
    CANDIDATE_COLUMNS,
    all_closures,
    apply_replans,
    closures_version,
    get_closure,
    insert_closure,
    insert_events,
    lock_closures,
    mark_cancelled,
    replan_candidates,
)
from storage.refs import inquiry_ref
from storage.session import Session, SessionFactory, transaction

_COL = {name: i for i, name in enumerate(CANDIDATE_COLUMNS)}


@dataclass(frozen=True)
class ReplanResult:
    closure: Closure
    action: str  # declared | cancelled
    moved: int  # pending deadlines given a new version
    looked_at: int  # candidates re-planned (moved or not)
    teams: tuple[str, ...]
    message: str  # what to tell whoever did it


def sync_calendars(session: Session, config: Config) -> None:
    """Bring every team's calendar up to the closures stored (another process may have declared
    one): a cheap version check, and a reload only when something changed."""
    version = closures_version(session)
    if getattr(config, "_closures_version", None) == version:
        return
    closures = [Closure(*row) for row in all_closures(session)]
    _apply(config, closures)
    object.__setattr__(config, "_closures_version", version)  # Config is frozen; this is a cache


def _apply(config: Config, closures: list[Closure]) -> None:
    for name, team in config.teams.items():
        team.calendar.set_live_days(live_days(closures, name))


class ClosureService:
    def __init__(self, sessions: SessionFactory, config: Config, clock: Clock):
        self.sessions = sessions
        self.config = config
        self.clock = clock

    def declare(self, *, actor: str, request: ClosureRequest, trusted: bool = False) -> ReplanResult:
        """Store a closure and re-plan what it moves. trusted: the CLI (whoever runs it holds the
        database); in Slack only admins may declare."""
        self._require_admin(actor, trusted, "declare")
        now = self.clock.now()
        calendars = {name: team.calendar for name, team in self.config.teams.items()}
        today = {name: now.astimezone(cal.tz).date() for name, cal in calendars.items()}
        names = check_request(request, calendars, today)
        with self._restoring(), transaction(self.sessions) as s:
            lock_closures(s)  # a twin declared at the same moment is seen here, not stored beside it
            twin = live_twin((Closure(*row) for row in all_closures(s)), request)
            if twin is not None:
                raise InputError(words.already_declared(twin))
            values: dict[str, Any] = dict(
                team=request.team,
                first_day=request.first_day,
                last_day=request.last_day or request.first_day,
                opens=request.opens,
                closes=request.closes,
                reason=request.reason.strip(),
                declared_by=actor,
                declared_at=now,
            )
            closure = Closure(id=insert_closure(s, values), **values)
            return self._replan(s, closure, "declared", actor, names, now)

    def cancel(self, *, actor: str, closure_id: int | str, trusted: bool = False) -> ReplanResult:
        self._require_admin(actor, trusted, "cancel")
        number = _closure_id(closure_id)
        now = self.clock.now()
        with self._restoring(), transaction(self.sessions) as s:
            lock_closures(s)
            row = get_closure(s, number, for_update=True)
            if row is None:
                raise NotFound(f"no closure #{number}; see `closure list`")
            closure = Closure(*row)
            if closure.cancelled_at is not None:
                raise InputError(
                    f"closure #{number} was already cancelled by {closure.cancelled_by}; nothing changed"
                )
            mark_cancelled(s, number, by=actor, at=now)
            names = [closure.team] if closure.team else sorted(self.config.teams)
            names = [n for n in names if n in self.config.teams]
            return self._replan(s, closure, "cancelled", actor, names, now)

    def list(self) -> list[Closure]:
        with self.sessions() as s:
            return [Closure(*row) for row in all_closures(s)]

    # ---- re-planning -----------------------------------------------------------------------

    def _replan(
        self, s: Session, closure: Closure, action: str, actor: str, names: builtins.list[str], now: datetime
    ) -> ReplanResult:
        _apply(self.config, [Closure(*row) for row in all_closures(s)])  # the calendars as of this change
        object.__setattr__(self.config, "_closures_version", None)  # re-read at the next sync
        return self._move(s, closure, action, actor, names, now)

    @contextmanager
    def _restoring(self) -> Iterator[None]:
        """On any error nothing is stored, so the calendars go back to what they were."""
        before = {name: team.calendar.live_days() for name, team in self.config.teams.items()}
        try:
            yield
        except BaseException:
            for name, team in self.config.teams.items():
                team.calendar.set_live_days(before[name])
            object.__setattr__(self.config, "_closures_version", None)
            raise

    def _move(
        self, s: Session, closure: Closure, action: str, actor: str, names: builtins.list[str], now: datetime
    ) -> ReplanResult:
        teams = [self.config.teams[n] for n in names]
        # Only items whose window can touch the closed days: due on or after the first one, received
        # before the end of the last one (in every affected team's zone).
        due_from = min(_local_midnight(closure.first_day, t) for t in teams)
        received_before = max(_local_midnight(closure.last_day + timedelta(days=1), t) for t in teams)
        rows = replan_candidates(
            s, teams=names, due_after=now, due_from=due_from, received_before=received_before
        )
        moves: list[dict] = []
        deadlines: list[dict] = []
        events: list[dict] = []
        per_holder: dict[tuple[str, str], list] = defaultdict(list)
        per_team: dict[str, list[datetime]] = defaultdict(list)
        reasons = {t.name: words.move_reason(closure, action, actor, now, t.calendar.tz) for t in teams}
        policies: dict[tuple[str, str], Policy | None] = {}
        for row in rows:
            team = self.config.teams[row[_COL["team"]]]
            key = (team.name, row[_COL["policy"]])
            if key not in policies:
                policies[key] = _policy(team, row[_COL["policy"]])
            policy = policies[key]
            if policy is None:
                continue  # a policy no longer in the config: its deadlines cannot be re-derived
            plan = policy.plan(
                team.calendar,
                kind=row[_COL["kind"]],
                needs_research=bool(row[_COL["needs_research"]]),
                received_at=row[_COL["received_at"]],
                explained=False,
            )
            was_due, was_target = row[_COL["first_response_due"]], row[_COL["first_response_target"]]
            if plan.first_response_due == was_due and plan.target_due == was_target:
                continue
            if plan.first_response_due <= now:
                continue  # never move a pending deadline into the past (docs/closures.md)
            item = row[_COL["id"]]
            reason = reasons[team.name]
            facts = plan.facts()
            del facts["explanation"]  # derived from these facts when asked (bot/rendering/explain.py)
            facts["replanned"] = {
                "closure": closure.id,
                "action": action,
                "reason": reason,
                "previous_due": was_due.isoformat(),
            }
            moves.append(
                {"id": item, "due": plan.first_response_due, "target": plan.target_due, "next_at": now}
            )
            deadlines.extend(
                dict(
                    inquiry_id=item,
                    name=name,
                    due_at=due,
                    rule=plan.rule,
                    facts=facts,
                    set_at=now,
                    set_by=actor,
                )
                for name, due in plan.deadlines()
            )
            events.append(
                dict(
                    inquiry_id=item,
                    type="deadline_moved",
                    actor=actor,
                    at=now,
                    payload={
                        "closure": closure.id,
                        "action": action,
                        "reason": reason,
                        "from": was_due.isoformat(),
                        "to": plan.first_response_due.isoformat(),
                    },
                )
            )
            per_holder[(team.name, row[_COL["assignee"]])].append(
                (inquiry_ref(item), was_due, plan.first_response_due)
            )
            per_team[team.name].append(plan.first_response_due)
        apply_replans(s, moves, deadlines)
        # The outcome follows the deadline: decided at the new one, never at the closed day's.
        decide.move_first_responses(s, [(m["id"], m["due"]) for m in moves])
        events.append(
            dict(
                inquiry_id=None,
                type=f"closure_{action}",
                actor=actor,
                at=now,
                payload={
                    "closure": closure.id,
                    "team": closure.team,
                    "first_day": closure.first_day.isoformat(),
                    "last_day": closure.last_day.isoformat(),
                    "opens": closure.opens,
                    "closes": closure.closes,
                    "reason": closure.reason,
                    "moved": len(moves),
                },
            )
        )
        insert_events(s, events)
        enqueue_many(s, self._messages(closure, action, actor, now, teams, per_holder, per_team))
        message = words.declared(closure, action, len(moves), names)
        return ReplanResult(closure, action, len(moves), len(rows), tuple(names), message)

    def _messages(
        self,
        closure: Closure,
        action: str,
        actor: str,
        now: datetime,
        teams: builtins.list[Team],
        per_holder: dict,
        per_team: dict,
    ) -> builtins.list[dict]:
        """The holder told once (one DM listing their moved items), each team channel once."""
        out = []
        base = f"closure:{closure.id}:{action}"
        for (team_name, holder), moved in sorted(per_holder.items()):
            team = self.config.teams[team_name]
            out.append(
                dict(
                    dedupe_key=f"{base}:holder:{team_name}:{holder}",
                    team=team_name,
                    kind="closure",
                    channel=holder,
                    text=words.holder_dm(
                        words.move_reason(closure, action, actor, now, team.calendar.tz),
                        moved,
                        team.calendar.tz,
                    ),
                    inquiry_id=None,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
        for team in teams:
            if not team.channel:
                continue
            dues = per_team.get(team.name, [])
            out.append(
                dict(
                    dedupe_key=f"{base}:team:{team.name}",
                    team=team.name,
                    kind="closure",
                    channel=team.channel,
                    text=words.team_note(
                        closure,
                        action,
                        len(dues),
                        min(dues, default=None),
                        max(dues, default=None),
                        actor,
                        team.calendar.tz,
                    ),
                    inquiry_id=None,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
        return out

    def _require_admin(self, actor: str, trusted: bool, doing: str) -> None:
        if not trusted and not self.config.is_admin(actor):
            raise Forbidden(f"only admins may {doing} closures; ask an admin")


def _policy(team: Team, name: str) -> Policy | None:
    if team.policy.name == name:
        return team.policy
    try:
        return preset(name)
    except ConfigError:  # a custom policy since removed from the config
        return None


def _local_midnight(day: date, team: Team) -> datetime:
    return datetime.combine(day, time(0), tzinfo=team.calendar.tz)


def _closure_id(value: int | str) -> int:
    text = str(value).strip().lstrip("#")
    if not text.isdigit():
        raise InputError(f"{str(value)!r} is not a closure id; use the number `closure list` shows, e.g. 3")
    return int(text)
