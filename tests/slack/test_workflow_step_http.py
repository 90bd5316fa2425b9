"""The Workflow Builder step "Log an inquiry" over real HTTP: a signed `function_executed` event in
Slack's shape (tests/slack/samples/function_executed_log_inquiry.json) logs the inquiry, completes
the step with its id and deadline using the step's own token, and DMs the assignee; bad input fails
the step with a readable reason and stores nothing."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.slack.faults import Fault
from tests.slack.helpers import snapshot

SAMPLE = json.loads((Path(__file__).parent / "samples" / "function_executed_log_inquiry.json").read_text())


@pytest.fixture(autouse=True)
def grid_workspace(web):
    """The sample's step runs in workspace T111 of org E111: the bot token is that workspace's
    (auth.test), as a request from any other workspace is refused (docs/federal.md)."""
    web.add_bot("xoxb-test", team="T111", enterprise="E111")


def run_step(slack, event_id: str = "Ev111", retry: int | None = None, **inputs):
    body = copy.deepcopy(SAMPLE)
    body["event"]["inputs"].update(inputs)
    body["event"]["inputs"] = {k: v for k, v in body["event"]["inputs"].items() if v is not None}
    body["event_id"] = event_id
    extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
    return slack.post(json.dumps(body), "application/json", extra=extra)


def test_the_step_logs_the_inquiry_and_outputs_its_id_and_deadline(slack, web, served, deliver):
    assert run_step(slack).status == 200
    served.settle()
    [done] = web.calls_to("functions.completeSuccess")
    # received Wed 4 Mar 2026 10:00 EST (1772636400): one business day -> COB Thu 5 Mar, 5 pm EST
    due = datetime(2026, 3, 5, 22, 0, tzinfo=UTC)
    assert done["function_execution_id"] == "Fx111"
    assert done["outputs"] == {"inquiry_id": "INQ-1", "first_response_due": int(due.timestamp())}
    [call] = [c for c in web.calls if c.method == "functions.completeSuccess"]
    assert call.token == "xwfp-valid"  # the step's own token, as Slack requires
    deliver()
    [dm] = web.dms_to("U2")
    assert dm["text"].startswith("INQ-1 is now yours (from <@U1>): Export license status")
    assert web.calls_to("functions.completeError") == []


def test_a_retried_event_logs_once(slack, web, served, runtime):
    run_step(slack)
    run_step(slack, retry=1)
    served.settle()
    assert snapshot(runtime)[0] == 1 and len(web.calls_to("functions.completeSuccess")) == 1


@pytest.mark.parametrize(
    "inputs, reason",
    [
        ({"kind": "fax"}, "kind 'fax' is unknown; use one of:"),
        ({"subject": "  "}, "subject is empty"),
        ({"complexity": "hard"}, "complexity 'hard' is unknown; use one of: simple, standard, complex"),
        ({"received": "last tuesday"}, "received 'last tuesday' is not a date and time"),
        ({"needs_research": "maybe"}, "needs research 'maybe' is not yes or no"),
        ({"assignee": None, "logged_by": None}, "give the assignee (or who logs it)"),
        ({"received": 1893456000}, "received"),  # 2030: in the future
        # seconds past year 9999 overflowed: the step failed with "something went wrong"
        ({"received": 10**20}, "received 100000000000000000000 is not a date and time"),
        (
            {"received": "1850-01-01T09:00:00-05:00"},
            "received 1850-01-01T09:00:00-05:00 is outside the years",
        ),
        ({"received": "0001-01-01T09:00:00+00:00"}, "give a date from 1970 to 2199"),
    ],
)
def test_bad_input_fails_the_step_with_a_reason_and_stores_nothing(
    slack, web, served, runtime, inputs, reason
):
    before = snapshot(runtime)
    assert run_step(slack, **inputs).status == 200
    served.settle()
    [failed] = web.calls_to("functions.completeError")
    assert failed["error"].startswith("Could not log the inquiry: ") and reason in failed["error"], failed[
        "error"
    ]
    assert "Traceback" not in failed["error"]
    assert snapshot(runtime) == before and web.calls_to("functions.completeSuccess") == []


def test_an_item_a_workflow_logs_for_someone_is_never_logged_silently_in_their_name(
    slack, web, served, runtime, deliver
):
    """Who ran a workflow is whatever its builder mapped to `logged_by` (or, left out, the assignee
    itself): a colleague's workflow can log an item for @bob received last week, so its deadline
    has already fallen. Bob must hear of it — with the receipt it gave — and the record must say it
    came through the workflow, not that Bob logged it himself."""
    from sqlalchemy import select

    from bot.lifecycle.outcome_job import decide_fallen
    from storage.models import Event, Outcome

    last_week = int(datetime(2026, 2, 25, 15, 0, tzinfo=UTC).timestamp())  # Wed 25 Feb, 10:00 EST
    assert run_step(slack, assignee="U2", logged_by=None, received=last_week).status == 200
    served.settle()
    assert len(web.calls_to("functions.completeSuccess")) == 1
    decide_fallen(runtime.sessions, runtime.config, runtime.clock)
    with runtime.sessions() as s:
        [miss] = s.scalars(select(Outcome)).all()
        [logged] = s.scalars(select(Event).where(Event.type == "logged")).all()
    assert (miss.holder, miss.outcome) == ("U2", "missed")
    assert logged.payload.get("via") == "workflow"
    deliver()
    [dm] = web.dms_to("U2")
    assert "through Workflow Builder" in dm["text"], dm["text"]
    assert "with its receipt as Wed 25 Feb 2026 10:00 EST" in dm["text"], dm["text"]


def test_a_step_whose_completion_failed_is_completed_by_slacks_retry_with_the_one_inquiry(
    slack, web, served, runtime, caplog
):
    """The inquiry was logged, then functions.completeSuccess got Slack's 500: the delivery is
    answered with an error, so Slack sends the event again. The retry must not be dropped as a
    repeat (the step would never complete) nor log a second inquiry: it completes the step with
    the inquiry the first delivery stored."""
    web.fail("functions.completeSuccess", Fault(500))
    assert run_step(slack).status >= 500
    served.settle()
    assert snapshot(runtime)[0] == 1
    assert run_step(slack, retry=1).status == 200
    served.settle()
    assert snapshot(runtime)[0] == 1
    first, second = web.calls_to("functions.completeSuccess")
    assert first == second and second["outputs"]["inquiry_id"] == "INQ-1"
    assert web.calls_to("functions.completeError") == []
    assert "the Log an inquiry step completed but Slack did not take it (fatal_error)" in caplog.text
    assert "Traceback" not in caplog.text and "unhandled error" not in caplog.text


def test_one_step_execution_delivered_under_two_event_ids_logs_one_inquiry(slack, web, served, runtime):
    """The step's own record (its function_execution_id, stored with the inquiry) is what keeps it
    to one inquiry, whatever event id carries it."""
    run_step(slack, event_id="Ev111")
    run_step(slack, event_id="Ev222")
    served.settle()
    assert snapshot(runtime)[0] == 1
    done = web.calls_to("functions.completeSuccess")
    assert [d["outputs"]["inquiry_id"] for d in done] == ["INQ-1", "INQ-1"]


def test_a_step_that_failed_on_bad_input_is_not_retried_into_a_second_answer(slack, web, served, runtime):
    run_step(slack, kind="fax")
    run_step(slack, retry=1, kind="fax")
    served.settle()
    assert len(web.calls_to("functions.completeError")) == 1 and snapshot(runtime)[0] == 0


def test_one_step_execution_delivered_twice_at_once_logs_one_inquiry(slack, web, served, runtime):
    """Two deliveries of one run at the same moment (on PostgreSQL both may find nothing stored and
    insert: the unique index refuses the second, which answers with the first's inquiry)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda n: run_step(slack, event_id=f"Ev{n}"), range(4)))
    served.settle()
    assert [a.status for a in answers] == [200] * 4 and snapshot(runtime)[0] == 1
    done = web.calls_to("functions.completeSuccess")
    # (the refused INSERT used up an id on PostgreSQL: the one inquiry may be INQ-2)
    assert len(done) == 4 and len({d["outputs"]["inquiry_id"] for d in done}) == 1
