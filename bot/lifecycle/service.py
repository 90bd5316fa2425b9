"""The lifecycle of an inquiry (docs/data-model.md). Each method is one transaction: it fully happens, with
its events, deadlines and outbox messages, or raises InputError / NotFound / Forbidden and changes
nothing. Results are frozen views taken inside the transaction."""

from __future__ import annotations

import builtins
from collections.abc import Callable, MutableSequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.config.settings import SLACK_DOMAIN_DEFAULT
from bot.config.teams import Config, Team
from bot.errors import Forbidden, InputError
from bot.lifecycle import absence, inputs
from bot.lifecycle import outcomes as decide
from bot.lifecycle.access import can_see_user, may_see, require_act, supervises
from bot.lifecycle.cautions import Caution, old_receipt, on_closed_day
from bot.lifecycle.notices import assigned_dm, complex_announcement, escalation_post
from bot.lifecycle.replan import sync_calendars
from bot.lifecycle.routing import Route, cover, require_on_a_team, route_new
from bot.lifecycle.views import AbsenceView, InquiryDraft, InquiryView, inquiry_view
from bot.rendering.explain import OutcomeNote, explain_lines
from bot.time.clock import Clock
from bot.time.instant_error import InstantError
from bot.time.late_logging import business_days_after_receipt
from storage.inquiry_status import DONE, LIVE, Status
from storage.queries.events import append_event
from storage.queries.feedback import set_rating
from storage.queries.inquiries import (
    InquiryRecord,
    add_deadline,
    live_inquiries,
    load_record,
    logged_by_step,
    new_record,
    save_record,
)
from storage.queries.outcome_disputes import disputes_of
from storage.queries.outcomes import facts_of
from storage.session import Session, SessionFactory, transaction

Mutation = Callable[[Session, InquiryRecord, datetime], None]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


ANSWERS = frozenset({"acknowledge", "update", "resolve"})  # changes that can meet a deadline


class InquiryService:
    def __init__(
        self,
        sessions: SessionFactory,
        config: Config,
        clock: Clock,
        *,
        slack_domain: str = SLACK_DOMAIN_DEFAULT,  # the platform a source link must be on
    ):
        self.sessions = sessions
        self.config = config
        self.clock = clock
        self.slack_domain = slack_domain

    # ---- logging ---------------------------------------------------------------------------

    def log(self, *, actor: str, draft: InquiryDraft) -> InquiryView:
        step = draft.workflow_execution_id
        try:
            return self._log(actor=actor, draft=draft)
        except Exception:
            # The same Workflow Builder step run delivered twice at once: the other delivery's row
            # won the unique index (ux_inquiries_workflow_execution), and this one answers with it.
            # Anything else is the error it was.
            found = self.logged_by_step(step) if step else None
            if found is None:
                raise
            return found

    def logged_by_step(self, step: str) -> InquiryView | None:
        """The inquiry the Workflow Builder step run `step` (its function_execution_id) logged, if any."""
        with self.sessions() as s:
            row = logged_by_step(session=s, execution_id=step)
            return None if row is None else self._view(row, self.clock.now())

    def _log(self, *, actor: str, draft: InquiryDraft) -> InquiryView:
        now = self.clock.now()
        actor = inputs.user(actor, "actor")
        team = self.config.team_of(actor)
        kind = inputs.kind(draft.kind)
        complexity = inputs.complexity(draft.complexity)
        subject = inputs.text(draft.subject, "subject", required=True, limit=500)
        zone = team.calendar.tz.key
        received = inputs.received_at(draft.received_at, now, tz=zone)
        due = (
            inputs.not_before_receipt(draft.due, "due", received, tz=zone) if draft.due is not None else None
        )
        named = inputs.user(draft.assignee, "assignee") if draft.assignee else None
        if named is not None:
            require_on_a_team(self.config, named, "assignee")
        reason = inputs.text(draft.due_reason, "due reason", limit=500)
        with self.sessions() as s:  # closures another process declared (docs/closures.md)
            sync_calendars(s, self.config)
        plan = team.policy.plan(
            team.calendar,
            kind=kind,
            needs_research=bool(draft.needs_research),
            received_at=received,
            established_deadline=due,
            reason=reason,
        )
        facts = plan.facts()
        customer_name = inputs.text(draft.customer_name, "customer name", limit=500)
        customer_contact = inputs.text(draft.customer_contact, "customer contact", limit=500)
        source_link = inputs.source_link(draft.source_link, domain=self.slack_domain)
        cautions = old_receipt(received, now) + on_closed_day(team.calendar, "due", due)
        step = draft.workflow_execution_id
        with transaction(self.sessions) as s:
            if step and (stored := logged_by_step(session=s, execution_id=step)) is not None:
                return self._view(stored, now)  # Slack delivered the step run again: logged once
            route = route_new(s, team, actor=actor, complexity=complexity, named=named, now=now)
            row = new_record(
                dict(
                    team=team.name,
                    kind=kind,
                    subject=subject,
                    customer_name=customer_name,
                    customer_contact=customer_contact,
                    received_at=received,
                    logged_at=now,
                    logged_by=actor,
                    assignee=route.assignee,
                    complexity=complexity,
                    needs_research=bool(draft.needs_research),
                    status=Status.OPEN,
                    source_link=source_link,
                    policy=plan.policy,
                    rule=plan.rule,
                    established_reason=plan.reason if plan.established else None,
                    first_response_due=plan.first_response_due,
                    first_response_target=plan.target_due,
                    escalation_level=0,
                    escalated=False,
                    reassignments=0,
                    next_action_at=now,
                    workflow_execution_id=step,
                )
            )
            for name, due in plan.deadlines():
                add_deadline(
                    record=row, name=name, due_at=due, rule=plan.rule, facts=facts, set_at=now, set_by=actor
                )
            # The id (INQ-n) comes from the database's autoincrement, so concurrent processes
            # never share one.
            save_record(session=s, record=row)
            decide.arm(s, row, decide.FIRST_RESPONSE, plan.first_response_due)
            append_event(
                session=s,
                inquiry_id=row.id,
                type="logged",
                actor=actor,
                at=now,
                payload={
                    "assignee": row.assignee,
                    "routing": route.reason,
                    "covered_for": route.covered_for,
                    "named_assignee": named,
                    "received_at": _iso(received),
                    "first_response_due": _iso(plan.first_response_due),
                    "rule": plan.rule,
                    "logged_business_days_after_receipt": business_days_after_receipt(
                        team.calendar, received, now
                    ),
                    "cautions": [f"{c.what}:{c.field}" for c in cautions],
                    "via": draft.via,
                },
            )
            assigned_dm(s, team, row, actor, now, logged=True, via=draft.via)
            if complexity == "complex":
                complex_announcement(s, team, row, now)
            return replace(self._view(row, now), cautions=cautions, covered_for=route.covered_for)

    # ---- changes to one inquiry ------------------------------------------------------------

    def acknowledge(
        self, *, actor: str, inquiry_id: int | str, expect: datetime | None = None, note: str | None = None
    ) -> InquiryView:
        note = inputs.text(note, "note")
        found: list[Caution] = []

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            self._require_live(row, "acknowledge")
            if row.first_response_at is not None:
                raise self._already(
                    row,
                    "acknowledged",
                    row.first_response_at,
                    "; nothing changed — post an update instead",
                    example=f"/inquiry update {row.ref} <note>",
                )
            promise = self._expected(row, expect, found, now)
            self._first_response(row, now)
            decide.answer(s, row, (decide.FIRST_RESPONSE,), now, self._hours(row), actor=actor)
            if promise is not None:
                self._promise(s, row, promise, actor, now)
            append_event(
                session=s,
                inquiry_id=row.id,
                type="acknowledged",
                actor=actor,
                at=now,
                payload={
                    "note": note,
                    "expect": _iso(promise),
                    "accountable": row.first_response_by,
                    "business_hours": row.first_response_business_hours,
                    "on_time": now <= row.first_response_due,
                },
            )

        return replace(self._apply(actor, inquiry_id, "acknowledge", mutate), cautions=tuple(found))

    def update(
        self, *, actor: str, inquiry_id: int | str, note: str, expect: datetime | None = None
    ) -> InquiryView:
        note = inputs.text(note, "update note", required=True)
        found: list[Caution] = []

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            self._require_live(row, "update")
            if row.first_response_at is None:
                raise InputError(
                    f"{row.ref} has not been acknowledged yet; acknowledge it first (that records the "
                    "first response)",
                    example=f"/inquiry ack {row.ref} expect Friday",
                )
            promise = self._expected(row, expect, found, now)
            # The update meets the status-update deadlines of earlier promises, not the one it makes.
            decide.answer(s, row, (decide.STATUS_UPDATE,), now, self._hours(row), actor=actor)
            if promise is not None:
                self._promise(s, row, promise, actor, now)
            row.last_update_at = now
            if row.first_update_at is None:
                row.first_update_at = now
            append_event(
                session=s,
                inquiry_id=row.id,
                type="updated",
                actor=actor,
                at=now,
                payload={"note": note, "expect": _iso(promise)},
            )

        return replace(self._apply(actor, inquiry_id, "update", mutate), cautions=tuple(found))

    def resolve(self, *, actor: str, inquiry_id: int | str, note: str | None = None) -> InquiryView:
        note = inputs.text(note, "note")

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            if row.status == Status.RESOLVED:
                raise self._already(row, "resolved", row.resolved_at, "; nothing changed")
            self._require_live(row, "resolve")
            answered_now = row.first_response_at is None
            if answered_now:  # the answer itself is the first response
                self._first_response(row, now)
            row.status, row.resolved_at, row.last_update_at = Status.RESOLVED, now, now
            kinds = (decide.RESOLUTION, decide.STATUS_UPDATE) + (
                (decide.FIRST_RESPONSE,) if answered_now else ()
            )
            decide.answer(s, row, kinds, now, self._hours(row), actor=actor)
            append_event(
                session=s,
                inquiry_id=row.id,
                type="resolved",
                actor=actor,
                at=now,
                payload={
                    "note": note,
                    "first_response": answered_now,
                    "on_time_promise": None
                    if row.promised_resolution is None
                    else now <= row.promised_resolution,
                },
            )

        return self._apply(actor, inquiry_id, "resolve", mutate)

    def close(
        self,
        *,
        actor: str,
        inquiry_id: int | str,
        reason: str,
        note: str | None = None,
        original: int | str | None = None,
    ) -> InquiryView:
        """Closing takes the item's pending deadlines out of the rates, so it says why: a duplicate
        names the item it duplicates, a withdrawal has a note (docs/outcomes.md); the report lists
        items closed before a deadline fell, with who closed them."""
        reason = inputs.close_reason(reason)
        note = inputs.text(note, "note", required=reason == "withdrawn")
        duplicate_of = None if original is None else inputs.parse_inquiry_id(original)
        if reason == "duplicate" and duplicate_of is None:
            raise InputError(
                "a duplicate names the item it duplicates", example="/inquiry close INQ-12 duplicate of INQ-9"
            )

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            self._require_live(row, "close")
            if duplicate_of is not None:
                if duplicate_of == row.id:
                    raise InputError(f"{row.ref} cannot be a duplicate of itself; name the item it repeats")
                self._load(s, duplicate_of, for_update=False)  # it must exist
            row.status, row.close_reason, row.last_update_at = Status.CLOSED, reason, now
            decide.cancel(s, row)
            append_event(
                session=s,
                inquiry_id=row.id,
                type="closed",
                actor=actor,
                at=now,
                payload={"reason": reason, "note": note, "original": duplicate_of},
            )

        return self._apply(actor, inquiry_id, "close", mutate)

    def reassign(self, *, actor: str, inquiry_id: int | str, to: str) -> InquiryView:
        to = inputs.user(to, "new assignee")
        require_on_a_team(self.config, to, "new assignee")
        covered: list[str] = []  # the person asked for, when they are away

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            self._require_live(row, "reassign")
            route = cover(s, Route(to, "reassigned"), now)
            covered[:] = [route.covered_for] if route.covered_for else []
            if route.assignee == row.assignee:
                raise InputError(f"{row.ref} is already assigned to <@{row.assignee}>; nothing changed")
            before = row.assignee
            row.assignee = route.assignee
            row.reassignments += 1
            append_event(
                session=s,
                inquiry_id=row.id,
                type="reassigned",
                actor=actor,
                at=now,
                payload={
                    "from": before,
                    "to": row.assignee,
                    "requested": to,
                    "covered_for": route.covered_for,
                },
            )
            assigned_dm(s, self._team(row), row, actor, now)

        view = self._apply(actor, inquiry_id, "reassign", mutate)
        return replace(view, covered_for=covered[0] if covered else None)

    def escalate(self, *, actor: str, inquiry_id: int | str, reason: str | None = None) -> InquiryView:
        reason = inputs.text(reason, "reason")

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            self._require_live(row, "escalate")
            row.escalated = True
            row.escalation_level += 1
            append_event(
                session=s,
                inquiry_id=row.id,
                type="escalated",
                actor=actor,
                at=now,
                payload={"reason": reason, "level": row.escalation_level, "manual": True},
            )
            escalation_post(s, self._team(row), row, actor, reason, now)

        return self._apply(actor, inquiry_id, "escalate", mutate)

    def snooze(self, *, actor: str, inquiry_id: int | str, duration: timedelta) -> InquiryView:
        duration = inputs.snooze(duration)

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            self._require_live(row, "snooze")
            row.snoozed_until = now + duration
            append_event(
                session=s,
                inquiry_id=row.id,
                type="snoozed",
                actor=actor,
                at=now,
                payload={"until": _iso(row.snoozed_until), "seconds": int(duration.total_seconds())},
            )

        return self._apply(actor, inquiry_id, "snooze", mutate)

    def feedback(
        self, *, actor: str, inquiry_id: int | str, score: int, comment: str | None = None
    ) -> InquiryView:
        score = inputs.score(score)
        comment = inputs.text(comment, "comment")

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            if row.first_response_at is None:
                raise InputError(
                    f"{row.ref} has no first response yet; a rating is of the answer the customer got, "
                    "so record it once the item is acknowledged or resolved",
                    example=f"/inquiry ack {row.ref}",
                )
            replaced = set_rating(
                session=s,
                inquiry_id=row.id,
                owner=row.counted_for(),
                score=score,
                comment=comment,
                given_by=actor,
                given_at=now,
            )
            append_event(
                session=s,
                inquiry_id=row.id,
                type="feedback",
                actor=actor,
                at=now,
                payload={"score": score, "comment": comment, "entered_by": "staff", "replaces": replaced},
            )

        return self._apply(actor, inquiry_id, "record feedback on", mutate)

    # ---- absence ---------------------------------------------------------------------------

    def away(
        self, *, actor: str, start: datetime | None, end: datetime | None, alternate: str
    ) -> AbsenceView:
        now = self.clock.now()
        with transaction(self.sessions) as s:
            return absence.away(
                s, self.config, actor=actor, start=start, end=end, alternate=alternate, now=now
            )

    def back(self, *, actor: str) -> AbsenceView | None:
        now = self.clock.now()
        with transaction(self.sessions) as s:
            return absence.back(s, actor=inputs.user(actor, "actor"), now=now)

    def active_absence(self, user_id: str, at: datetime | None = None) -> AbsenceView | None:
        with self.sessions() as s:
            return absence.active(s, user_id=user_id, at=at or self.clock.now())

    def cover_absences(self, now: datetime | None = None) -> int:
        """Give the live items of everyone now away to their alternate; returns how many moved."""
        now = now or self.clock.now()
        with transaction(self.sessions) as s:
            return absence.cover_all(s, self.config, now)

    # ---- reading ---------------------------------------------------------------------------

    def get(self, *, actor: str, inquiry_id: int | str, doing: str | None = None) -> InquiryView:
        """The item as `actor` may see it; with `doing`, only if they may also do that to it now (a
        card's button asks before its form opens, with the refusal the change itself would give)."""
        now = self.clock.now()
        with self.sessions() as s:
            row = self._load(s, inquiry_id, for_update=False)
            if not may_see(s, self.config, actor, row, now):
                raise Forbidden(
                    f"{row.ref} belongs to <@{row.assignee}>; only they, their supervisors "
                    "and admins may see it"
                )
            if doing is not None:
                require_act(s, self.config, actor, row, now, doing)
            return self._view(row, now)

    def list(self, *, actor: str, scope: str = "mine", limit: int = 200) -> list[InquiryView]:
        """scope: "mine" | "team" | "overdue" | a user id (live items, soonest deadline first)."""
        now = self.clock.now()
        filters = self._scope_filters(actor, (scope or "mine").strip(), now)
        with self.sessions() as s:
            rows = live_inquiries(session=s, limit=limit, **filters)
            return [self._view(row, now) for row in rows]

    def explain(self, *, inquiry_id: int | str) -> builtins.list[str]:  # `list` here is the method above
        with self.sessions() as s:
            row = self._load(s, inquiry_id, for_update=False)
            return explain_lines(row, self._team(row).calendar.tz, outcome_notes(s, row.id))

    # ---- helpers ---------------------------------------------------------------------------

    def _scope_filters(self, actor: str, scope: str, now: datetime) -> dict[str, Any]:
        team = self.config.team_of(actor)
        lead = supervises(self.config, actor, team.name)
        key = scope.lower()
        if key == "mine":
            return {"assignee": actor}
        if key == "team":
            if not lead:
                raise Forbidden("only the team's supervisors see the team list; try `list mine`")
            return {"team": team.name}
        if key == "overdue":
            if self.config.is_admin(actor):
                return {"overdue_at": now}
            return {"overdue_at": now, **({"team": team.name} if lead else {"assignee": actor})}
        user = inputs.user(scope, "list scope")
        if not can_see_user(self.config, actor, user):
            raise Forbidden(f"only <@{user}>'s supervisors and admins may list their items; try `list mine`")
        return {"assignee": user}

    def _apply(self, actor: str, inquiry_id: int | str, doing: str, mutate: Mutation) -> InquiryView:
        actor = inputs.user(actor, "actor")
        with transaction(self.sessions) as s:
            row = self._load(s, inquiry_id, for_update=True)
            # The change's instant is read once the item is ours: whatever held it first (the
            # scheduler storing a miss, another person's change) committed before this instant, so
            # an answer that waited for the lock is never "on time" for a deadline already missed.
            now = self.clock.now()
            sync_calendars(s, self.config)
            require_act(s, self.config, actor, row, now, doing)
            # Deadlines fallen since the last change are decided before anything changes
            # (bot/lifecycle/outcomes.py): for the holder the item had then. At the deadline
            # instant itself an answer is on time; anything else comes after the deadline.
            decide.catch_up(s, row, now, self._hours(row), actor=actor, through=doing not in ANSWERS)
            mutate(s, row, now)
            # The scheduler re-evaluates this item on its next pass and stores the real next time.
            row.next_action_at = None if row.status in DONE else now
            save_record(session=s, record=row)
            return self._view(row, now)

    def _load(self, s: Session, inquiry_id: int | str, *, for_update: bool) -> InquiryRecord:
        number = inputs.parse_inquiry_id(inquiry_id)
        row = load_record(session=s, inquiry_id=number, for_update=for_update)
        if row is None:
            raise inputs.no_such_inquiry(number)
        return row

    def _team(self, row: InquiryRecord) -> Team:
        """The inquiry's team; one since removed from the config falls back to the default team."""
        return self.config.team_or_default(row.team)

    def _hours(self, row: InquiryRecord) -> decide.Hours:
        return self._team(row).calendar.business_hours_between

    def _view(self, row: InquiryRecord, now: datetime) -> InquiryView:
        return inquiry_view(row, now, tuple(explain_lines(row, self._team(row).calendar.tz)))

    def _zone(self, row: InquiryRecord) -> str:
        return self._team(row).calendar.tz.key

    def _already(
        self, row: InquiryRecord, done: str, at: datetime | None, rest: str, example: str | None = None
    ) -> InputError:
        """'INQ-1 was already resolved on <when>…', the instant in the reader's zone (docs/record.md)."""
        if at is None:
            return InputError(f"{row.ref} was already {done} at an unknown time{rest}", example)
        return InstantError(
            f"{row.ref} was already {done} on {{at}}{rest}", {"at": at}, tz=self._zone(row), example=example
        )

    @staticmethod
    def _require_live(row: InquiryRecord, doing: str) -> None:
        if row.status not in LIVE:
            how = f"closed as {row.close_reason}" if row.status == Status.CLOSED else row.status
            raise InputError(f"{row.ref} is {how}; there is nothing to {doing}")

    def _first_response(self, row: InquiryRecord, now: datetime) -> None:
        """Record the first response; accountability is the assignee's at this moment."""
        row.status = Status.ACKNOWLEDGED
        row.first_response_at = now
        row.first_response_by = row.assignee
        row.first_response_business_hours = round(
            self._team(row).calendar.business_hours_between(row.received_at, now), 4
        )
        row.last_update_at = now

    def _expected(
        self, row: InquiryRecord, expect: datetime | None, found: MutableSequence[Caution], now: datetime
    ) -> datetime | None:
        """The resolution date an acknowledgement or update promises: never before receipt, never
        already past (its outcome would be decided in a period that may have ended: a finished
        week must not change); on a closed day it is kept with a caution (docs/record.md)."""
        if expect is None:
            return None
        promise = inputs.not_before_receipt(expect, "expect", row.received_at, tz=self._zone(row))
        promise = inputs.not_past(promise, "expect", now, tz=self._zone(row))
        found.extend(on_closed_day(self._team(row).calendar, "expect", promise))
        return promise

    def _promise(self, s: Session, row: InquiryRecord, promise: datetime, actor: str, now: datetime) -> None:
        row.promised_resolution = promise
        add_deadline(
            record=row,
            name="promised_resolution",
            due_at=promise,
            rule=f"resolution date promised to the customer by <@{actor}>",
            facts={"promised_at": now.isoformat(), "promised_by": actor},
            set_at=now,
            set_by=actor,
        )
        decide.arm_promise(s, row, promise)


def outcome_notes(s: Session, inquiry_id: int) -> builtins.list[OutcomeNote]:
    """The item's decided outcomes as the reports count them: each `decided` fact, turned late by
    a `late` fact, with its disputes (a void among them); docs/outcomes.md."""
    facts = facts_of(s, inquiry_id)
    late = {f.corrects for f in facts if f.fact == "late"}
    decided = [f for f in facts if f.fact == "decided"]
    disputes = disputes_of(s, [f.id for f in decided])
    return [
        OutcomeNote(
            kind=f.kind,
            deadline=f.deadline,
            outcome="late" if f.id in late else f.outcome,
            holder=f.holder,
            decided_at=f.decided_at,
            disputes=tuple((d.action, d.actor, d.reason) for d in disputes if d.outcome_id == f.id),
        )
        for f in decided
    ]
