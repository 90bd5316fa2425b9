"""Logging a new inquiry (docs/data-model.md): its fields checked, its deadlines planned on its
team's calendar, its assignee routed, and the row, its events, its first pending outcome and the
messages about it written in one transaction. InquiryService.log calls this."""

from __future__ import annotations

from dataclasses import replace

from bot.config.teams import Config
from bot.lifecycle import inputs
from bot.lifecycle import outcomes as decide
from bot.lifecycle.cautions import already_missed, old_receipt, on_closed_day
from bot.lifecycle.notices import assigned_dm, complex_announcement
from bot.lifecycle.records import view_of
from bot.lifecycle.replan import sync_calendars
from bot.lifecycle.routing import require_on_a_team, route_new
from bot.lifecycle.views import InquiryDraft, InquiryView
from bot.time.clock import Clock
from bot.time.late_logging import business_days_after_receipt
from storage.inquiry_status import Status
from storage.queries.events import append_event
from storage.queries.inquiries import add_deadline, logged_by_step, new_record, save_record
from storage.session import SessionFactory, transaction


def log_new(
    sessions: SessionFactory,
    config: Config,
    clock: Clock,
    draft: InquiryDraft,
    *,
    actor: str,
    slack_domain: str,  # the platform a source link must be on
) -> InquiryView:
    now = clock.now()
    actor = inputs.user(actor, "actor")
    team = config.team_of(actor)
    kind = inputs.kind(draft.kind)
    complexity = inputs.complexity(draft.complexity)
    subject = inputs.text(draft.subject, "subject", required=True, limit=500)
    zone = team.calendar.tz.key
    received = inputs.received_at(draft.received_at, now, tz=zone)
    due = inputs.not_before_receipt(draft.due, "due", received, tz=zone) if draft.due is not None else None
    named = inputs.user(draft.assignee, "assignee") if draft.assignee else None
    if named is not None:
        require_on_a_team(config, named, "assignee")
    reason = inputs.text(draft.due_reason, "due reason", limit=500)
    with sessions() as s:  # closures another process declared (docs/closures.md)
        sync_calendars(s, config)
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
    source_link = inputs.source_link(draft.source_link, domain=slack_domain)
    missed = already_missed(plan.first_response_due, now)  # logged after its deadline fell
    cautions = old_receipt(received, now) + on_closed_day(team.calendar, "due", due) + missed
    step = draft.workflow_execution_id
    with transaction(sessions) as s:
        if step and (stored := logged_by_step(session=s, execution_id=step)) is not None:
            return view_of(config, stored, now)  # Slack delivered the step run again: logged once
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
                "received_at": received.isoformat(),
                "first_response_due": plan.first_response_due.isoformat(),
                "rule": plan.rule,
                "logged_business_days_after_receipt": business_days_after_receipt(
                    team.calendar, received, now
                ),
                "cautions": [f"{c.what}:{c.field}" for c in cautions],
                "via": draft.via,
            },
        )
        if missed:  # decided now, at the logging (outcomes.missed_at), not in a finished week
            decide.catch_up(s, row, now, team.calendar.business_hours_between, actor=actor)
        assigned_dm(s, team, row, actor, now, logged=True, via=draft.via)
        if complexity == "complex":
            complex_announcement(s, team, row, now)
        return replace(view_of(config, row, now), cautions=cautions, covered_for=route.covered_for)
