"""Approved absence from App Home: *Set away* opens a form checked inline, the absence is
recorded and Home shows it with *I'm back*, which ends it — all through real HTTP."""

from __future__ import annotations

from datetime import timedelta

from bot.lifecycle import InquiryService
from bot.rendering import modals as f
from bot.rendering.actions import Action, View
from tests.slack.harness import user, when
from tests.slack.helpers import buttons, know_zone, snapshot, text_of


def test_set_away_and_back_from_app_home(slack, web, served, runtime, clock):
    know_zone(slack, web, "U1")
    service = InquiryService(runtime.sessions, runtime.config, runtime.clock)
    slack.click(Action.SET_AWAY, "away", home=True)
    [opened] = web.wait_for("views.open")
    form = opened["view"]
    assert form["callback_id"] == View.AWAY

    now = clock.now()
    good = {f.AWAY_START: when(now), f.AWAY_END: when(now + timedelta(days=2)), f.ALTERNATE: user("U2")}
    before = snapshot(runtime)
    backwards = slack.submit(form, {**good, f.AWAY_END: when(now - timedelta(hours=1))}).json()
    assert (
        backwards["response_action"] == "errors" and "not after its start" in backwards["errors"][f.AWAY_END]
    )
    # The instants in the reader's zone, never raw UTC ISO (docs/record.md).
    assert backwards["errors"][f.AWAY_END].startswith(
        "absence end Wed 4 Mar 2026, 9:00 AM EST is not after its start Wed 4 Mar 2026, 10:00 AM EST"
    )
    assert "+00:00" not in backwards["errors"][f.AWAY_END]
    myself = slack.submit(form, {**good, f.ALTERNATE: user("U1")}).json()
    assert "alternate must be someone else" in myself["errors"][f.ALTERNATE]
    assert snapshot(runtime) == before and service.active_absence("U1") is None

    assert slack.submit(form, good).status == 200
    served.settle()
    absence = service.active_absence("U1")
    assert absence is not None and absence.alternate == "U2"
    home = web.homes["U1"]
    assert "Away" in text_of(home["blocks"]) and "<@U2> covers" in text_of(home["blocks"])
    assert Action.BACK in buttons(home["blocks"]) and Action.SET_AWAY not in buttons(home["blocks"])

    slack.click(Action.BACK, "back", home=True)
    served.settle()
    assert service.active_absence("U1") is None
    home = web.homes["U1"]
    assert Action.SET_AWAY in buttons(home["blocks"]) and Action.BACK not in buttons(home["blocks"])
    assert "covers" not in text_of(home["blocks"])


def test_a_backwards_absence_is_worded_in_the_readers_own_zone(slack, web, served, runtime, clock):
    know_zone(slack, web, "U2")  # bob reads Los Angeles time; his team's zone is New York
    slack.click(Action.SET_AWAY, "away", home=True, user="U2")
    [opened] = web.wait_for("views.open")
    now = clock.now()
    before = snapshot(runtime)
    backwards = {f.AWAY_START: when(now), f.AWAY_END: when(now - timedelta(hours=1)), f.ALTERNATE: user("U1")}
    error = slack.submit(opened["view"], backwards, user="U2").json()["errors"][f.AWAY_END]
    assert error.startswith(
        "absence end Wed 4 Mar 2026, 6:00 AM PST is not after its start Wed 4 Mar 2026, 7:00 AM PST"
    )
    assert snapshot(runtime) == before
