"""What the Workflow Builder step "Log an inquiry" tells the workflow (docs/federal.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

CALLBACK_ID = "log_inquiry"  # manifest.yml functions.log_inquiry


def step_outputs(view: Any) -> dict[str, Any]:
    """The step's outputs: the inquiry's id and its first-response deadline (a Slack timestamp)."""
    due: datetime = view.first_response_due
    return {"inquiry_id": view.ref, "first_response_due": int(due.timestamp())}


def step_failed(reason: str) -> str:
    """The reason Workflow Builder shows the workflow's owner, in one sentence."""
    return f"Could not log the inquiry: {reason}"
