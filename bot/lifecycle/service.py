"""The lifecycle of an inquiry (docs/data-model.md). Each method is one transaction: it fully happens, with
its events, deadlines and outbox messages, or raises InputError / NotFound / Forbidden and changes
nothing. Results are frozen views taken inside the transaction. Logging a new item is in intake.py; what
the changes share (their transaction, refusals, first response and promises) in changes.py."""

from __future__ import annotations

import builtins
from dataclasses import replace
from datetime import datetime, timedelta

from bot.config.settings import SLACK_DOMAIN_DEFAULT
from bot.config.teams import Config
from bot.errors import Forbidden, InputError
from bot.lifecycle import absence, inputs
from bot.lifecycle import outcomes as decide
from bot.lifecycle.access import RATING, list_filters, may_see, require_act
from bot.lifecycle.cautions import Caution
from bot.lifecycle.changes import (
    Mutation,
    already,
    apply_change,
    expected,
    first_response,
    record_promise,
    require_live,
)
from bot.lifecycle.intake import log_new
from bot.lifecycle.notices import assigned_dm, escalation_post
from bot.lifecycle.records import load, team_of, view_of
from bot.lifecycle.routing import Route, cover, require_on_a_team
from bot.lifecycle.views import AbsenceView, InquiryDraft, InquiryView
from bot.rendering.explain import explain_lines
from bot.time.clock import Clock
from storage.inquiry_status import Status
from storage.queries.events import append_event
from storage.queries.feedback import set_rating
from storage.queries.inquiries import InquiryRecord, live_inquiries, logged_by_step
from storage.session import Session, SessionFactory, transaction


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


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
            return log_new(
                self.sessions, self.config, self.clock, draft, actor=actor, slack_domain=self.slack_domain
            )
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
            return None if row is None else view_of(self.config, row, self.clock.now())

    # ---- changes to one inquiry ------------------------------------------------------------

    def acknowledge(
        self, *, actor: str, inquiry_id: int | str, expect: datetime | None = None, note: str | None = None
    ) -> InquiryView:
        note = inputs.text(note, "note")
        found: list[Caution] = []

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            require_live(row, "acknowledge")
            team = team_of(self.config, row)
            if row.first_response_at is not None:
                raise already(
                    row,
                    team,
                    "acknowledged",
                    row.first_response_at,
                    "; nothing changed — post an update instead",
                    example=f"/inquiry update {row.ref} <note>",
                )
            promise = expected(row, team, expect, found, now)
            first_response(row, team, now)
            decide.answer(
                s, row, (decide.FIRST_RESPONSE,), now, team.calendar.business_hours_between, actor=actor
            )
            if promise is not None:
                record_promise(s, row, promise, actor, now)
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
            require_live(row, "update")
            if row.first_response_at is None:
                raise InputError(
                    f"{row.ref} has not been acknowledged yet; acknowledge it first (that records the "
                    "first response)",
                    example=f"/inquiry ack {row.ref} expect Friday",
                )
            team = team_of(self.config, row)
            promise = expected(row, team, expect, found, now)
            # The update meets the status-update deadlines of earlier promises, not the one it makes.
            decide.answer(
                s, row, (decide.STATUS_UPDATE,), now, team.calendar.business_hours_between, actor=actor
            )
            if promise is not None:
                record_promise(s, row, promise, actor, now)
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
            team = team_of(self.config, row)
            if row.status == Status.RESOLVED:
                raise already(row, team, "resolved", row.resolved_at, "; nothing changed")
            require_live(row, "resolve")
            answered_now = row.first_response_at is None
            if answered_now:  # the answer itself is the first response
                first_response(row, team, now)
            row.status, row.resolved_at, row.last_update_at = Status.RESOLVED, now, now
            kinds = (decide.RESOLUTION, decide.STATUS_UPDATE) + (
                (decide.FIRST_RESPONSE,) if answered_now else ()
            )
            decide.answer(s, row, kinds, now, team.calendar.business_hours_between, actor=actor)
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
            require_live(row, "close")
            if duplicate_of is not None:
                if duplicate_of == row.id:
                    raise InputError(f"{row.ref} cannot be a duplicate of itself; name the item it repeats")
                load(s, duplicate_of, for_update=False)  # it must exist
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
            require_live(row, "reassign")
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
            assigned_dm(s, team_of(self.config, row), row, actor, now)

        view = self._apply(actor, inquiry_id, "reassign", mutate)
        return replace(view, covered_for=covered[0] if covered else None)

    def escalate(self, *, actor: str, inquiry_id: int | str, reason: str | None = None) -> InquiryView:
        reason = inputs.text(reason, "reason")

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            require_live(row, "escalate")
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
            escalation_post(s, team_of(self.config, row), row, actor, reason, now)

        return self._apply(actor, inquiry_id, "escalate", mutate)

    def snooze(self, *, actor: str, inquiry_id: int | str, duration: timedelta) -> InquiryView:
        duration = inputs.snooze(duration)

        def mutate(s: Session, row: InquiryRecord, now: datetime) -> None:
            require_live(row, "snooze")
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

        return self._apply(actor, inquiry_id, RATING, mutate)

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
            row = load(s, inquiry_id, for_update=False)
            if not may_see(s, self.config, actor, row, now):
                raise Forbidden(
                    f"{row.ref} belongs to <@{row.assignee}>; only they, their supervisors "
                    "and admins may see it"
                )
            if doing is not None:
                require_act(s, self.config, actor, row, now, doing)
            return view_of(self.config, row, now)

    def list(self, *, actor: str, scope: str = "mine", limit: int = 200) -> list[InquiryView]:
        """scope: "mine" | "team" | "overdue" | a user id (live items, soonest deadline first)."""
        now = self.clock.now()
        filters = list_filters(self.config, actor, (scope or "mine").strip(), now)
        with self.sessions() as s:
            rows = live_inquiries(session=s, limit=limit, **filters)
            return [view_of(self.config, row, now) for row in rows]

    def explain(self, *, inquiry_id: int | str) -> builtins.list[str]:  # `list` here is the method above
        with self.sessions() as s:
            row = load(s, inquiry_id, for_update=False)
            return explain_lines(row, team_of(self.config, row).calendar.tz, decide.outcome_notes(s, row.id))

    # ---- helpers ---------------------------------------------------------------------------

    def _apply(self, actor: str, inquiry_id: int | str, doing: str, mutate: Mutation) -> InquiryView:
        return apply_change(self.sessions, self.config, self.clock, actor, inquiry_id, doing, mutate)
