"""Files that ride on an outbox message (the report chart), uploaded as resumable steps of that
one message (docs/federal.md, "Charts").

A message that carries a file holds, among its blocks, a *pending file* block: the bytes (base64),
a title and the alt text. The deliverer, before posting, advances each pending file one step at a
time through its Sender (`file_step`: Slack's files.getUploadURLExternal, then the upload POST and
files.completeUploadExternal) and writes the new state into the row's blocks after every step, while
it still holds the row's claim. A deliverer that dies between two steps leaves the row at the last
step written; whoever claims it next carries on from there, so a file is reserved once and
completed once, and the message itself is then posted once like every other (find_sent).

A Sender with no `file_step` (the shell, tests' own senders) gets the message without the file, and
so does a message whose file Slack refuses for good (a step answered with a permanent error): the
file is dropped, logged, and the message itself still goes.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import Any

from bot.delivery.sending import Outgoing, Sender, SendResult

log = logging.getLogger("inquirybot.delivery")

FILE_BLOCK = "inquirybot_file"  # never reaches Slack: replaced by an image block once uploaded

Block = dict[str, Any]


def pending_file(data: bytes, *, filename: str, title: str, alt: str) -> Block:
    return {
        "type": FILE_BLOCK,
        "step": "new",
        "filename": filename,
        "title": title,
        "alt": alt,
        "data": base64.b64encode(data).decode("ascii"),
    }


def file_bytes(block: Block) -> bytes:
    return base64.b64decode(block["data"])


def has_files(blocks: list[Block] | None) -> bool:
    return any(b.get("type") == FILE_BLOCK for b in blocks or ())


def advance_files(
    sender: Sender, message: Outgoing, save: Callable[[list[Block]], bool]
) -> Outgoing | SendResult:
    """The message with every pending file uploaded (its blocks as Slack should see them), or the
    SendResult that stopped a step (to retry or fail like a send). `save` writes the blocks to the
    row and says whether this deliverer still owns it."""
    step = getattr(sender, "file_step", None)
    blocks = list(message.blocks or [])
    if step is None:
        kept = [b for b in blocks if b.get("type") != FILE_BLOCK]
        return _with(message, kept)
    for i, block in enumerate(blocks):
        while block is not None and block.get("type") == FILE_BLOCK:
            result = step(block)
            if isinstance(result, SendResult):
                if result.outcome != "failed":
                    return result
                log.warning(
                    "outbox row %s (%s): Slack refused its file %r at step %s (%s); sending it without",
                    message.id,
                    message.key,
                    block.get("title"),
                    block.get("step"),
                    result.error,
                )
                result = None
            block = blocks[i] = result
            if not save([b for b in blocks if b is not None]):
                return SendResult.retry("another deliverer took this message over mid-upload")
    return _with(message, [b for b in blocks if b is not None])


def _with(message: Outgoing, blocks: list[Block]) -> Outgoing:
    return Outgoing(
        message.id,
        message.key,
        message.kind,
        message.channel,
        message.text,
        blocks or None,
        message.thread_ts,
    )
