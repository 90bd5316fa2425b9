"""`/inquiry explain` and `/inquiry show` of an item with a long history (hundreds of status updates
with new promised dates, handed back and forth): the evidence was cut at 2,900 characters without
a word; now every line reaches Slack, in as many blocks and messages as it takes (docs/messages.md)."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.lifecycle.views import InquiryDraft
from bot.rendering import format as fmt

UPDATES = 520  # enough promise versions and outcomes for more than one message of 50 blocks


def long_history(served, clock, updates: int) -> int:
    """An acknowledged item whose promised date was moved `updates` times, reassigned every tenth."""
    service = served.services.inquiries
    item = service.log(actor="U1", draft=InquiryDraft(kind="email", subject="Export license status"))
    service.acknowledge(actor="U1", inquiry_id=item.id, expect=clock.now() + timedelta(days=2))
    holder = "U1"
    for n in range(updates):
        clock.advance(timedelta(hours=7))
        service.update(
            actor=holder,
            inquiry_id=item.id,
            note=f"Called again ({n})",
            expect=clock.now() + timedelta(days=3),
        )
        if n % 10 == 9:
            other = "U2" if holder == "U1" else "U1"
            service.reassign(actor="S1", inquiry_id=item.id, to=other)
            holder = other
    return item.id


def fresh_zone(slack, web) -> None:
    """Months have passed while the history was made: let the app learn U1's zone again, so the
    reply's first part rides on the acknowledgement and the rest follows by response_url."""
    before = len(web.calls_to("response_url"))
    slack.command("help", user="U1")
    web.wait_for("response_url", before + 1)


def block_texts(message: dict) -> list[str]:
    texts = []
    for block in message.get("blocks", []):
        if block.get("text"):
            texts.append(block["text"]["text"])
        texts.extend(e.get("text", "") for e in block.get("elements", []) if e.get("type") == "mrkdwn")
    return texts


def in_order(lines: list[str], text: str) -> list[str]:
    """The lines not found in `text` after the previous one: every line, in order, or what is lost."""
    lost, at = [], 0
    for line in lines:
        found = text.find(line, at)
        if found < 0:
            lost.append(line)
        else:
            at = found + len(line)
    return lost


def test_explain_of_a_long_history_is_sent_whole(slack, served, clock, web):
    item = long_history(served, clock, UPDATES)
    lines = [fmt.escape(line) for line in served.services.inquiries.explain(inquiry_id=item)]
    assert sum(len(line) for line in lines) > 50 * 2900  # more than one message can hold
    fresh_zone(slack, web)
    before = len(web.calls_to("response_url"))
    reply = slack.command(f"explain INQ-{item}")
    served.settle()
    messages = [reply.json(), *web.calls_to("response_url")[before:]]
    assert len(messages) == 2
    for message in messages:
        assert len(message["blocks"]) <= 50
        assert all(len(text) <= 3000 for text in block_texts(message))
    assert messages[1]["text"] == "How the deadlines of INQ-1 were set (continued, part 2 of 2)"
    whole = "\n".join(text for m in messages for text in block_texts(m))
    assert in_order(lines, whole) == []
    assert "version 521, current" in whole and "Outcomes (each decided once" in whole
    assert "…more than Slack shows" not in whole


def test_show_of_a_long_history_keeps_every_deadline(slack, served, clock, web):
    item = long_history(served, clock, 120)
    fresh_zone(slack, web)
    reply = slack.command(f"show INQ-{item}")
    blocks = reply.json()["blocks"]
    texts = block_texts(reply.json())
    assert len(blocks) <= 50 and all(len(text) <= 3000 for text in texts)
    whole = "\n".join(texts)
    versions = [int(n) for n in re.findall(r"Resolution promised for \(version (\d+)", whole)]
    assert versions == list(range(1, 122))  # the acknowledgement's promise and 120 more, none lost
    assert whole.count("*How the deadlines were set*") == 1
