"""The Workflow Builder step "Log an inquiry" (a custom step: `function_executed` events for
callback id log_inquiry, declared under `functions` in manifest.yml).

Inputs as the /inquiry log form: kind, subject, customer, received (a Slack timestamp, epoch
seconds), complexity, needs_research, assignee (a user id); logged_by (the person running the
workflow) is optional and defaults to the assignee. Who ran a workflow is only what its builder
mapped there, so the item is marked as logged through the workflow (`via`) and its assignee is
always told, with the receipt it gave (docs/record.md). The step completes with the inquiry's id and
first-response deadline, or fails with a reason the workflow's owner can act on; nothing is stored
from a step that failed. The DM to the assignee goes through the outbox like every other.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App
from slack_bolt.context.complete import Complete
from slack_bolt.context.fail import Fail

from bot.errors import InquiryBotError
from bot.lifecycle import InquiryDraft
from bot.rendering.workflow import CALLBACK_ID, step_failed, step_outputs
from bot.time.years import check_instant, check_written_year
from handlers.context import Deps

log = logging.getLogger("inquirybot.handlers")


class StepInputError(ValueError):
    pass


class WorkflowListeners:
    def __init__(self, deps: Deps):
        self.deps = deps

    def register(self, app: App) -> None:
        app.function(CALLBACK_ID)(self.log_inquiry)

    def log_inquiry(self, inputs: dict, complete: Complete, fail: Fail) -> None:
        try:
            actor, draft = read_inputs(inputs or {})
            view = self.deps.service.log(actor=actor, draft=draft)
        except (StepInputError, InquiryBotError) as exc:
            fail(step_failed(str(exc)))
            return
        except Exception:
            log.exception("the Log an inquiry step failed")
            fail(
                step_failed("something went wrong on our side and it has been logged; run the workflow again")
            )
            return
        complete(outputs=step_outputs(view))
        self.deps.changed()


def read_inputs(inputs: dict[str, Any]) -> tuple[str, InquiryDraft]:
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
