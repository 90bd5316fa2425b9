"""Disputes (docs/outcomes.md): the person an outcome belongs to contests it with a reason; a
supervisor of its team, or an admin — never the person who disputed — upholds or voids it with a
reason. Voiding stores new facts that take the outcome out of the rates; nothing is ever changed.
Each method is one transaction: it fully happens or raises InputError / NotFound / Forbidden and
stores nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.config.teams import Config
from bot.delivery.outbox import enqueue
from bot.errors import Forbidden, InputError, NotFound
from bot.lifecycle import inputs
from bot.lifecycle import outcomes as decide
from bot.lifecycle.access import supervises
from bot.lifecycle.views import DisputeView
from bot.rendering import disputes as words
from bot.time.clock import Clock
from storage.models import Outcome, OutcomeDispute
from storage.queries import outcome_disputes as q
from storage.queries.inquiries import load_record
from storage.queries.outcomes import answered_late, facts_of
from storage.refs import inquiry_ref
from storage.session import Session, SessionFactory, transaction

DECISIONS = {"uphold": "upheld", "void": "voided"}


class DisputeService:
    def __init__(self, sessions: SessionFactory, config: Config, clock: Clock):
        self.sessions = sessions
        self.config = config
        self.clock = clock

    def dispute(
        self, *, actor: str, inquiry_id: int | str, reason: str, kind: str | None = None
    ) -> DisputeView:
        actor = inputs.user(actor, "actor")
        kind = inputs.outcome_kind(kind)
        reason = self._reason(reason, "dispute", "/inquiry dispute INQ-12 the customer's email went to spam")
        now = self.clock.now()
        with transaction(self.sessions) as s:
            number = self._inquiry(s, inquiry_id)
            target = self._to_dispute(s, actor, number, kind)
            q.add_dispute_row(
                s,
                dict(
                    outcome_id=target.id,
                    inquiry_id=number,
                    team=target.team,
                    action="disputed",
                    actor=actor,
                    at=now,
                    reason=reason,
                ),
            )
            deciders, role = self._deciders(target.team, exclude=actor)
            view = replace(_view(target, "disputed", actor, reason), told=tuple(deciders), told_as=role)
            for sup in deciders:
                enqueue(
                    s,
                    key=f"dispute:{target.id}:{sup}",
                    team=target.team,
                    kind="dm",
                    channel=sup,
                    text=words.opened_notice(view),
                    now=now,
                    inquiry_id=number,
                )
            return view

    def decide(
        self, *, actor: str, inquiry_id: int | str, decision: str, reason: str, kind: str | None = None
    ) -> DisputeView:
        actor = inputs.user(actor, "actor")
        if decision not in DECISIONS:
            raise InputError(f"{str(decision)[:40]!r} is not a decision; a dispute is upheld or voided")
        action = DECISIONS[decision]
        kind = inputs.outcome_kind(kind)
        reason = self._reason(reason, decision, f"/inquiry {decision} INQ-12 the form was sent on time")
        now = self.clock.now()
        with transaction(self.sessions) as s:
            number = self._inquiry(s, inquiry_id)
            opened, target = self._to_decide(s, actor, number, decision, kind)
            q.add_dispute_row(
                s,
                dict(
                    outcome_id=target.id,
                    inquiry_id=number,
                    team=target.team,
                    action=action,
                    actor=actor,
                    at=now,
                    reason=reason,
                ),
            )
            if action == "voided":
                decide.void(s, target.id, actor=actor, now=now)
            view = _view(target, action, actor, reason)
            enqueue(
                s,
                key=f"dispute-decided:{target.id}",
                team=target.team,
                kind="dm",
                channel=opened.actor,
                text=words.decided_notice(view),
                now=now,
                inquiry_id=number,
            )
            return view

    def check(
        self, *, actor: str, inquiry_id: int | str, decision: str | None, kind: str | None = None
    ) -> None:
        """Raises, as dispute() (decision None) or decide() would, when the actor may not act on
        this outcome now — asked before a form opens, so nobody fills one in only to be refused
        (docs/outcomes.md). Reads only; the form's submission checks again."""
        actor = inputs.user(actor, "actor")
        kind = inputs.outcome_kind(kind)
        if decision is not None and decision not in DECISIONS:
            raise InputError(f"{str(decision)[:40]!r} is not a decision; a dispute is upheld or voided")
        with self.sessions() as s:
            number = self._inquiry(s, inquiry_id, for_update=False)
            if decision is None:
                self._to_dispute(s, actor, number, kind)
            else:
                self._to_decide(s, actor, number, decision, kind)

    def open_for(self, *, actor: str, limit: int = 20) -> list[q.DisputeRow]:
        """Open disputes the actor may decide (their teams', or everyone's for an admin)."""
        with self.sessions() as s:
            if self.config.is_admin(actor):
                teams = None
            else:
                teams = [name for name in self.config.teams if supervises(self.config, actor, name)]
                if not teams:
                    return []
            return [
                r
                for r in q.dispute_rows(s, teams=teams, open_only=True, limit=limit)
                if r.disputed_by != actor
            ]

    def disputable(
        self, *, actor: str, start: datetime, end: datetime, limit: int = 100
    ) -> list[DisputeView]:
        """The actor's missed outcomes in [start, end) they may still dispute (App Home's buttons),
        newest first; one answered late since reads as late. App Home shows what fits and counts
        the rest, so this reads more than it shows."""
        with self.sessions() as s:
            rows = q.disputable(s, holder=actor, start=start, end=end, limit=limit)
            late = answered_late(s, [f.id for f in rows])
            views = [_view(f, "decided", f.recorded_by, "") for f in rows]
            return [replace(v, outcome="late") if v.outcome_id in late else v for v in views]

    # ---- helpers ---------------------------------------------------------------------------

    def _to_dispute(self, s: Session, actor: str, number: int, kind: str | None) -> Outcome:
        """The actor's outcome on the item a dispute would contest; raises why there is none."""
        facts = facts_of(s, number)
        counted = [f for f in facts if f.fact == "decided" and (kind is None or f.kind == kind)]
        mine = [f for f in counted if f.holder == actor]
        if not counted:
            raise NotFound(
                f"{inquiry_ref(number)} has no decided outcome to dispute yet; its deadlines are still ahead"
            )
        if not mine:
            holders = ", ".join(sorted({f"<@{f.holder}>" for f in counted}))
            raise Forbidden(
                f"the outcome of {inquiry_ref(number)} is not yours (it belongs to {holders}); "
                "only the person an outcome belongs to may dispute it"
            )
        ranked = sorted(mine, key=lambda f: (f.outcome == "on_time", f.id))  # misses first
        misses = [f for f in ranked if f.outcome != "on_time"]
        if kind is None and misses:  # an on-time outcome is contested only when named
            ranked = misses
        earlier = q.disputes_of(s, [f.id for f in ranked])
        disputed = {r.outcome_id for r in earlier}
        left = [f for f in ranked if f.id not in disputed]  # an item may hold several of yours
        if not left:
            first = ranked[0]
            at = min(r.at for r in earlier if r.outcome_id == first.id)
            raise InputError(
                f"you already disputed {inquiry_ref(number)}'s {words.kind(first.kind)} outcome "
                f"on {words.when(at, self._tz(first.team))}; nothing changed — "
                "a supervisor will decide it"
            )
        return left[0]

    def _to_decide(
        self, s: Session, actor: str, number: int, decision: str, kind: str | None
    ) -> tuple[OutcomeDispute, Outcome]:
        """The open dispute the actor would decide, and its outcome; raises why they may not."""
        facts = {f.id: f for f in facts_of(s, number)}
        rows = q.disputes_of(s, facts)
        decided = {r.outcome_id for r in rows if r.action != "disputed"}
        open_ = [
            r
            for r in rows
            if r.action == "disputed"
            and r.outcome_id not in decided
            and (kind is None or facts[r.outcome_id].kind == kind)
        ]
        if not open_:
            which = "" if kind is None else f" {words.kind(kind)}"
            raise NotFound(
                f"{inquiry_ref(number)} has no open{which} dispute to {decision}"
                + self._settled(rows, facts, kind)
            )
        opened = open_[0]
        target = facts[opened.outcome_id]
        if opened.actor == actor:
            raise Forbidden(
                f"you disputed {inquiry_ref(number)} yourself; nobody decides their own dispute — "
                "a supervisor of the team or an admin decides it"
            )
        if not (supervises(self.config, actor, target.team) or self.config.is_admin(actor)):
            raise Forbidden(
                f"only a supervisor of team {target.team} or an admin may {decision} "
                f"the dispute on {inquiry_ref(number)}"
            )
        return opened, target

    def _settled(self, rows: list[OutcomeDispute], facts: dict[int, Outcome], kind: str | None) -> str:
        """Why there is nothing to decide: the last decision, when one was made (two supervisors
        deciding at once: the second reads who decided first, and how), else how to open one."""
        done = [
            r for r in rows if r.action != "disputed" and (kind is None or facts[r.outcome_id].kind == kind)
        ]
        if not done:
            return "; disputes are opened with /inquiry dispute INQ-n <reason>"
        last = done[-1]
        target = facts[last.outcome_id]
        return words.already_decided(
            last.actor, last.action, target.kind, last.at, self._tz(target.team), last.reason
        )

    def _inquiry(self, s: Session, inquiry_id: int | str, *, for_update: bool = True) -> int:
        number = inputs.parse_inquiry_id(inquiry_id)
        if load_record(session=s, inquiry_id=number, for_update=for_update) is None:
            raise inputs.no_such_inquiry(number)
        return number

    @staticmethod
    def _reason(reason: str | None, doing: str, example: str) -> str:
        text = (reason or "").strip()
        if not text:
            raise InputError(f"{doing} needs a reason: say why, after the id", example=example)
        return inputs.text(text, "reason", required=True, limit=2000)

    def _deciders(self, team: str, exclude: str) -> tuple[list[str], str]:
        """Who is told of a dispute: the team's supervisors but the disputer; when that leaves
        nobody (the team's only supervisor disputed their own outcome, or the team has none), the
        admins but the disputer, so the dispute never waits unseen for someone who may not decide it."""
        people = list(self.config.teams[team].supervisors) if team in self.config.teams else []
        deciders = [p for p in dict.fromkeys(people) if p != exclude]
        if deciders:
            return deciders, "supervisor"
        return [p for p in sorted(self.config.admins) if p != exclude], "admin"

    def _tz(self, team: str) -> str:
        return self.config.team_or_default(team).timezone


def _view(f: Outcome, action: str, actor: str, reason: str) -> DisputeView:
    return DisputeView(
        f.inquiry_id,
        f.id,
        f.kind,
        f.outcome,
        f.holder,
        f.team,
        f.deadline,
        f.decided_at,
        action,
        actor,
        reason,
    )
