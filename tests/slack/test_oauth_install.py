"""Installed through Slack's OAuth v2 (SLACK_CLIENT_ID/SECRET/STATE_SECRET): the whole install over
real HTTP (GET /slack/install, Slack's redirect back, oauth.v2.access answered by the Web API
stand-in, the installation stored), then requests from several installations, each answered with
its own bot token and kept apart from the others (docs/federal.md)."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, inspect, select

from bot.delivery.outbox import enqueue
from bot.rendering.actions import Action
from inquirybot.cli import main
from inquirybot.tenants import SCOPES, Tenants
from storage.installations import Installed, bots, installations, installed
from storage.models import Inquiry
from storage.session import make_engine
from storage.tenants import tenant_url
from tests.slack.feedback_client import PUBLIC_URL, Customer, token_in
from tests.slack.harness import ServedInstalls, ServedSlack
from tests.slack.helpers import know_zone, stored

CLIENT_ID = "111.222"
OAUTH = {"slack_client_id": CLIENT_ID, "slack_client_secret": "client-secret", "slack_state_secret": "s" * 32}


@pytest.fixture
def installs(runtime, request) -> Iterator[ServedInstalls]:
    """`serve` with the OAuth settings; a test may add settings with indirect parametrization."""
    settings = replace(runtime.settings, slack_bot_token=None, **OAUTH, **getattr(request, "param", {}))
    served = ServedInstalls(replace(runtime, settings=settings))
    yield served
    served.stop()


@pytest.fixture
def slack(installs, web, clock) -> ServedSlack:  # the same Slack, against the installs' server
    return ServedSlack(installs.port, web, clock)


def install(slack: ServedSlack, web, code: str, **who) -> None:
    """An installer goes to /slack/install, approves on Slack's page, and comes back with a code."""
    web.add_install(code, **who)
    start = slack.request("GET", "/slack/install")
    assert start.status == 302
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    cookie = start.headers["Set-Cookie"].split(";")[0]
    done = slack.request(
        "GET",
        "/slack/oauth_redirect?" + urlencode({"code": code, "state": state}),
        headers={"Cookie": cookie},
    )
    assert done.status == 200, done.body


def tokens(web, method: str) -> set[str | None]:
    return {c.token for c in web.calls if c.method == method}


def test_install_redirects_to_slacks_authorize_page_with_our_client_and_scopes(slack):
    start = slack.request("GET", "/slack/install")
    assert start.status == 302
    where = urlsplit(start.headers["Location"])
    assert (where.scheme, where.netloc, where.path) == ("https", "slack.com", "/oauth/v2/authorize")
    query = parse_qs(where.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(SCOPES)  # the manifest's (tests/pure/test_manifest.py)
    assert query["state"][0] and "slack-app-oauth-state=" in start.headers["Set-Cookie"]


def test_the_whole_install_stores_the_workspace_and_its_token(slack, web, installs, runtime):
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    [exchange] = web.calls_to("oauth.v2.access")
    assert exchange["code"] == "code-a"
    assert installed(runtime.engine, CLIENT_ID) == [Installed(None, "TA", False)]
    bot = installs.tenants.store.find_bot(enterprise_id=None, team_id="TA")
    assert bot is not None and bot.bot_token == "xoxb-a"


def test_a_state_that_is_not_ours_installs_nothing(slack, web, runtime):
    web.add_install("code-x", token="xoxb-x", team="TX")
    start = slack.request("GET", "/slack/install")
    cookie = start.headers["Set-Cookie"].split(";")[0]
    forged = slack.request(
        "GET", "/slack/oauth_redirect?code=code-x&state=not-ours", headers={"Cookie": cookie}
    )
    assert 400 <= forged.status < 500
    assert web.calls_to("oauth.v2.access") == [] and installed(runtime.engine, CLIENT_ID) == []


def test_an_org_admin_install_without_state_serves_every_workspace_of_the_org(slack, web, installs):
    """Started from the org's admin pages, Slack comes back with a code and no state."""
    web.add_install("code-org", token="xoxb-org", enterprise="E1", org_wide=True)
    done = slack.request("GET", "/slack/oauth_redirect?code=code-org")
    assert done.status == 200, done.body
    bot = installs.tenants.store.find_bot(enterprise_id="E1", team_id=None, is_enterprise_install=True)
    assert bot is not None and bot.bot_token == "xoxb-org"

    slack.from_workspace("T2", enterprise="E1", org_wide=True)
    know_zone(slack, web, "U1")
    assert slack.command("log email From workspace two").text.startswith(":white_check_mark: Logged *INQ-1*")
    slack.from_workspace("T3", enterprise="E1", org_wide=True)  # another workspace of the same org
    know_zone(slack, web, "U2")
    assert slack.command("list", user="U1").text.startswith("Your open inquiries: 1")
    installs.settle()
    assert tokens(web, "users.info") == {"xoxb-org"}
    assert [t.key for t in installs.tenants] == ["E1"]  # one installation spanning its workspaces


def test_two_workspaces_each_answered_with_their_own_token_and_kept_apart(slack, web, installs):
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    install(slack, web, "code-b", token="xoxb-b", team="TB")

    slack.from_workspace("TA")
    know_zone(slack, web, "U1")
    assert slack.command("log email Only in A; assign <@U2|bob>").text.startswith(
        ":white_check_mark: Logged *INQ-1* for <@U2>"
    )
    installs.settle()  # the assignee's zone is asked for after the acknowledgement
    know_zone(slack, web, "U2")
    assert slack.command("list", user="U2").text.startswith("Your open inquiries: 1")
    assert "Only in A" in slack.command("show INQ-1", user="U2").text
    installs.settle()
    a_calls = len(web.calls)
    assert tokens(web, "users.info") == {"xoxb-a"}

    slack.from_workspace("TB")
    slack.command("help", user="U1")  # B's database does not know U1's zone: B asks Slack, with B's token
    installs.settle()
    assert {c.token for c in web.calls[a_calls:] if c.method == "users.info"} == {"xoxb-b"}
    installs.settle()
    slack.command("help", user="U2")
    installs.settle()
    assert slack.command("list", user="U2").text == "Your open inquiries: none. :sparkles:"
    assert slack.command("show INQ-1", user="U2").text.startswith(":warning: no inquiry INQ-1")
    assert "on time none due" in slack.command("report", user="U2").text

    # Each installation's outbox goes out with its own token: A's DM to Bob, nothing from B.
    by_key = {t.key: t for t in installs.tenants}
    by_key["TA"].deliverer.run_once()
    by_key["TB"].deliverer.run_once()
    posts = [c for c in web.calls if c.method == "chat.postMessage"]
    assert posts and {c.token for c in posts} == {"xoxb-a"}
    assert "Only in A" in posts[0].params["text"]


def test_a_workspace_that_has_not_installed_us_is_told_so_and_nothing_is_stored(slack, web, installs):
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    answer = slack.from_workspace("TNOPE").command("log email Nowhere")
    assert answer.status == 200
    [told] = web.calls_to("response_url")
    assert told["text"].startswith(":warning: inquirybot is not installed in this workspace")
    assert [t.key for t in installs.tenants] == ["TA"]


def test_another_workspaces_click_on_an_installed_workspaces_item_changes_nothing(slack, web, installs):
    """Installed in A only: a click signed for workspace T999 (naming A's user and item) reaches
    the install app, which says so; A's record is untouched and no tenant is made for T999."""
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    slack.from_workspace("TA")
    know_zone(slack, web, "U1")
    assert slack.command("log email Only in A").text.startswith(":white_check_mark: Logged *INQ-1*")
    installs.settle()
    [a] = installs.tenants
    before, answers = stored(a.runtime), len(web.calls_to("response_url"))
    assert slack.from_workspace("T999").click(Action.SNOOZE_1H, 1, user="U1").status == 200
    installs.settle()
    told = web.wait_for("response_url", answers + 1)[-1]
    assert told["text"].startswith(":warning: inquirybot is not installed in this workspace")
    assert stored(a.runtime) == before
    assert [t.key for t in installs.tenants] == ["TA"]


def test_a_slack_connect_user_of_another_org_does_not_reach_an_installations_record(slack, web, installs):
    """A's channel is shared with another organization: the event is A's (team_id, authorizations),
    its author is of T999 (user_team). A's tenant acknowledges it and leaves its record alone."""
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    slack.from_workspace("TA")
    know_zone(slack, web, "U1")
    slack.command("away today to Friday alternate <@U2|bob>")
    installs.settle()
    [a] = installs.tenants
    before = stored(a.runtime)
    mention = {
        "type": "app_mention",
        "channel": "C1",
        "user": "UX",
        "user_team": "T999",
        "team": "T999",
        "text": "<@UBOT> <@U1> are you there?",
        "ts": "1772636500.000100",
        "event_ts": "1772636500.000100",
    }
    assert slack.event(mention, event_id="EvShared", shared_channel=True).status == 200
    installs.settle()
    assert stored(a.runtime) == before


def test_serves_scheduler_delivers_for_installations_stored_before_it_started(slack, web, installs):
    """`serve` restarted: each stored installation's tenant is built and its scheduler started."""
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    slack.from_workspace("TA").command("log email Waiting in A; assign <@U2|bob>")
    installs.settle()
    restarted = Tenants(installs.tenants.runtime, scheduler_options={"every": 3600, "deliver_every": 0.05})
    try:
        restarted.start()
        [dm] = web.wait_for("chat.postMessage")
        assert "Waiting in A" in dm["text"]
        assert {c.token for c in web.calls if c.method == "chat.postMessage"} == {"xoxb-a"}
    finally:
        restarted.close()


def test_an_installation_whose_database_cannot_be_opened_gets_a_clear_answer_not_a_500(slack, web):
    web.add_install("code-odd", token="xoxb-odd", team="T-odd")  # not a Slack team id: no file name
    done = slack.request("GET", "/slack/oauth_redirect?code=code-odd")
    assert done.status == 503 and done.body.startswith(b"inquirybot was installed, but could not set up")
    answer = slack.from_workspace("T-odd").command("list")
    assert answer.status == 200
    assert answer.json()["text"].startswith(":x: Something went wrong on our side")


@pytest.mark.parametrize("installs", [{"public_url": PUBLIC_URL}], indirect=True)
def test_each_installations_customers_rate_on_its_own_page(slack, web, installs):
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    install(slack, web, "code-b", token="xoxb-b", team="TB")
    slack.from_workspace("TA")
    know_zone(slack, web, "U1")
    slack.command("log email Export license status; from Jane Doe <jane@example.gov>")
    reply = slack.command("ack INQ-1 expect Friday").text
    assert f"{PUBLIC_URL}/t/TA/feedback/" in reply
    token = token_in(reply)

    customer = Customer(installs.port, mount="/t/TA")
    page = customer.open(token)
    assert page.status == 200 and "Path=/t/TA/feedback/;" in page.headers["set-cookie"]
    thanks = customer.send(token, {"rating": "4", "comment": "Clear"})
    assert thanks.status == 200 and f'href="/t/TA/feedback/{token}"' in thanks.text
    assert Customer(installs.port, mount="/t/TB").open(token).status == 404  # B does not know A's links
    assert Customer(installs.port, mount="/t/TNOPE").open(token).status == 404
    assert sorted(t.key for t in installs.tenants) == ["TA", "TB"]  # no database for a made-up key


OAUTH_ENV = {
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": "client-secret",
    "SLACK_STATE_SECRET": "s" * 32,
}


def two_with_a_dm_waiting(slack, web, installs) -> None:
    """Workspaces A and B installed, each with a DM to Bob in its outbox."""
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    install(slack, web, "code-b", token="xoxb-b", team="TB")
    for team in ("TA", "TB"):
        slack.from_workspace(team).command(f"log email Only in {team[1]}; assign <@U2|bob>")
    installs.settle()


def tick_deliver(web, database_url: str, monkeypatch, capsys) -> str:
    """`inquirybot tick --only deliver` with the OAuth settings; what it printed."""
    for name, value in {**OAUTH_ENV, "DATABASE_URL": database_url, "SLACK_API_URL": web.url}.items():
        monkeypatch.setenv(name, value)
    for name in ("SLACK_BOT_TOKEN", "INQUIRYBOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert main(["tick", "--only", "deliver", "--wait", "0"]) == 0
    return capsys.readouterr().out


def test_tick_sends_each_installations_outbox_with_its_own_token(
    slack, web, installs, database_url, monkeypatch, capsys
):
    two_with_a_dm_waiting(slack, web, installs)
    out = tick_deliver(web, database_url, monkeypatch, capsys)
    assert "installation TA:" in out and "installation TB:" in out and out.count("deliver: 1 sent") == 2
    sent = {c.token: c.params["text"] for c in web.calls if c.method == "chat.postMessage"}
    assert "Only in A" in sent["xoxb-a"] and "Only in B" in sent["xoxb-b"] and len(sent) == 2


@pytest.mark.parametrize("missing", sorted(OAUTH_ENV))
def test_oauth_settings_come_all_three_or_none(missing, monkeypatch, capsys, database_url):
    for name, value in {**OAUTH_ENV, "DATABASE_URL": database_url}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"inquirybot: {missing} not set;") and err.count("\n") == 1


def test_slacks_url_check_is_answered_before_any_install(slack):
    body = json.dumps({"token": "xxx", "challenge": "3eZbrw1aBm2rZgRNFdxV2595", "type": "url_verification"})
    answer = slack.post(body, "application/json")
    assert answer.status == 200 and answer.json()["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595"
    unsigned = slack.post(body, "application/json", sign=False)
    assert unsigned.status == 401


# What Slack sends when a workspace removes the app, or revokes its bot token
# (https://api.slack.com/events/app_uninstalled, https://api.slack.com/events/tokens_revoked).
REMOVALS = {
    "app_uninstalled": {"type": "app_uninstalled"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}},
}


def stored_rows(engine, team: str) -> tuple[int, int]:
    """The installation store's rows of a workspace: (slack_installations, slack_bots)."""
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t).where(t.c.team_id == team)).scalar_one()
            for t in (installations, bots)
        )


def kept_inquiries(engine, database_url: str, key: str) -> int:
    """How many inquiries the installation's own database holds, checking first that it exists
    (a SQLite file beside the main one, or a PostgreSQL schema), so looking never creates it."""
    url = tenant_url(database_url, key)
    if engine.dialect.name == "sqlite":
        assert Path(make_engine(url).url.database or "").is_file()
    else:
        assert any(key.lower() in name for name in inspect(engine).get_schema_names())
    tenant = make_engine(url)
    try:
        with tenant.connect() as conn:
            return conn.execute(select(func.count()).select_from(Inquiry)).scalar_one()
    finally:
        tenant.dispose()


@pytest.mark.parametrize("removal", sorted(REMOVALS))
def test_an_uninstalled_workspace_is_forgotten_its_record_kept_and_a_reinstall_finds_it(
    removal, slack, web, installs, runtime, database_url
):
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    install(slack, web, "code-b", token="xoxb-b", team="TB")
    slack.from_workspace("TA")
    know_zone(slack, web, "U1")
    assert slack.command("log email Kept in A").text.startswith(":white_check_mark: Logged *INQ-1*")
    installs.settle()

    assert slack.event(REMOVALS[removal]).status == 200  # signed, from workspace A
    assert stored_rows(runtime.engine, "TA") == (0, 0) and stored_rows(runtime.engine, "TB") == (1, 1)
    assert installed(runtime.engine, CLIENT_ID) == [Installed(None, "TB", False)]

    # A is answered like a workspace that never installed us, and nothing is stored for it.
    before = len(web.calls)
    assert slack.command("log email After the uninstall").status == 200
    told = [c.params for c in web.calls[before:] if c.method == "response_url"]
    assert [t["text"].split(" in this")[0] for t in told] == [":warning: inquirybot is not installed"]
    assert [t.key for t in installs.tenants] == ["TB"]
    assert kept_inquiries(runtime.engine, database_url, "TA") == 1  # its record stays

    # B is untouched, and still answered with its own token.
    slack.from_workspace("TB")
    before = len(web.calls)
    slack.command("help", user="U1")  # B's database does not know U1's zone: B asks, with B's token
    installs.settle()
    assert {c.token for c in web.calls[before:] if c.method == "users.info"} == {"xoxb-b"}
    assert slack.command("list", user="U1").text.startswith("Your open inquiries: none")

    # Installed again: the same data, and the new token.
    install(slack, web, "code-a2", token="xoxb-a2", team="TA")
    slack.from_workspace("TA")
    before = len(web.calls)
    assert "Kept in A" in slack.command("show INQ-1", user="U1").text
    assert slack.command("show INQ-2", user="U1").text.startswith(":warning: no inquiry INQ-2")
    slack.command("help", user="U3")
    installs.settle()
    assert {c.token for c in web.calls[before:] if c.method == "users.info"} == {"xoxb-a2"}
    assert sorted(t.key for t in installs.tenants) == ["TA", "TB"]


def test_tick_skips_an_uninstalled_workspace(slack, web, installs, database_url, monkeypatch, capsys):
    two_with_a_dm_waiting(slack, web, installs)
    slack.from_workspace("TA").event(REMOVALS["app_uninstalled"])
    out = tick_deliver(web, database_url, monkeypatch, capsys)
    assert "installation TA:" not in out and "installation TB:" in out
    assert {c.token for c in web.calls if c.method == "chat.postMessage"} == {"xoxb-b"}


def test_an_uninstall_stops_that_installations_scheduler_and_no_other(runtime, web, clock):
    """`serve` with its schedulers running: after A's uninstall nothing more is sent for A (its
    outbox keeps what it had), while B's scheduler goes on sending with B's token."""
    settings = replace(runtime.settings, slack_bot_token=None, **OAUTH)
    served = ServedInstalls(
        replace(runtime, settings=settings), scheduler={"every": 3600, "deliver_every": 0.05}
    )
    try:
        slack = ServedSlack(served.port, web, clock)
        install(slack, web, "code-a", token="xoxb-a", team="TA")
        install(slack, web, "code-b", token="xoxb-b", team="TB")
        [a] = [t for t in served.tenants if t.key == "TA"]
        assert slack.from_workspace("TA").event(REMOVALS["app_uninstalled"]).status == 200
        deadline = time.monotonic() + 10
        while any(t.name == "inquirybot-uninstall-TA" for t in threading.enumerate()):
            assert time.monotonic() < deadline, "A's scheduler did not stop"
            time.sleep(0.02)
        with a.runtime.sessions.begin() as s:  # a message waiting in A's outbox
            enqueue(
                s, key="left", team="desk", kind="reply", channel="UBOB", text="Left in A", now=clock.now()
            )

        slack.from_workspace("TB").command("log email Sent from B; assign <@U2|bob>")
        [dm] = web.wait_for("chat.postMessage")
        assert "Sent from B" in dm["text"]
        time.sleep(0.3)  # A's scheduler, were it running, would have sent by now (every 0.05 s)
        posts = [c for c in web.calls if c.method == "chat.postMessage"]
        assert len(posts) == 1 and {c.token for c in posts} == {"xoxb-b"}
    finally:
        served.stop()


def test_an_org_wide_uninstall_forgets_the_org_for_every_workspace(
    slack, web, installs, runtime, database_url
):
    web.add_install("code-org", token="xoxb-org", enterprise="E1", org_wide=True)
    assert slack.request("GET", "/slack/oauth_redirect?code=code-org").status == 200
    slack.from_workspace("T2", enterprise="E1", org_wide=True)
    know_zone(slack, web, "U1")
    assert slack.command("log email From the org").text.startswith(":white_check_mark: Logged *INQ-1*")
    installs.settle()

    assert slack.event(REMOVALS["app_uninstalled"]).status == 200  # from one of the org's workspaces
    assert installed(runtime.engine, CLIENT_ID) == [] and list(installs.tenants) == []
    before = len(web.calls)
    slack.from_workspace("T3", enterprise="E1", org_wide=True).command("list", user="U2")
    told = [c.params["text"] for c in web.calls[before:] if c.method == "response_url"]
    assert len(told) == 1 and told[0].startswith(":warning: inquirybot is not installed")
    assert kept_inquiries(runtime.engine, database_url, "E1") == 1


def test_an_unsigned_uninstall_removes_nothing(slack, web, installs, runtime):
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    body = json.dumps(
        {
            "team_id": "TA",
            "api_app_id": "A111",
            "type": "event_callback",
            "event_id": "Ev1",
            "event": {"type": "app_uninstalled"},
        }
    )
    assert slack.post(body, "application/json", sign=False).status == 401
    assert stored_rows(runtime.engine, "TA") == (1, 1) and [t.key for t in installs.tenants] == ["TA"]


@pytest.mark.parametrize("installs", [{"slack_domain": "slack-gov.com"}], indirect=True)
def test_on_govslack_the_install_ends_on_an_accessible_page_that_stays_on_govslack(slack, web, installs):
    """A GovSlack admin finishing an install is sent to GovSlack (its desktop app, or the web client
    at app.slack-gov.com), never to commercial Slack; the page has a language and a title."""
    web.add_install("code-g", token="xoxb-g", team="TG")
    start = slack.request("GET", "/slack/install")
    assert urlsplit(start.headers["Location"]).netloc == "slack-gov.com"
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    done = slack.request(
        "GET",
        "/slack/oauth_redirect?" + urlencode({"code": "code-g", "state": state}),
        headers={"Cookie": start.headers["Set-Cookie"].split(";")[0]},
    )
    assert done.status == 200 and done.headers["Content-Type"].startswith("text/html")
    page = done.body.decode()
    addresses = re.findall(r'(?:href="|URL=)([^"]+)"', page)
    assert "https://app.slack-gov.com/client/TG" in addresses
    assert not [a for a in addresses if "slack.com" in a], addresses
    assert re.search(r'<html lang="en">', page) and re.search(r"<title>[^<]*installed[^<]*</title>", page)


@pytest.fixture
def stray_slack_variables(monkeypatch, caplog) -> None:
    """Bolt's own environment variables (handlers/bolt_env.py), none of them read by our settings."""
    caplog.set_level(logging.INFO)  # Bolt says at INFO that it enabled its file-based stores
    for name, value in {
        "SLACK_CLIENT_ID": "999.999",
        "SLACK_CLIENT_SECRET": "another-apps-secret",
        "SLACK_BOT_TOKEN": "xoxb-another-app",
        "SLACK_USER_SCOPES": "admin",
        "SLACK_REDIRECT_URI": "https://elsewhere.example/slack/oauth_redirect",
        "SLACK_INSTALL_PATH": "/elsewhere",
    }.items():
        monkeypatch.setenv(name, value)


def test_slack_variables_bolt_reads_by_itself_change_neither_the_install_nor_the_installations(
    stray_slack_variables, caplog, slack, web, installs
):
    """The install asked every installer for SLACK_USER_SCOPES and sent them back to
    SLACK_REDIRECT_URI; each installation's app got a second, file-based installation store."""
    start = slack.request("GET", "/slack/install")
    assert start.status == 302
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and query["scope"][0].split(",") == list(SCOPES)
    assert "redirect_uri" not in query and query.get("user_scope", [""]) == [""], query
    install(slack, web, "code-a", token="xoxb-a", team="TA")
    slack.from_workspace("TA")
    know_zone(slack, web, "U1")
    assert slack.command("log email Only ours").text.startswith(":white_check_mark: Logged *INQ-1*")
    installs.settle()
    assert tokens(web, "users.info") == {"xoxb-a"}
    told = [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")]
    assert not [m for m in told if "file-based" in m or "will be" in m], told
