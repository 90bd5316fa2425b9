"""The customer's feedback link and page over real HTTP (`inquirybot serve`'s WSGI app on waitress):
the link in Slack, ratings stored as the customer's own, replays, expiry, tampered tokens, hostile
comments, forged forms, rate limits and bad input — asserting what the customer and staff see."""

from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.config.loading import config_from_dict
from bot.config.runtime import Runtime
from bot.config.settings import Settings
from inquirybot.bootstrap import build_feedback_page
from inquirybot.cli.serve import make_server, wsgi_app
from storage.models import CustomerRating, Event, Feedback
from tests.slack.conftest import CONFIG
from tests.slack.feedback_client import CSRF as CSRF_FIELD
from tests.slack.feedback_client import FORM, OFFICE, PUBLIC_URL, Customer, token_in
from tests.slack.harness import SECRET
from tests.slack.helpers import know_zone, text_of


@pytest.fixture
def runtime(database_url, engine, sessions, clock, web) -> Runtime:
    settings = Settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SECRET,
        slack_api_url=web.url,
        public_url=PUBLIC_URL,
        office_name=OFFICE,
    )
    return Runtime(settings, config_from_dict(CONFIG), engine, sessions, clock)


@pytest.fixture
def alice(slack, web):
    know_zone(slack, web, "U1")
    return slack


@pytest.fixture
def customer(served) -> Customer:
    return Customer(served.port)


def answered(alice, *, resolve: bool = False) -> str:
    """An item logged and answered by Alice; the token of its feedback link."""
    alice.command("log email Export license status; from Jane Doe <jane@example.gov>")
    reply = alice.command("resolve INQ-1 sent the copy" if resolve else "ack INQ-1 expect Friday")
    assert reply.status == 200 and PUBLIC_URL in reply.text, reply.text
    return token_in(reply.text)


def reply_to(slack, web, text: str, user: str = "U1") -> str:
    """The reply's text, on the acknowledgement or (when the user's zone is being learned) by response_url."""
    before = len(web.calls_to("response_url"))
    reply = slack.command(text, user=user)
    if reply.text:
        return reply.text
    return web.wait_for("response_url", before + 1)[-1]["text"]


def ratings(runtime) -> list[tuple[int, str | None]]:
    with runtime.sessions() as s:
        return [(r.score, r.comment) for r in s.scalars(select(CustomerRating).order_by(CustomerRating.id))]


def customer_events(runtime) -> list[Event]:
    with runtime.sessions() as s:
        return list(s.scalars(select(Event).where(Event.type == "customer_feedback").order_by(Event.id)))


# ---- the link ------------------------------------------------------------------------------------


def test_the_link_comes_with_the_answer_the_card_and_the_link_command(alice, runtime):
    alice.command("log email Export license status")
    refused = alice.command("link INQ-1")
    assert "has no first response yet" in refused.text and "/inquiry ack INQ-1" in refused.text

    ack = alice.command("ack INQ-1")
    token = token_in(ack.text)
    assert f"customer feedback link: <{PUBLIC_URL}/feedback/{token}>" in text_of(
        ack.json()["blocks"]
    )  # the card
    link = alice.command("link INQ-1")
    assert token_in(link.text) == token and "paste it into your answer" in link.text
    show = alice.command("show INQ-1")
    assert token_in(text_of(show.json()["blocks"])) == token
    resolved = alice.command("resolve INQ-1")
    assert token_in(resolved.text) == token  # one link per inquiry, for good
    assert "Fri 3 Apr 2026" in alice.command("link INQ-1").text  # works until 30 days after resolution


def test_the_token_says_nothing_about_the_item(alice, slack, runtime):
    first = answered(alice)
    slack.command("log email Second question")
    second = token_in(slack.command("ack INQ-2").text)
    # 192 random bits each: neither the id nor the customer is in them, and one says nothing of the next
    assert len({first, second}) == 2 and len(first) == len(second) == 32
    assert "jane" not in first.lower() and sum(a == b for a, b in zip(first, second)) < 8


def test_only_those_who_may_act_get_the_link(alice, slack, web):
    answered(alice)
    know_zone(slack, web, "U2")
    know_zone(slack, web, "S1")
    refused = slack.command("link INQ-1", user="U2")
    assert "you may not get the customer feedback link of INQ-1" in refused.text
    assert PUBLIC_URL not in refused.text
    assert PUBLIC_URL in slack.command("link INQ-1", user="S1").text  # the supervisor


# ---- the page ------------------------------------------------------------------------------------


def test_the_page_shows_the_office_and_the_id_and_nothing_else(alice, customer):
    page = customer.open(answered(alice))
    assert page.status == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    assert OFFICE in page.text and "INQ-1" in page.text
    shown = CSRF_FIELD.sub("", page.text)  # the form's random value could hold any two letters
    for private in ("Export license", "Jane", "jane@example.gov", "U1"):
        assert private not in shown
    assert "<script" not in page.text.lower()
    for words in ("1 — Very dissatisfied", "3 — Neither satisfied nor dissatisfied", "5 — Very satisfied"):
        assert words in page.text
    assert 'maxlength="1000"' in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script runs
    assert page.headers["referrer-policy"] == "same-origin"  # the token never leaves the site
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert '<meta name="viewport"' in page.text  # readable on a phone
    assert "HttpOnly" in page.headers["set-cookie"] and "SameSite=Strict" in page.headers["set-cookie"]
    assert "Secure" in page.headers["set-cookie"]  # the public address is https


def test_a_rating_is_the_customers_own_and_the_holder_hears_of_it(alice, customer, runtime, web, deliver):
    token = answered(alice)
    thanks = customer.send(token, {"rating": "4", "comment": "Clear answer,\r\nthank you"})
    assert thanks.status == 200 and "Thank you" in thanks.text and "4 out of 5, satisfied" in thanks.text
    assert ratings(runtime) == [(4, "Clear answer,\nthank you")]
    [event] = customer_events(runtime)
    assert event.actor == "customer" and event.payload["score"] == 4 and event.payload["replaces"] is None
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 0  # staff feedback untouched
    deliver()
    [dm] = web.dms_to("U1")
    assert dm["text"].startswith("A customer rated INQ-1: 4 out of 5, satisfied.")
    assert ">Clear answer,\n>thank you" in dm["text"]


def test_sending_again_replaces_the_rating_and_a_replay_changes_nothing(
    alice, customer, runtime, web, deliver, clock
):
    token = answered(alice)
    assert customer.send(token, {"rating": "2", "comment": "slow"}).status == 200
    again = customer.send(token, {"rating": "2", "comment": "slow"})  # the same form once more (a replay)
    assert again.status == 200 and "Thank you" in again.text
    assert ratings(runtime) == [(2, "slow")] and len(customer_events(runtime)) == 1
    page = customer.open(token)
    assert "You rated it 2, dissatisfied" in page.text
    assert customer.send(token, {"rating": "5", "comment": ""}).status == 200
    assert ratings(runtime) == [(2, "slow"), (5, None)]  # both kept
    first, second = customer_events(runtime)
    assert second.payload["replaces"] is not None and second.payload["score"] == 5
    deliver()
    clock.advance(timedelta(seconds=2))  # one message a second to a conversation
    deliver()
    assert [dm["text"].split(".")[0] for dm in web.dms_to("U1")] == [
        "A customer rated INQ-1: 2 out of 5, dissatisfied",
        "A customer rated INQ-1: 5 out of 5, very satisfied (this replaces their earlier rating)",
    ]
    report = alice.command("report me this week")
    assert "customers' own: 5.0 of 5 on average (1 rating)" in text_of(report.json()["blocks"])
    assert "staff-entered: none" in text_of(report.json()["blocks"])


def test_the_link_expires_30_days_after_resolution(alice, customer, runtime, clock, web):
    token = answered(alice, resolve=True)
    clock.advance(timedelta(days=30))
    assert customer.send(token, {"rating": "3"}).status == 200  # the last moment
    clock.advance(timedelta(seconds=1))
    page = customer.open(token)
    assert page.status == 410 and "This feedback link has expired" in page.text and OFFICE in page.text
    late = customer.request(
        "POST",
        f"/feedback/{token}",
        b"rating=5&csrf=x",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert late.status == 410
    assert ratings(runtime) == [(3, None)]
    assert "has expired" in reply_to(alice, web, "link INQ-1")


def test_a_bad_or_tampered_token_is_a_plain_404(alice, customer, runtime):
    token = answered(alice)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    answers = [
        customer.open(t)
        for t in (tampered, "A" * 32, token[:-1], token + "x", "1", "..%2F..%2Fhealthz", f"{token}/extra")
    ]
    assert {(a.status, a.text, a.headers["content-type"]) for a in answers} == {
        (404, "Not found\n", "text/plain; charset=utf-8")
    }
    posted = customer.request(
        "POST", f"/feedback/{tampered}", b"rating=5", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (posted.status, posted.text) == (404, "Not found\n")
    assert ratings(runtime) == []


HOSTILE = (
    '<script>alert("x")</script> <!channel> <@U2> <https://evil.example|click here> *bold* '
    "_it_ `code` &amp; \"quotes\" 'single'"
)


def test_a_comment_full_of_script_and_slack_markup_stays_text(alice, customer, runtime, web, deliver):
    token = answered(alice)
    thanks = customer.send(token, {"rating": "1", "comment": HOSTILE})
    assert thanks.status == 200
    assert ratings(runtime) == [(1, HOSTILE)]  # stored as the customer wrote it
    assert "<script>" not in customer.open(token).text
    deliver()
    [dm] = web.dms_to("U1")
    for raw in ("<script>", "<!channel>", "<@U2>", "<https://evil.example|click here>"):
        assert raw not in dm["text"] and raw not in text_of(dm.get("blocks"))
    assert "&lt;!channel&gt; &lt;@U2&gt; &lt;https://evil.example|click here&gt;" in dm["text"]
    assert "&amp;amp;" in dm["text"]  # the customer's own "&amp;" is text too
    report = text_of(alice.command("report me this week").json()["blocks"])
    assert "<!channel>" not in report and "&lt;script&gt;" in report and "&lt;@U2&gt;" in report


def test_a_form_from_elsewhere_is_refused(alice, customer, runtime):
    token = answered(alice)
    no_cookie = customer.request(
        "POST",
        f"/feedback/{token}",
        b"rating=5&csrf=" + b"a" * 43,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": ""},
    )
    assert no_cookie.status == 403 and "Nothing was recorded" in no_cookie.text
    customer.open(token)
    wrong = customer.request(
        "POST",
        f"/feedback/{token}",
        b"rating=5&csrf=" + b"b" * 43,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert wrong.status == 403
    elsewhere = customer.send(token, {"rating": "5"}, headers={"Origin": "https://evil.example"})
    assert elsewhere.status == 403
    assert ratings(runtime) == []
    from_proxy = customer.send(
        token, {"rating": "5"}, headers={"Origin": PUBLIC_URL}
    )  # as the proxy publishes it
    assert from_proxy.status == 200 and ratings(runtime) == [(5, None)]


def test_a_form_whose_cookie_was_lost_comes_back_with_what_was_typed(alice, customer, runtime):
    """The customer's cookie expired (or was blocked) while they wrote: the page said "send the form
    again" and their comment was gone. Sent from our own page, the form now comes back with their
    rating and comment kept and a fresh cookie; sending it then records the rating."""
    token = answered(alice)
    csrf = customer.csrf(token)
    customer.cookie = None  # the browser lost it
    body = urlencode({"rating": "2", "comment": "Waited a week <for> a reply", "csrf": csrf}).encode()
    origin = {"Content-Type": FORM, "Origin": f"http://127.0.0.1:{customer.port}"}
    lost = customer.request("POST", f"/feedback/{token}", body, {**origin, "Cookie": ""})
    assert lost.status == 403 and "Please send the form again" in lost.text
    assert "Nothing was recorded yet; your answers are kept below" in lost.text
    assert "Waited a week &lt;for&gt; a reply</textarea>" in lost.text
    assert 'value="2" checked' in lost.text
    assert ratings(runtime) == [] and customer.cookie is not None  # a fresh cookie came with it
    again = CSRF_FIELD.search(lost.text).group(1)
    body = urlencode({"rating": "2", "comment": "Waited a week <for> a reply", "csrf": again}).encode()
    sent = customer.request("POST", f"/feedback/{token}", body, origin)
    assert sent.status == 200 and ratings(runtime) == [(2, "Waited a week <for> a reply")]


@pytest.mark.parametrize(
    "fields, says",
    [
        ({"comment": "no rating"}, "Choose a rating from 1 to 5."),
        ({"rating": "0"}, "Choose one of the five ratings"),
        ({"rating": "6"}, "Choose one of the five ratings"),
        ({"rating": "4.5"}, "Choose one of the five ratings"),
        ({"rating": ""}, "Choose a rating from 1 to 5."),
        ([("rating", "1"), ("rating", "5")], "Choose one of the five ratings"),
        ({"rating": "5", "comment": "x" * 1001}, "Your comment is 1001 characters long; shorten it to 1000"),
    ],
)
def test_bad_input_shows_what_to_correct_and_stores_nothing(alice, customer, runtime, fields, says):
    token = answered(alice)
    answer = customer.send(token, fields)
    assert answer.status == 400 and says in answer.text and 'role="alert"' in answer.text
    assert "Please correct this" in answer.text
    assert ratings(runtime) == [] and customer_events(runtime) == []


def test_a_comment_of_exactly_1000_characters_is_fine(alice, customer, runtime):
    token = answered(alice)
    assert customer.send(token, {"rating": "3", "comment": "é" * 1000}).status == 200
    assert ratings(runtime) == [(3, "é" * 1000)]


def test_wrong_method_content_type_empty_or_oversized_form_store_nothing(alice, customer, runtime):
    token = answered(alice)
    csrf = customer.csrf(token)
    path = f"/feedback/{token}"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    put = customer.request("PUT", path, f"rating=5&csrf={csrf}".encode(), form)
    assert put.status == 405 and put.headers["allow"] == "GET, HEAD, POST"
    json_body = customer.request("POST", path, b'{"rating": 5}', {"Content-Type": "application/json"})
    assert json_body.status == 400 and "application/x-www-form-urlencoded" in json_body.text
    assert customer.request("POST", path, b"", form).status == 400
    huge = f"rating=5&csrf={csrf}&comment=".encode() + b"x" * 20_000
    assert customer.request("POST", path, huge, form).status == 400
    garbled = customer.request("POST", path, b"rating=5&csrf=" + csrf.encode() + b"&comment=%ff%fe", form)
    assert garbled.status == 400
    assert ratings(runtime) == []


def test_submissions_are_rate_limited_per_token(alice, customer, runtime):
    token = answered(alice)
    for score in "12345":
        assert customer.send(token, {"rating": score}).status == 200
    limited = customer.send(token, {"rating": "4"})
    assert limited.status == 429 and int(limited.headers["retry-after"]) > 0
    assert "Too many attempts" in limited.text
    assert [score for score, _ in ratings(runtime)] == [1, 2, 3, 4, 5]
    assert customer.open(token).status == 200  # reading the page is not limited per token


def test_requests_are_rate_limited_per_address(served, runtime, alice, clock):
    token = answered(alice)
    page = build_feedback_page(runtime, per_address=(3, timedelta(minutes=10)))
    server = make_server(wsgi_app(served.app, runtime, feedback=page), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        customer = Customer(server.effective_port)
        assert [customer.open(t).status for t in (token, "A" * 32, token)] == [200, 404, 200]
        assert customer.open(token).status == 429  # guessing tokens from one address stops here
        clock.advance(timedelta(minutes=10))
        assert customer.open(token).status == 200
    finally:
        server.close()


def test_behind_the_proxy_each_customer_has_their_own_address_limit(served, runtime, alice):
    token = answered(alice)
    page = build_feedback_page(runtime, per_address=(2, timedelta(minutes=10)))
    server = make_server(
        wsgi_app(served.app, runtime, feedback=page),
        host="127.0.0.1",
        port=0,
        threads=2,
        trusted_proxy="127.0.0.1",
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        customer = Customer(server.effective_port)

        def from_(address: str) -> int:
            return customer.request("GET", f"/feedback/{token}", headers={"X-Forwarded-For": address}).status

        assert [from_("203.0.113.7") for _ in range(3)] == [200, 200, 429]
        assert from_("198.51.100.2") == 200  # another customer behind the same proxy
    finally:
        server.close()


def test_the_link_comes_with_an_acknowledgement_made_with_the_button(alice, web, served):
    from bot.rendering import modals as f
    from bot.rendering.actions import Action, View
    from tests.slack.harness import text as text_value

    alice.command("log email Export license status")
    message = {"ts": "1700000000.000001", "text": "", "blocks": []}
    assert alice.click(Action.ACKNOWLEDGE, 1, message=message, channel="C1").status == 200
    [opened] = web.wait_for("views.open")
    assert opened["view"]["callback_id"] == View.ACKNOWLEDGE
    assert alice.submit(opened["view"], {f.NOTE: text_value("Called her back")}).status == 200
    served.settle()
    redrawn = web.calls_to("chat.update")[-1]
    token = token_in(redrawn["text"])
    assert f"customer feedback link: <{PUBLIC_URL}/feedback/{token}>" in text_of(redrawn["blocks"])


def test_a_rating_given_at_night_reaches_the_holder_when_the_team_opens(
    alice, customer, runtime, web, deliver, clock
):
    token = answered(alice)
    clock.advance(timedelta(hours=9))  # Wednesday 19:00 in New York: the team is closed
    assert customer.send(token, {"rating": "5", "comment": "Late but fine"}).status == 200
    deliver()
    assert web.dms_to("U1") == []
    clock.advance(timedelta(hours=14))  # Thursday 09:00
    deliver()
    [dm] = web.dms_to("U1")
    assert dm["text"].startswith("A customer rated INQ-1: 5 out of 5, very satisfied.")


# ---- the link on delivered cards and App Home ----------------------------------------------------


def test_the_card_delivered_to_the_holder_carries_the_link(alice, customer, web, deliver):
    token = answered(alice)
    assert customer.send(token, {"rating": "4"}).status == 200
    deliver()
    [dm] = web.dms_to("U1")  # through the outbox: the deliverer draws the live card
    assert f"customer feedback link: <{PUBLIC_URL}/feedback/{token}>" in text_of(dm["blocks"])


def test_a_delivered_card_has_no_link_for_others_channels_or_an_unanswered_item(
    alice, slack, web, deliver, runtime
):
    from bot.delivery.outbox import enqueue
    from storage.queries.customer_feedback import add_link

    answered(alice)  # INQ-1: answered, has its link
    slack.command("log email Second question")  # INQ-2: no first response yet
    now = runtime.clock.now()
    with runtime.sessions.begin() as s:
        add_link(session=s, inquiry_id=2, token="A" * 32, at=now, by="U1")  # even with a link stored
        for n, (channel, item) in enumerate([("U2", 1), ("CTEAM", 1), ("U1", 2)]):
            enqueue(
                s,
                key=f"t-{n}",
                team="desk",
                kind="test",
                channel=channel,
                text=f"About INQ-{item}",
                now=now,
                inquiry_id=item,
            )
    deliver()
    sent = [p for p in web.calls_to("chat.postMessage") if p.get("text", "").startswith("About INQ-")]
    assert len(sent) == 3 and all(
        p.get("blocks") for p in sent
    )  # live cards; U2 may not act on INQ-1; a channel is not a person; INQ-2 has no answer yet
    assert all(PUBLIC_URL not in text_of(p.get("blocks") or []) for p in sent), sent


def test_app_home_shows_the_link_of_my_answered_items(alice, slack, web, served):
    from tests.slack.test_events_http import home_opened

    token = answered(alice)
    alice.command("log email Second question")  # unanswered: no link on its card
    assert slack.event(home_opened("U1")).status == 200
    served.settle()
    home = text_of(web.homes["U1"]["blocks"])
    assert (
        home.count(f"{PUBLIC_URL}/feedback/") == 1
        and f"customer feedback link: <{PUBLIC_URL}/feedback/{token}>" in home
    )
