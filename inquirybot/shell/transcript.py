"""What the shell prints for each thing the bot did: one labelled entry per visible message."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from inquirybot.shell.blocks_text import buttons_of, message_to_text
from inquirybot.shell.forms import FormFill, Reader
from inquirybot.shell.people import Directory
from inquirybot.slack_standin.webapi import Call

HIDDEN = {
    "auth.test",
    "users.info",
    "conversations.open",
    "chat.getPermalink",
    "conversations.history",
    # a file upload's steps: the message it lands in is shown (with the image's alt text)
    "files.getUploadURLExternal",
    "upload",
    "files.completeUploadExternal",
}


@dataclass
class Entry:
    """One thing a person would see. `where` lets `:click` press its buttons."""

    heading: str
    body: str
    blocks: list[dict[str, Any]] | None = None
    where: dict[str, Any] | None = None

    def has_buttons(self) -> bool:
        return bool(buttons_of(self.blocks))

    def render(self) -> str:
        return f"{self.heading}\n{_indent(self.body)}" if self.body else self.heading


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.splitlines())


def _blocks(value: Any) -> list[dict[str, Any]] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return None
    return value if isinstance(value, list) else None


FORM_HINT = (
    "(fill it in below, one field at a time: Enter keeps the value shown in [brackets], "
    "- empties an optional field, :cancel closes the form)"
)


def view_of(call: Call) -> dict[str, Any]:
    """The view a views.* call carries (slack_sdk sends it as JSON text)."""
    view = call.params.get("view") or {}
    if isinstance(view, str):
        view = json.loads(view)
    return view if isinstance(view, dict) else {}


def form_entry(form: FormFill, reader: Reader, directory: Directory, *, color: bool) -> Entry:
    """A form just opened: what it is about, each field with the value it starts with, and how to fill it."""
    about = [b for b in form.view.get("blocks", []) if b.get("type") != "input"]
    lines = [message_to_text(None, about, color=color, names=directory.names)] if about else []
    for f in form.fields:
        lines.append(f"  {f.label}{' (optional)' if f.optional else ''}: {form.shown(f, reader) or '____'}")
    return Entry(f"[form: {form.title}]", "\n".join([*lines, FORM_HINT]))


def form_errors_entry(form: FormFill) -> Entry:
    """The app refused the form: each field's error, as Slack shows it under the field."""
    lines = [f"! {form.label(name)}: {message}" for name, message in form.errors.items()]
    return Entry(f"[form not sent: {form.title}] fix the field(s) below and answer again", "\n".join(lines))


def _place(channel: str, directory: Directory) -> str:
    if channel.startswith("D") or channel[:1] in ("U", "W"):  # the stand-in's DM channel is "D" + user id
        return f"DM to @{directory.name(channel.removeprefix('D'))}"
    return f"#{directory.name(channel)}"


def ack_entry(body: str, directory: Directory, *, color: bool, viewer_channel: str) -> Entry | None:
    """The acknowledgement of a command: Slack shows its text/blocks to the user alone."""
    if not body or not body.strip().startswith("{"):
        return None
    data = json.loads(body)
    if "response_action" in data:
        return None
    blocks = _blocks(data.get("blocks"))
    text = message_to_text(data.get("text"), blocks, color=color, names=directory.names)
    where = {"type": "message", "channel": viewer_channel, "ts": "0", "blocks": blocks, "ephemeral": True}
    return Entry("(only visible to you)", text, blocks, where)


def call_entry(call: Call, directory: Directory, *, color: bool, last_ephemeral_channel: str) -> Entry | None:
    p = call.params
    names = directory.names
    if call.method in HIDDEN:
        return None
    if call.method == "response_url":
        blocks = _blocks(p.get("blocks"))
        text = message_to_text(p.get("text"), blocks, color=color, names=names)
        if p.get("delete_original"):
            return Entry("(message removed)", "")
        visible = "in the channel" if p.get("response_type") == "in_channel" else "only visible to you"
        heading = "(message updated)" if p.get("replace_original") else f"({visible})"
        where = {
            "type": "message",
            "channel": last_ephemeral_channel,
            "ts": "0",
            "blocks": blocks,
            "ephemeral": p.get("response_type") != "in_channel",
        }
        return Entry(heading, text, blocks, where)
    if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        channel = str(p.get("channel", ""))
        blocks = _blocks(p.get("blocks"))
        text = message_to_text(p.get("text"), blocks, color=color, names=names)
        heading = _place(channel, directory)
        if p.get("thread_ts"):
            heading += " (in thread)"
        if call.method == "chat.update":
            heading = f"(message updated) {heading}"
        elif call.method == "chat.postEphemeral":
            heading = f"{heading}, only visible to @{directory.name(str(p.get('user', '')))}"
        # Where the message landed, as Slack answered (a DM to U… lands in D…), so a click redraws it.
        landed_in = str(call.answer.get("channel") or channel)
        landed_at = str(p.get("ts") or call.answer.get("ts") or call.answer.get("message_ts") or "1.0")
        where = {
            "type": "message",
            "channel": landed_in,
            "ts": landed_at,
            "blocks": blocks,
            "ephemeral": call.method == "chat.postEphemeral",
        }
        return Entry(heading, text, blocks, where)
    if call.method in ("views.open", "views.push", "views.update"):
        view = view_of(call)
        title = (view.get("title") or {}).get("text", "form")
        body = message_to_text(None, view.get("blocks"), color=color, names=names)
        return Entry(f"[modal: {title}]", body)
    if call.method == "views.publish":
        view = view_of(call)
        blocks = view.get("blocks") or []
        where = {"type": "home", "view_id": "VHOME", "blocks": blocks}
        body = message_to_text(None, blocks, color=color, names=names)
        return Entry(f"[App Home of @{directory.name(str(p.get('user_id', '')))}]", body, blocks, where)
    return Entry(f"({call.method})", "")
