"""`/inquiry report team` over HTTP: the ephemeral report says a chart is coming, and the chart
reaches the supervisor as a DM through the outbox (uploaded once, shown with its figures)."""

from __future__ import annotations

from tests.a11y import message_problems
from tests.slack.helpers import know_zone, text_of

PNG = b"\x89PNG\r\n\x1a\n"


def test_team_report_sends_its_chart_once(slack, web, deliver):
    know_zone(slack, web, "U1")
    know_zone(slack, web, "S1")
    slack.command("log email Export license status")
    slack.command("log phone Records request; received Monday 9am")  # due Tue 5 pm: missed
    slack.command("ack INQ-2")
    reply = slack.command("report team this week", user="S1")
    assert "on its way to you as a direct message" in text_of(reply.json()["blocks"])
    deliver()
    deliver()
    [dm] = [p for p in web.dms_to("S1") if p.get("blocks") and any(b["type"] == "image" for b in p["blocks"])]
    assert dm["text"].startswith("Chart for the Team desk report, this week")
    assert "0% on time, 0 of 1" in dm["text"]  # INQ-2 answered late; INQ-1 not due yet
    [image] = [b for b in dm["blocks"] if b["type"] == "image"]
    data = web.uploads[image["slack_file"]["id"]]
    assert data.startswith(PNG) and 10_000 < len(data) < 400_000
    assert "U1 0% on time, 0 of 1" in image["alt_text"] or "alice 0% on time, 0 of 1" in image["alt_text"]
    assert len(web.calls_to("files.getUploadURLExternal")) == 1
    assert len(web.calls_to("files.completeUploadExternal")) == 1
    assert message_problems(dm) == []


def test_a_persons_report_has_no_chart(slack, web, deliver):
    know_zone(slack, web, "U1")
    reply = slack.command("report me")
    assert "direct message" not in text_of(reply.json()["blocks"])
    deliver()
    assert web.calls_to("files.getUploadURLExternal") == []
