"""`/inquiry closure …`: admins declare, list and cancel closures (docs/closures.md)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.commands.closure import ClosureCommand
from bot.errors import Forbidden
from bot.rendering import closures as words
from bot.rendering.replies import Reply
from handlers.context import Deps


def closure_reply(deps: Deps, command: ClosureCommand, user: str, tz: str) -> Reply:
    service = deps.closures  # built once by the composition root (inquirybot/bootstrap.py)
    if command.action == "list":
        if not deps.runtime.config.is_admin(user):
            raise Forbidden("only admins may list closures; ask an admin")
        return Reply(words.listing(service.list(), ZoneInfo(tz)))
    if command.action == "cancel":
        assert command.closure_id is not None  # the parser sets it for cancel
        return Reply(words.done(service.cancel(actor=user, closure_id=command.closure_id).message))
    assert command.request is not None  # the parser sets it for add / delayed / early
    return Reply(words.done(service.declare(actor=user, request=command.request).message))
