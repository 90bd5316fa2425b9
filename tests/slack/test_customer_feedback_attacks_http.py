"""The customer's feedback page as an attacker tries it, over real HTTP (`inquirybot serve`'s WSGI
app on waitress): other methods, two forms at once, a token of an item closed, reassigned or whose
outcome was voided after the link went out. Each gets a clear 4xx or the documented behaviour
(docs/customer-feedback.md), never a 5xx, and stores nothing it should not."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.models import Event
from tests.slack import test_customer_feedback_http as base
from tests.slack.feedback_client import FORM, OFFICE, token_in
from tests.slack.helpers import know_zone
from tests.slack.test_customer_feedback_http import answered, customer_events, ratings

# The feedback tests' own fixtures: the settings with the public URL, Alice, the customer's browser.
runtime, alice, customer = base.runtime, base.alice, base.customer


def events(runtime) -> int:
    with runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(Event)) or 0


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_another_method_is_a_plain_405_and_stores_nothing(alice, customer, runtime, method):
    token = answered(alice)
    csrf = customer.csrf(token)
    before = events(runtime)
    answer = customer.request(
        method, f"/feedback/{token}", f"rating=5&csrf={csrf}".encode(), {"Content-Type": FORM}
    )
    assert (answer.status, answer.headers["allow"]) == (405, "GET, HEAD, POST")
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert ratings(runtime) == [] and events(runtime) == before


def test_head_answers_like_get_without_a_body_and_stores_nothing(alice, customer, runtime, clock):
    token = answered(alice)
    head = customer.request("HEAD", f"/feedback/{token}")
    assert head.status == 200 and head.text == "" and head.headers["cache-control"] == "no-store"
    assert customer.request("HEAD", f"/feedback/{'A' * 32}").status == 404
    assert ratings(runtime) == [] and customer_events(runtime) == []


def test_the_same_form_sent_twice_at_once_stores_one_rating(alice, customer, runtime):
    """A double click, or a replay racing the original: one rating, one event, one DM queued."""
    token = answered(alice)
    csrf = customer.csrf(token)
    body = f"rating=4&comment=twice&csrf={csrf}".encode()
    headers = {"Content-Type": FORM, "Cookie": customer.cookie or ""}
    answers: list[int] = []
    start = threading.Barrier(2)

    def send() -> None:
        start.wait()
        answers.append(customer.request("POST", f"/feedback/{token}", body, headers).status)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert answers == [200, 200]
    assert ratings(runtime) == [(4, "twice")] and len(customer_events(runtime)) == 1


@pytest.mark.parametrize("how", ["duplicate of INQ-2", "withdrawn the customer called to withdraw it"])
def test_an_item_closed_after_its_answer_takes_no_rating(alice, customer, runtime, how):
    """The link went out with the acknowledgement; the item was then closed as a duplicate or
    withdrawn: its page (410) says so, not that ratings ended 30 days after a resolution that never
    happened, and a form sent to it stores nothing."""
    token = answered(alice)
    csrf = customer.csrf(token)
    alice.command("log email The same question again")
    closed = alice.command(f"close INQ-1 {how}")
    assert closed.status == 200 and "Closed" in closed.text, closed.text
    page = customer.open(token)
    assert page.status == 410 and OFFICE in page.text and "<h1>This inquiry takes no rating</h1>" in page.text
    assert "was closed without a resolution of its own" in page.text and "resolved." not in page.text
    form = f"rating=5&csrf={csrf}".encode()
    late = customer.request("POST", f"/feedback/{token}", form, {"Content-Type": FORM})
    assert late.status == 410 and "Nothing was recorded" in late.text
    assert ratings(runtime) == [] and customer_events(runtime) == []


def test_a_reassigned_item_keeps_its_link_and_the_new_holder_hears_of_the_rating(
    alice, slack, customer, runtime, web, deliver, clock
):
    """One link per inquiry, for good: after a reassignment the customer's link still works, and the
    DM goes to whoever holds the item now, not to the one who answered."""
    token = answered(alice)
    know_zone(slack, web, "S1")
    moved = slack.command("reassign INQ-1 <@U2|bob>", user="S1")
    assert moved.status == 200 and "INQ-1" in moved.text, moved.text
    deliver()
    assert customer.send(token, {"rating": "3", "comment": "fine"}).status == 200
    assert ratings(runtime) == [(3, "fine")]
    clock.advance(timedelta(seconds=2))  # one message a second to a conversation
    deliver()
    rated = [dm for dm in web.calls_to("chat.postMessage") if dm["text"].startswith("A customer rated INQ-1")]
    assert [dm["channel"] for dm in rated] in (["U2"], ["DU2"])


def test_a_voided_outcome_leaves_the_customers_link_as_it_was(alice, slack, customer, runtime, clock, web):
    """Voiding an outcome decides how a deadline counts for the employee; it is not the customer's
    answer being taken back, so the page still takes a rating (docs/customer-feedback.md)."""
    alice.command("log email Export license status; from Jane Doe <jane@example.gov>")
    clock.advance(timedelta(days=3))  # the first response comes late: an outcome to dispute
    token = token_in(alice.command("ack INQ-1 expect next Friday").text)
    disputed = alice.command("dispute INQ-1 first-response the customer's email bounced; I called")
    assert disputed.status == 200 and "disputed" in disputed.text, disputed.text
    know_zone(slack, web, "S1")
    voided = slack.command("void INQ-1 the call log shows it on time", user="S1")
    assert voided.status == 200 and "Voided" in voided.text, voided.text
    assert customer.send(token, {"rating": "5"}).status == 200
    assert ratings(runtime) == [(5, None)]


def hostile_requests(token: str, csrf: str) -> list[tuple[str, str, bytes, dict[str, str]]]:
    path = f"/feedback/{token}"
    good = f"rating=5&csrf={csrf}"
    return [
        ("POST", path, f"{good}&{'&'.join(f'x{i}=1' for i in range(20))}".encode(), {"Content-Type": FORM}),
        ("POST", path, f"{good}&csrf={csrf}".encode(), {"Content-Type": FORM}),  # the token twice
        ("POST", path, f"{good}&comment=a&comment=b".encode(), {"Content-Type": FORM}),
        ("POST", path, b"rating=5&csrf=%zz", {"Content-Type": FORM}),
        ("POST", path, b"rating=%00&csrf=" + csrf.encode(), {"Content-Type": FORM}),
        ("POST", path, b"\xff\xfe\x00", {"Content-Type": FORM}),
        ("POST", path, b"=&&==", {"Content-Type": FORM}),
        ("POST", path, good.encode(), {"Content-Type": FORM, "Cookie": 'inquirybot_csrf="\\"; x=;;;'}),
        ("POST", path, good.encode(), {"Content-Type": FORM, "Cookie": "inquirybot_csrf=" + "é" * 43}),
        ("POST", path, good.encode(), {"Content-Type": FORM, "Origin": "null"}),
        ("POST", path, good.encode(), {"Content-Type": "multipart/form-data; boundary=x"}),
        ("POST", path, good.encode(), {"Content-Type": FORM, "Content-Length": "-5"}),
        ("POST", path, good.encode(), {"Content-Type": FORM, "Content-Length": "5x"}),
        ("POST", path, good.encode(), {"Content-Type": FORM, "Content-Length": "999999999999"}),
        ("GET", path + "?rating=5&csrf=" + csrf, b"", {}),  # a form sent as a link: read-only
        ("GET", path, b"", {"Cookie": "inquirybot_csrf=" + "x" * 5000}),
        ("GET", f"/feedback/{token}%00", b"", {}),
        ("GET", f"/feedback/{'%41' * 32}", b"", {}),
        ("TRACE", path, b"", {}),
    ]


def test_hostile_forms_headers_and_paths_get_a_4xx_and_store_nothing(alice, customer, runtime, clock):
    """Each of these is refused with a 4xx (or, for a page read, answered as usual): never a 5xx,
    never a rating, never an event."""
    token = answered(alice)
    csrf = customer.csrf(token)
    before = events(runtime)
    jar = customer.cookie or ""  # the page's cookie, matching `csrf`: only the hostile part differs
    for method, path, body, headers in hostile_requests(token, csrf):
        sent = {"Cookie": jar, **headers}
        answer = customer.request(method, path, body, sent)
        case = (method, path, body[:60], headers, answer.status, answer.text[:200])
        assert answer.status < 500 and answer.status != 429, case
        assert method == "GET" or answer.status >= 400, case
        clock.advance(timedelta(minutes=11))  # past the per-token limit: each case gets its own answer
    assert ratings(runtime) == [] and events(runtime) == before
