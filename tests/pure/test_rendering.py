"""Block Kit from pure functions, checked as plain data: buttons fit the state, deadlines are in
the viewer's zone, user text is escaped, limits hold."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from bot.rendering import card_for, card_text, modals, replies
from bot.rendering.actions import Action, View
from bot.rendering.evidence_lines import feedback_line
from bot.rendering.examples import USAGE
from bot.rendering.help import help_reply
from bot.rendering.home import TeamSection, home_view
from bot.reports.evidence import FeedbackItem
from tests.pure.views import absence, inquiry


def action_ids(blocks):
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def all_text(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_open_card_offers_acknowledge_resolve_snooze_reassign():
    blocks = card_for(inquiry(), "America/New_York")
    assert action_ids(blocks) == [Action.ACKNOWLEDGE, Action.RESOLVE, Action.SNOOZE_1H, Action.REASSIGN]
    values = {e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]}
    assert values == {"12"}


def test_acknowledged_card_offers_post_update_instead():
    view = inquiry(status="acknowledged", first_response_at=datetime(2026, 3, 4, 16, 0, tzinfo=UTC))
    assert action_ids(card_for(view, "America/New_York"))[0] == Action.POST_UPDATE
    assert "(on time)" in all_text(card_for(view, "America/New_York"))


def test_resolved_card_offers_rating_and_closed_card_nothing():
    assert action_ids(
        card_for(inquiry(status="resolved", resolved_at=datetime(2026, 3, 5, tzinfo=UTC)), None)
    ) == [Action.RATE]
    assert action_ids(card_for(inquiry(status="closed", close_reason="duplicate"), None)) == []


def test_a_resolved_card_offers_no_rating_to_whom_it_would_count_for():
    done = inquiry(status="resolved", resolved_at=datetime(2026, 3, 5, tzinfo=UTC))
    answered = replace(done, first_response_by="U2")
    assert action_ids(card_for(replace(done, viewer=done.assignee), None)) == []
    assert action_ids(card_for(replace(answered, viewer="U2"), None)) == []  # U2 answered it
    assert action_ids(card_for(replace(answered, viewer=done.assignee), None)) == [Action.RATE]


def test_a_rating_its_own_subject_entered_says_so_in_the_evidence():
    rated = FeedbackItem(1, "INQ-1", "U1", 5, "quick", datetime(2026, 3, 5, tzinfo=UTC), "S1")
    assert feedback_line(rated).endswith("“quick” — entered by staff (<@S1>)")
    assert feedback_line(replace(rated, given_by="U1")).endswith(
        "— entered by staff (<@U1>, the person rated)"
    )


def test_deadline_in_the_viewers_zone():
    view = inquiry()
    assert "Thu 5 Mar 2026, 5:00 PM EST" in all_text(card_for(view, "America/New_York"))
    assert "Thu 5 Mar 2026, 2:00 PM PST" in all_text(card_for(view, "America/Los_Angeles"))
    assert "first response due Thu 5 Mar 2026, 4:00 PM CST" in card_text(view, "America/Chicago")


def test_user_text_is_escaped_but_mentions_stay_mentions():
    view = inquiry(subject="A&B <script> from <@U777>")
    text = all_text(card_for(view, None))
    assert "A&amp;B &lt;script&gt; from <@U777>" in text


def test_overdue_marked_and_headline_first():
    blocks = card_for(inquiry(overdue=True), None, headline="INQ-12 is now yours")
    assert blocks[0]["text"]["text"] == "INQ-12 is now yours"
    assert "Overdue" in blocks[1]["text"]["text"]


def test_logged_reply_says_what_happened_in_one_line():
    reply = replies.logged(inquiry(assignee="U2"), "America/New_York", actor="U1")
    assert reply.text.startswith(
        ":white_check_mark: Logged *INQ-12* for <@U2> — first response due Thu 5 Mar 2026, 5:00 PM EST"
    )
    assert "\n" not in reply.text
    assert action_ids(reply.blocks)[0] == Action.ACKNOWLEDGE


def test_error_reply_shows_the_example():
    reply = replies.error("“abc” is not an inquiry id", "/inquiry show INQ-12")
    assert "abc" in reply.text and "`/inquiry show INQ-12`" in reply.text
    assert reply.blocks[1]["elements"][0]["text"] == "Example: `/inquiry show INQ-12`"


def test_list_caps_at_twenty_items_and_counts_overdue():
    views = [inquiry(id=n, ref=f"INQ-{n}", overdue=n % 2 == 0) for n in range(1, 31)]
    reply = replies.inquiry_list(views, "America/New_York", "mine")
    assert reply.text == "Your open inquiries: 30, 15 overdue."
    assert len(reply.blocks) == 22 and "10 more" in all_text(reply.blocks)
    assert replies.inquiry_list([], None, "team").text.startswith("Your team's open inquiries: none")
    # No stutter: an overdue list, or a list all overdue, does not count them twice.
    late = [inquiry(id=n, ref=f"INQ-{n}", overdue=True) for n in range(1, 5)]
    assert replies.inquiry_list(late, None, "overdue").text == "Overdue inquiries: 4."
    assert replies.inquiry_list(late, None, "mine").text == "Your open inquiries: 4, all overdue."


def test_home_orders_overdue_first_and_shows_team_for_supervisors():
    later = inquiry(id=1, ref="INQ-1", first_response_due=datetime(2026, 3, 9, tzinfo=UTC))
    soon = inquiry(id=2, ref="INQ-2", first_response_due=datetime(2026, 3, 6, tzinfo=UTC))
    late = inquiry(id=3, ref="INQ-3", overdue=True, first_response_due=datetime(2026, 3, 8, tzinfo=UTC))
    view = home_view(
        user_id="U1",
        tz="America/New_York",
        mine=[later, soon, late],
        on_time="92%",
        away=absence(),
        teams=[TeamSection("default", [late, soon])],
    )
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    titles = [b["text"]["text"] for b in view["blocks"] if b.get("block_id", "").endswith("_title")]
    assert [t.split("*")[1] for t in titles] == ["INQ-3", "INQ-2", "INQ-1"]
    text = all_text(view["blocks"])
    assert "92%" in text and "Team default: 2 open, 1 overdue" in text and "<@U2> covers" in text
    assert Action.OPEN_NEW in action_ids(view["blocks"])


def test_new_inquiry_modal_fields_and_defaults():
    now = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
    modal = modals.new_inquiry_modal(
        user_id="U1",
        now=now,
        subject="From a message",
        kind="slack",
        source_link="https://x.slack.com/archives/C1/p1",
        metadata='{"c": "C1"}',
    )
    assert modal["callback_id"] == View.NEW_INQUIRY and len(modal["title"]["text"]) <= 24
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks[modals.RECEIVED]["element"]["initial_date_time"] == int(now.timestamp())
    assert blocks[modals.ASSIGNEE]["element"]["initial_user"] == "U1"
    assert blocks[modals.KIND]["element"]["initial_option"]["value"] == "slack"
    assert blocks[modals.SUBJECT]["element"]["initial_value"] == "From a message"
    assert blocks[modals.DUE]["optional"] is True
    for name, block in blocks.items():
        if block["type"] == "input":
            assert block["element"]["action_id"] == name  # read back at state.values[name][name]


def test_action_forms_carry_metadata_and_short_titles():
    view = inquiry(id=123456, ref="INQ-123456")
    for build, callback in (
        (modals.acknowledge_modal, View.ACKNOWLEDGE),
        (modals.update_modal, View.POST_UPDATE),
        (modals.resolve_modal, View.RESOLVE),
        (modals.reassign_modal, View.REASSIGN),
        (modals.rate_modal, View.RATE),
    ):
        modal = build(view, "America/New_York", '{"id": 123456}')
        assert modal["callback_id"] == callback
        assert modal["private_metadata"] == '{"id": 123456}'
        assert len(modal["title"]["text"]) <= 24


def test_help_lists_every_subcommand_with_examples():
    text = all_text(help_reply().blocks)
    for name in USAGE:  # every subcommand the parser knows, disputes and closures included
        assert f"`/inquiry {name}" in text, name
    assert "Example: `/inquiry ack INQ-12" in all_text(help_reply("ack").blocks)


def test_post_update_form_header_shows_the_deadline_the_item_works_to():
    def header(view) -> str:
        return modals.update_modal(view, "America/New_York", "{}")["blocks"][0]["elements"][0]["text"]

    acked = datetime(2026, 3, 4, 16, 0, tzinfo=UTC)
    promised = inquiry(
        status="acknowledged",
        first_response_at=acked,
        promised_resolution=datetime(2026, 3, 13, 21, 0, tzinfo=UTC),
    )
    assert "resolution promised by Fri 13 Mar 2026, 5:00 PM EDT" in header(promised)
    assert "first response due" not in header(promised)  # already met: not the deadline any more
    assert "(passed)" in header(replace(promised, overdue=True))
    assert "no resolution date promised" in header(inquiry(status="acknowledged", first_response_at=acked))
    assert "first response due Thu 5 Mar 2026, 5:00 PM EST" in header(inquiry())


def test_a_bundle_of_one_reads_in_the_singular_and_never_renders_a_subjects_markup():
    from bot.rendering.bundles import BundleItem, bundle_blocks, bundle_text

    hostile = inquiry(subject="<!channel> *now* <https://evil.example|click>")
    one = [BundleItem(hostile, "nudge", hostile.first_response_due, "2 business hours left")]
    assert bundle_text(one, "America/New_York") == ":bell: 1 inquiry needs you: INQ-12."
    blocks = bundle_blocks(one, "America/New_York")
    assert blocks[0]["text"]["text"] == ":bell: *1 inquiry needs you now*"
    line = blocks[1]["text"]["text"]
    assert "<!channel>" not in line and "<https://" not in line and "&lt;!channel&gt;" in line
    two = one + [BundleItem(inquiry(id=13, ref="INQ-13"), "overdue", None, "")]
    assert bundle_text(two, None) == ":bell: 2 inquiries need you: INQ-12, INQ-13."


def test_a_subject_never_reaches_a_notification_as_markup():
    # Top-level `text` is what Slack notifies with: a subject of "<!channel>" must not ping the
    # channel (a user mention stays a mention, as on the card: test_user_text_is_escaped_but_...).
    from bot.rendering import notices
    from bot.rendering.card import card_text

    hostile = "<!channel> urgent"
    tz = datetime(2026, 3, 4, tzinfo=UTC).tzinfo
    due = datetime(2026, 3, 5, 22, 0, tzinfo=UTC)
    texts = [
        notices.assigned("INQ-12", hostile, "U1", due, tz),
        notices.complex_routed("INQ-12", hostile, "U2", due, tz),
        notices.escalated("INQ-12", hostile, "U1", "U2", None),
        notices.covering("INQ-12", hostile, "U3", due, tz),
        card_text(inquiry(subject=hostile), "America/New_York"),
    ]
    for text in filter(None, texts):
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text, text


def test_a_supervisors_full_home_keeps_the_team_view_within_slacks_100_blocks():
    """A supervisor of a large team with a full list of their own, missed outcomes to dispute and
    many open disputes to decide: the Home tab still shows their team (spec §5: "team view for
    supervisors") and says what it left out, instead of Slack's 100 blocks cutting it off silently."""
    from bot.lifecycle.views import DisputeView
    from storage.queries.outcome_disputes import DisputeRow

    when = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    mine = [inquiry(id=n, ref=f"INQ-{n}") for n in range(1, 16)]
    team = [inquiry(id=n, ref=f"INQ-{n}", assignee="U9") for n in range(100, 130)]
    disputable = [
        DisputeView(n, n, "first_response", "missed", "U1", "desk", when, when, "decided", "U1", "")
        for n in range(200, 205)
    ]
    disputes = [
        DisputeRow(n, n, "first_response", "missed", when, when, "U9", "desk", "U9", when, "was away")
        for n in range(300, 320)
    ]
    view = home_view(
        user_id="U1",
        tz="America/New_York",
        mine=mine,
        teams=[TeamSection("desk", team)],
        disputable=disputable,
        disputes=disputes,
    )
    blocks = view["blocks"]
    assert len(blocks) <= 100
    text = all_text(blocks)
    assert "Team desk: 30 open, 0 overdue" in text
    assert "…and 15 more: `/inquiry list team`" in text  # the team list says what it left out
    assert "Open disputes: 20" in text
    shown = sum(1 for b in blocks if b["type"] == "actions" and Action.VOID in action_ids([b]))
    assert 0 < shown < 20 and f"…and {20 - shown} more open disputes" in text
    assert blocks[-1]["type"] != "divider" and blocks[-1]["type"] != "header"


def test_a_dispute_reply_names_who_was_asked_to_decide_it():
    from bot.lifecycle.views import DisputeView
    from bot.rendering.disputes import disputed

    when = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)

    def reply(told: tuple[str, ...], told_as: str) -> str:
        view = DisputeView(
            1, 1, "first_response", "missed", "S1", "desk", when, when, "disputed", "S1", "why"
        )
        return disputed(replace(view, told=told, told_as=told_as), "America/New_York").text

    assert "A supervisor of your team decides (<@S2>, <@S3> were asked)" in reply(("S2", "S3"), "supervisor")
    assert "the team's only supervisor, so an admin decides (<@UADMIN> was asked)" in reply(
        ("UADMIN",), "admin"
    )
    assert "no admin is set up, so it waits until one is" in reply((), "admin")


def test_a_bundled_no_update_reminder_says_for_how_long_in_singular_and_plural():
    from bot.rendering.bundles import BundleItem, bundle_blocks, bundle_text

    answered = inquiry(first_response_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    waiting = inquiry(id=13, ref="INQ-13", first_response_at=None)
    items = [
        BundleItem(answered, "stale", None, "", "5 business days"),
        BundleItem(waiting, "stale", None, "", "1 business day"),
    ]
    lines = [b["text"]["text"] for b in bundle_blocks(items, None) if b["type"] == "section"]
    assert lines[0] == ":bell: *2 inquiries need you now*"
    assert lines[1].endswith("has had no update for 5 business days")
    assert lines[2].endswith("has had nothing for 1 business day and no first response yet")
    six = [BundleItem(inquiry(id=n, ref=f"INQ-{n}"), "stale", None, "", "5 business days") for n in range(6)]
    assert bundle_text(six, None).endswith("INQ-4 and 1 more inquiry.")
    assert bundle_blocks(six, None)[-1]["elements"][0]["text"] == (
        "…and 1 more inquiry. Open the bot's *Home* tab to see it."
    )
    seven = six + [BundleItem(inquiry(id=7, ref="INQ-7"), "stale", None, "", "5 business days")]
    assert bundle_text(seven, None).endswith("and 2 more inquiries.")
    assert "see them all" in bundle_blocks(seven, None)[-1]["elements"][0]["text"]
