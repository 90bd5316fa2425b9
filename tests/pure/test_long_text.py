"""Long text cut into Slack-sized pieces and messages, nothing dropped (bot/rendering/long_text.py)."""

from __future__ import annotations

from bot.rendering import long_text
from bot.rendering.replies import explain


def test_pieces_keep_every_line_and_cut_only_between_lines():
    lines = [f"line {n} " + "x" * 90 for n in range(100)]
    pieces = long_text.pieces(lines, limit=1000)
    assert all(len(piece) <= 1000 for piece in pieces) and len(pieces) > 1
    assert "\n".join(pieces).split("\n") == lines


def test_a_line_longer_than_a_piece_is_cut_at_a_space_and_kept_whole():
    words = [f"word{n}" for n in range(400)]
    pieces = long_text.pieces(["short", " ".join(words), "after"], limit=500)
    assert all(len(piece) <= 500 for piece in pieces)
    assert " ".join(" ".join(pieces).split()).split(" ") == ["short", *words, "after"]


def test_past_five_messages_the_last_block_says_where_the_rest_is():
    parts = long_text.messages(
        [{"type": "divider"}] * 400, lambda n, total: f"part {n} of {total}", "the rest: elsewhere"
    )
    assert len(parts) == long_text.MAX_MESSAGES
    assert [line for line, _ in parts] == [None, "part 2 of 5", "part 3 of 5", "part 4 of 5", "part 5 of 5"]
    assert all(len(blocks) <= long_text.MAX_BLOCKS for _, blocks in parts)
    assert parts[-1][1][-1]["elements"][0]["text"] == "the rest: elsewhere"


def test_explain_reply_splits_into_blocks_and_messages():
    lines = [f"Resolution promised for (version {n}) " + "y" * 200 for n in range(800)]
    reply = explain("INQ-7", lines)
    assert len(reply.blocks) == 50 and len(reply.more) == 1
    assert reply.more[0].text == "How the deadlines of INQ-7 were set (continued, part 2 of 2)"
    texts = [b["text"]["text"] for r in (reply, *reply.more) for b in r.blocks if b.get("text")]
    assert all(len(text) <= 3000 for text in texts)
    assert all(f"(version {n})" in "".join(texts) for n in range(800))
