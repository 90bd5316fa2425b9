"""Whom work may be handed to (docs/decisions.md "Work goes only to people of a team"), over signed
HTTP: someone in no team of the config, Slackbot, yourself, someone away."""

from __future__ import annotations

import json

import pytest

from bot.config.runtime import Runtime
from bot.rendering import modals as f
from bot.rendering.actions import Action
from tests.slack.harness import user
from tests.slack.helpers import runtime_with
from tests.slack.helpers import stored as rows

CONFIG = {
    "admins": ["UADMIN"],
    "teams": {
        "desk": {
            "timezone": "America/New_York",
            "members": ["U1", "U2", "U3"],
            "supervisors": ["S1"],
            "channel": "CTEAM",
        },
        "licensing": {"timezone": "America/New_York", "members": ["U5"], "supervisors": ["S5"]},
    },
}
IN_NO_TEAM = (
    "<@U9> is in no team of the configuration; ask an admin to add U9 to a team's `members` "
    "(docs/configuration.md), or choose someone in a team"
)
NOT_IN_A_TEAM = f"new assignee {IN_NO_TEAM}"


def stored(runtime) -> dict[str, int]:
    """Rows in every table but the replay claims (a refused command keeps its claim, so its replay
    is refused alike) and the cached Slack profiles (learned from any first command)."""
    return {name: n for name, n in rows(runtime).items() if name not in ("request_receipts", "user_profiles")}


@pytest.fixture
def runtime(database_url, engine, sessions, clock, web) -> Runtime:
    web.add_user("U5", tz="America/New_York", name="erin")
    web.add_user("U9", tz="America/New_York", name="visitor")
    return runtime_with(CONFIG, database_url, engine, sessions, clock, web)


@pytest.mark.parametrize("command", ["reassign 1 <@U9|visitor>", "reassign 1 <@U9>"])
def test_reassigning_to_someone_in_no_team_is_refused_and_names_the_fix(say, runtime, command):
    say("log email Licence copy")
    before = stored(runtime)
    reply = say(command)
    assert reply.json()["response_type"] == "ephemeral"
    assert reply.text == f":warning: {NOT_IN_A_TEAM}\nExample: `@bob`", reply.text
    assert stored(runtime) == before


def test_the_reassign_form_refuses_someone_in_no_team_on_its_field(say, slack, web, runtime):
    say("log email Licence copy")
    slack.click(Action.REASSIGN, 1, home=True)
    form = web.wait_for("views.open")[0]["view"]
    before = stored(runtime)
    answer = slack.submit(form, {f.REASSIGN_TO: user("U9")})
    assert answer.json() == {"response_action": "errors", "errors": {f.REASSIGN_TO: NOT_IN_A_TEAM}}
    assert stored(runtime) == before


def test_logging_for_someone_in_no_team_is_refused(say, runtime):
    before = stored(runtime)
    reply = say("log email Licence copy; assign <@U9|visitor>")
    assert reply.text == f":warning: assignee {IN_NO_TEAM}\nExample: `@bob`", reply.text
    assert stored(runtime) == before


def test_slackbot_is_nobody_to_hand_work_to(say, runtime):
    say("log email Licence copy")
    before = stored(runtime)
    reply = say("reassign 1 <@USLACKBOT|slackbot>")
    assert reply.text.startswith(":warning: new assignee <@USLACKBOT> is a bot"), reply.text
    assert stored(runtime) == before


def test_someone_of_another_team_and_admins_may_be_handed_work(say, runtime):
    """Handing work across teams is a supervisor's routing call; the other team's supervisor sees it."""
    say("log email Licence copy")
    assert say("reassign 1 <@U5|erin>").text.startswith(
        ":arrows_counterclockwise: *INQ-1* is now assigned to <@U5>"
    )
    assert say("show 1", as_="S5").text.find("INQ-1") >= 0
    assert say("reassign 1 <@UADMIN|ada>", as_="U5").text.startswith(
        ":arrows_counterclockwise: *INQ-1* is now assigned to <@UADMIN>"
    )


def test_reassigning_to_yourself(say, runtime):
    """The holder: nothing changes. Another member: refused, as for any item not theirs. A
    supervisor or an admin: takes it."""
    say("log email Licence copy")
    before = stored(runtime)
    assert (
        say("reassign 1 <@U1|alice>").text == ":warning: INQ-1 is already assigned to <@U1>; nothing changed"
    )
    assert say("reassign 1 <@U2|bob>", as_="U2").text.startswith(":warning: you may not reassign INQ-1")
    assert stored(runtime) == before
    assert say("reassign 1 <@UADMIN|ada>", as_="UADMIN").text.startswith(
        ":arrows_counterclockwise: *INQ-1* is now assigned to <@UADMIN>"
    )


def test_reassigning_to_someone_away_goes_to_their_alternate_and_says_so(say, runtime):
    say("away today to Friday alternate <@U3|carol>", as_="U2")
    say("log email Licence copy")
    reply = say("reassign 1 <@U2|bob>")
    assert "<@U2> is away, and <@U3> covers for them" in reply.text, reply.text
    assert "assigned to <@U3>" in reply.text


def test_a_reassign_form_sent_by_someone_never_shown_it_or_retargeted_changes_nothing(
    say, slack, web, runtime
):
    """A colleague sends alice's Reassign form as their own, and alice sends it with its metadata
    pointing at another team's item: each is refused on the form's field, nothing stored."""
    say("log email Licence copy")
    say("log email Their own item", as_="U5")
    slack.click(Action.REASSIGN, 1, home=True)
    form = web.wait_for("views.open")[0]["view"]
    before = stored(runtime)
    stolen = slack.submit(form, {f.REASSIGN_TO: user("U2")}, user="U3")
    assert stolen.json()["errors"][f.REASSIGN_TO].startswith("you may not reassign INQ-1"), stolen.json()
    other = dict(form, private_metadata=json.dumps({**json.loads(form["private_metadata"]), "id": 2}))
    moved = slack.submit(other, {f.REASSIGN_TO: user("U2")})
    assert moved.json()["errors"][f.REASSIGN_TO].startswith("you may not reassign INQ-2"), moved.json()
    assert stored(runtime) == before


def test_an_alternate_in_no_team_is_refused_as_an_assignee_would_be(say, runtime):
    """Cover hands over every live item, so an alternate is held to the same rule as an assignee."""
    say("log email Licence copy", as_="U2")
    before = stored(runtime)
    reply = say("away today to Friday alternate <@U9|visitor>", as_="U2")
    assert reply.text.startswith(f":warning: alternate {IN_NO_TEAM}"), reply.text
    assert stored(runtime) == before
