"""The Workflow Builder step "Log an inquiry" (a custom step: `function_executed` events for
callback id log_inquiry, declared under `functions` in manifest.yml).

Inputs as the /inquiry log form: kind, subject, customer, received (a Slack timestamp, epoch
seconds), complexity, needs_research, assignee (a user id); logged_by (the person running the
workflow) is optional and defaults to the assignee. Who ran a workflow is only what its builder
mapped there, so the item is marked as logged through the workflow (`via`) and its assignee is
always told, with the receipt it gave (docs/record.md). The step completes with the inquiry's id and
first-response deadline, or fails with a reason the workflow's owner can act on; nothing is stored
from a step that failed. The DM to the assignee goes through the outbox like every other.

A step run is logged once however often Slack delivers it (docs/faults.md): its
function_execution_id is stored with the inquiry, in the transaction that logs it, and a delivery
that finds it stored completes the step with that inquiry. The event's id is recorded as handled
only once the step was completed or failed (handlers/events.py lets this event through until
then), so Slack's retry after a crash, or after completeSuccess got no answer (the delivery is
answered 500 for that), still completes the step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App
from slack_bolt.context.complete import Complete
from slack_bolt.context.fail import Fail

from bot.errors import InquiryBotError
from bot.lifecycle import InquiryDraft
from bot.rendering.workflow import CALLBACK_ID, step_failed, step_outputs
from bot.slack_memory import SeenEvents
from bot.time.years import check_instant, check_written_year
from handlers.context import Deps
from handlers.slack_calls import CALL_FAILED

log = logging.getLogger("inquirybot.handlers")


class StepInputError(ValueError):
    pass


class StepUnanswered(Exception):
    """Slack did not take the step's completion: the delivery is answered 500 so that Slack sends
    it again, and the retry completes the step with the inquiry already stored."""


class WorkflowListeners:
    def __init__(self, deps: Deps):
        self.deps = deps
        self.seen = SeenEvents(deps.runtime.sessions)

    def register(self, app: App) -> None:
        app.function(CALLBACK_ID)(self.log_inquiry)

    def log_inquiry(self, inputs: dict, body: dict, event: dict, complete: Complete, fail: Fail) -> None:
        step = _text(event.get("function_execution_id"))[:64] or None
        try:
            actor, draft = read_inputs(inputs or {}, step)
            view = self.deps.service.log(actor=actor, draft=draft)
        except (StepInputError, InquiryBotError) as exc:
            reason = str(exc)
        except Exception:
            log.exception("the Log an inquiry step failed")
            reason = "something went wrong on our side and it has been logged; run the workflow again"
        else:
            self._answer(body, "completed", lambda: complete(outputs=step_outputs(view)))
            self.deps.changed()
            return
        self._answer(body, "failed", lambda: fail(step_failed(reason)))

    def _answer(self, body: dict, how: str, call: Callable[[], object]) -> None:
        """Tell Slack how the step ended, then record the event as handled so its retries are
        dropped; if Slack did not take the answer, raise StepUnanswered (Slack will retry)."""
        try:
            call()
        except CALL_FAILED as exc:
            raise StepUnanswered(
                f"the Log an inquiry step {how} but Slack did not take it ({_reason(exc)}); "
                "answered 500 so that Slack delivers it again"
            ) from exc
        event_id = body.get("event_id")
        if event_id:
            self.seen.first_sighting(str(event_id), self.deps.runtime.clock.now())


def _reason(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    error = response.get("error") if response is not None else None
    return str(error or type(exc).__name__)


def read_inputs(inputs: dict[str, Any], step: str | None = None) -> tuple[str, InquiryDraft]:
    assignee = _text(inputs.get("assignee")) or None
    actor = _text(inputs.get("logged_by")) or assignee
    if not actor:
        raise StepInputError("give the assignee (or who logs it) so the inquiry has a team and an owner")
    return actor, InquiryDraft(
        kind=_text(inputs.get("kind")) or "email",
        subject=_text(inputs.get("subject")),
        customer_name=_text(inputs.get("customer")) or None,
        received_at=_instant(inputs.get("received")),
        complexity=_text(inputs.get("complexity")) or "standard",
        needs_research=_flag(inputs.get("needs_research")),
        assignee=assignee,
        via="workflow",
        workflow_execution_id=step,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _flag(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    key = str(value).strip().lower()
    if key in ("true", "yes", "1"):
        return True
    if key in ("false", "no", "0", ""):
        return False
    raise StepInputError(f"needs research {value!r} is not yes or no")


def _instant(value: Any) -> datetime | None:
    """Workflow Builder sends a timestamp as epoch seconds; an ISO 8601 text with its offset is read too."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            instant = datetime.fromtimestamp(value, tz=UTC)
        elif text.isdigit():
            instant = datetime.fromtimestamp(int(text), tz=UTC)
        else:
            check_written_year(text, "received")
            instant = datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError) as exc:
        if isinstance(exc, InquiryBotError):  # out of range: its own message
            raise
        raise StepInputError(f"received {value!r} is not a date and time; pick one in the form") from None
    if instant.tzinfo is None:
        raise StepInputError(f"received {value!r} has no time zone; pick the date and time in the form")
    return check_instant(instant, "received")
