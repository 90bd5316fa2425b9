"""The accessibility rules themselves (tests/a11y.py) flag what they are for and pass what they
should; tests/slack/test_accessibility.py holds everything the served app sends against them."""

from __future__ import annotations

from tests.a11y import message_problems, problems_in_blocks


def test_the_rules_catch_what_they_are_for():
    assert message_problems({"text": ":tada:"})  # emoji alone
    assert message_problems({"text": "50% `█████░░░░░`"})  # a glyph bar
    assert message_problems({"text": "INQ-1 rated ★★★★☆"})
    assert message_problems(
        {
            "text": "ok",
            "blocks": [{"type": "context", "elements": [{"type": "mrkdwn", "text": ":red_circle:"}]}],
        }
    )
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Resolve"},
        "value": "12",
        "action_id": "inquiry_resolve",
    }
    assert problems_in_blocks([{"type": "actions", "elements": [button]}], "b")
    assert not problems_in_blocks(
        [{"type": "actions", "elements": [{**button, "accessibility_label": "Resolve INQ-12"}]}], "b"
    )
    assert problems_in_blocks([{"type": "image", "image_url": "https://x/y.png", "alt_text": "chart"}], "b")
    assert not message_problems(
        {
            "text": "Weekly digest: 70% on time, 7 of 10",
            "blocks": [
                {"type": "image", "slack_file": {"id": "F1"}, "alt_text": "On-time rate: 70%, 7 of 10"}
            ],
        }
    )


def test_a_middle_dot_between_words_is_flagged():
    """Read aloud, `*INQ-12* · Export license` is "INQ-12 middle dot Export license"."""
    assert message_problems({"text": "INQ-12 · Export license status"})
    assert problems_in_blocks(
        [{"type": "section", "text": {"type": "mrkdwn", "text": "*INQ-12*: Export license · Email"}}], "b"
    )
    assert not message_problems({"text": "INQ-12: Export license status; email", "blocks": []})


def test_a_number_written_as_a_fraction_is_flagged_but_not_a_link_address():
    """`7/11 on time` is read "seven slash eleven" (or as July 11) and `4.5/5 avg` "four point five
    slash five avg"; Slack text says "7 of 11" and "4.5 of 5"."""
    assert message_problems({"text": "Below Meets: 7/11 on time (63.6%)"})
    assert problems_in_blocks(
        [{"type": "section", "text": {"type": "mrkdwn", "text": "customers' own: 4.5/5 avg"}}], "b"
    )
    assert not message_problems({"text": "63.6% on time, 7 of 11; rated 4.5 of 5 on average"})
    link = "<https://acme.slack.com/archives/C0123/p1700000000000100?x=1/2|source message>"
    assert not message_problems({"text": f"INQ-12 from the {link}; <http://h/T1/2/abc>"})


def test_hours_and_weeks_as_letters_are_flagged():
    """`after 12.2 h` is read "twelve point two h"; a chart's `W46` "W forty-six"."""
    assert message_problems({"text": "INQ-9 answered after 12.2 h of business time"})
    assert not message_problems({"text": "INQ-9 answered after 12.2 business hours"})
    chart = {"type": "image", "slack_file": {"id": "F1"}, "alt_text": "W46 50% on time, 2 of 4"}
    assert problems_in_blocks([chart], "b")
    assert not problems_in_blocks([{**chart, "alt_text": "week 46 50% on time, 2 of 4"}], "b")
    assert not message_problems({"text": "INQ-3: W2 form request"})  # a subject may name a W2
