"""The Web API stand-in answers conversations.history as Slack does for apps distributed outside
the Marketplace (docs/delivery.md): from what was posted, newest first, with metadata only when
asked, at most 15 messages a page and one call a minute, the next answered 429 with Retry-After."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from inquirybot.slack_standin.webapi import WebApiStandIn


def call(web: WebApiStandIn, method: str, **params: object) -> tuple[int, dict, str | None]:
    body = urllib.parse.urlencode({k: str(v) for k, v in params.items()}).encode()
    request = urllib.request.Request(
        web.url + method, data=body, headers={"Authorization": "Bearer xoxb-test"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read()), None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), exc.headers.get("Retry-After")


def test_history_answers_from_what_was_posted_at_slacks_limits():
    web = WebApiStandIn().start()
    try:
        web.wall_clock_ts()
        web.limit_history()  # Slack's: 1 call a minute, 15 messages a page
        for n in range(20):
            metadata = json.dumps({"event_type": "inquirybot_outbox", "event_payload": {"key": f"k{n}"}})
            assert call(web, "chat.postMessage", channel="C1", text=f"m{n}", metadata=metadata)[1]["ok"]
        call(web, "chat.postMessage", channel="C2", text="elsewhere")
        status, page, _ = call(
            web, "conversations.history", channel="C1", limit=100, include_all_metadata="true"
        )
        assert status == 200 and page["has_more"] is True
        assert [m["text"] for m in page["messages"]] == [
            f"m{n}" for n in range(19, 4, -1)
        ]  # 15, newest first
        assert page["messages"][0]["metadata"]["event_payload"] == {"key": "k19"}
        status, refused, retry_after = call(web, "conversations.history", channel="C1")
        assert status == 429 and refused["error"] == "ratelimited"
        assert retry_after is not None and 1 <= int(retry_after) <= 60
    finally:
        web.stop()


def test_history_keeps_to_its_window_and_hides_metadata_unless_asked():
    web = WebApiStandIn().start()
    try:
        web.wall_clock_ts()
        stamps = [
            call(web, "chat.postMessage", channel="C1", text=f"m{n}", metadata="{}")[1]["ts"]
            for n in range(3)
        ]
        _, page, _ = call(web, "conversations.history", channel="C1", oldest=stamps[0], latest=stamps[1])
        assert page["messages"] == []  # exclusive by default
        _, page, _ = call(
            web, "conversations.history", channel="C1", oldest=stamps[0], latest=stamps[1], inclusive="true"
        )
        assert [m["text"] for m in page["messages"]] == ["m1", "m0"]
        assert all("metadata" not in m for m in page["messages"])
    finally:
        web.stop()
