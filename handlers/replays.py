"""Replays change nothing (docs/record.md): before any listener runs, the request's keys
(signature, trigger_id, view id + hash; bot/replays.py) are claimed in the database. A request
whose keys are already claimed is answered at once and reaches no listener: a slash command with a
short ephemeral note, anything else with an empty 200 (for a modal, that closes it as a success
would — the first delivery did the work)."""

from __future__ import annotations

import json
from collections.abc import Callable

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.errors import is_database_busy
from bot.rendering import replies
from bot.rendering.record import replayed_command
from bot.replays import request_keys
from handlers.context import Deps, log

CONTEXT_KEY = "request_keys"


class DropReplays(Middleware):
    def __init__(self, deps: Deps):
        self.deps = deps

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # noqa: A002 - Bolt's keyword
    ) -> BoltResponse:
        signatures = req.headers.get("x-slack-signature")
        signature = signatures[0] if signatures else None
        keys = request_keys(req.body or {}, signature)
        if not keys or self.deps.receipts is None:
            return next()
        try:
            first = self.deps.receipts.first_delivery(keys, self.deps.runtime.clock.now())
        except Exception as exc:
            if is_database_busy(exc) and req.body.get("command"):
                # Storage already waited its ANSWER_WAIT: running the command would wait as long
                # again, past Slack's 3 seconds. Say busy now; nothing was stored (docs/faults.md).
                log.warning("database busy before the command ran: %s", exc)
                return BoltResponse(
                    status=200,
                    body=json.dumps({"response_type": "ephemeral", "text": replies.busy().text}),
                    headers={"content-type": ["application/json;charset=utf-8"]},
                )
            # The database could not take the claim (busy, down). The listener still runs and meets
            # the same database: it answers "nothing was stored" itself, never a 500 from here.
            log.warning("could not record the request's receipt; handling it unclaimed", exc_info=True)
            return next()
        if first:
            req.context[CONTEXT_KEY] = keys
            return next()
        log.info(
            "answered a replayed %s without acting on it", req.body.get("type") or req.body.get("command")
        )
        if req.body.get("command"):
            return BoltResponse(
                status=200,
                body=json.dumps(replayed_command()),
                headers={"content-type": ["application/json;charset=utf-8"]},
            )
        return BoltResponse(status=200, body="")


def release(deps: Deps, context: BoltContext | None) -> None:
    """The request changed nothing (a form answered with errors): let its corrected resend through."""
    keys = context.get(CONTEXT_KEY) if context is not None else None
    if keys and deps.receipts is not None:
        deps.receipts.release(list(keys))
