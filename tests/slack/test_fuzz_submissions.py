"""Fuzz: modal submissions with wrong types in view state and private_metadata, over real HTTP.
Each gets an inline field error or is accepted — never "Something went wrong", never a 500 or a
logged traceback, and a refused one stores nothing."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.rendering import modals as f
from bot.rendering.actions import Action, View
from tests.slack.harness import checks, select, text, user, when
from tests.slack.helpers import know_zone, snapshot

WEIRD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["x", "", "99999999999999999999", "-1", "1e99"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
ELEMENT_KEYS = ("value", "selected_option", "selected_user", "selected_date_time", "selected_options")
FIELDS = (
    f.KIND,
    f.SUBJECT,
    f.RECEIVED,
    f.DUE,
    f.ASSIGNEE,
    f.COMPLEXITY,
    f.NEEDS_RESEARCH,
    f.EXPECT,
    f.NOTE,
    f.SCORE,
    f.COMMENT,
    f.REASSIGN_TO,
    f.AWAY_START,
    f.AWAY_END,
    f.ALTERNATE,
)
CALLBACKS = [
    str(v)
    for v in (
        View.NEW_INQUIRY,
        View.ACKNOWLEDGE,
        View.POST_UPDATE,
        View.RESOLVE,
        View.REASSIGN,
        View.RATE,
        View.AWAY,
        View.DISPUTE,
    )
]


def _good(clock) -> dict:
    return {
        f.KIND: select("phone"),
        f.SUBJECT: text("Permit renewal"),
        f.RECEIVED: when(clock.now() - timedelta(hours=1)),
        f.COMPLEXITY: select("standard"),
        f.NEEDS_RESEARCH: checks(),
        f.ASSIGNEE: user("U1"),
        f.NOTE: text("a note"),
        f.SCORE: select("4"),
        f.REASSIGN_TO: user("U2"),
        f.AWAY_START: when(clock.now()),
        f.AWAY_END: when(clock.now() + timedelta(days=1)),
        f.ALTERNATE: user("U2"),
    }


@st.composite
def broken(draw):
    field = draw(st.sampled_from(FIELDS))
    key = draw(st.sampled_from(ELEMENT_KEYS))
    element = draw(st.one_of(WEIRD, st.fixed_dictionaries({key: WEIRD})))
    metadata = draw(
        st.one_of(
            st.just(json.dumps({"id": 1})),
            st.builds(lambda v: json.dumps({"id": v, "w": v, "c": v, "l": v}, default=str), WEIRD),
            st.sampled_from(
                ["", "{", "null", "[]", '{"id": 99999999999999999999}', '{"id": "99999999999999999999"}']
            ),
        )
    )
    return draw(st.sampled_from(CALLBACKS)), field, element, metadata


def _submit(slack, callback: str, state: dict, metadata: str):
    return slack.interact(
        {
            "type": "view_submission",
            "team": {"id": "T111", "domain": "test"},
            "user": {"id": "U1", "username": "u1", "name": "u1", "team_id": "T111"},
            "api_app_id": "A111",
            "token": "xxx",
            "trigger_id": "1.2.x",
            "view": {
                "id": "VMODAL",
                "team_id": "T111",
                "type": "modal",
                "blocks": [],
                "private_metadata": metadata,
                "callback_id": callback,
                "state": {"values": {name: {name: value} for name, value in state.items()}},
                "hash": "1.abc",
                "app_id": "A111",
            },
        }
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=broken())
def test_broken_submissions_get_a_clear_answer(slack, web, runtime, clock, caplog, case):
    callback, field, element, metadata = case
    know_zone(slack, web, "U1")
    if not snapshot(runtime)[0]:
        slack.command("log email Something to act on")
    caplog.clear()
    values = {**_good(clock), field: element}
    before = snapshot(runtime)
    response = _submit(slack, callback, values, metadata)
    assert response.status == 200, response.body
    if response.body:
        body = response.json()
        assert body.get("response_action") == "errors", body
        for message in body["errors"].values():
            assert "Something went wrong" not in message
        assert snapshot(runtime) == before
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]


# ---- the issue's own examples, each named -----------------------------------------------------


@pytest.mark.parametrize(
    ("callback", "field", "element"),
    [
        (str(View.NEW_INQUIRY), f.RECEIVED, {"selected_date_time": "x"}),
        (str(View.NEW_INQUIRY), f.RECEIVED, {"selected_date_time": 253402300800}),  # year 10000
        (str(View.NEW_INQUIRY), f.DUE, {"selected_date_time": -62135596801}),  # before year 1
        (str(View.AWAY), f.AWAY_END, {"selected_date_time": 10**20}),
        (str(View.AWAY), f.AWAY_START, {"selected_date_time": "1e99"}),
    ],
)
def test_a_broken_date_gets_an_inline_error_on_its_field(
    slack, web, runtime, clock, callback, field, element
):
    know_zone(slack, web, "U1")
    before = snapshot(runtime)
    response = _submit(slack, callback, {**_good(clock), field: element}, json.dumps({"c": None}))
    assert response.status == 200
    body = response.json()
    assert body["response_action"] == "errors" and list(body["errors"]) == [field], body
    assert "not a date" in body["errors"][field] or "year" in body["errors"][field], body
    assert snapshot(runtime) == before


@pytest.mark.parametrize("callback", [str(View.ACKNOWLEDGE), str(View.RESOLVE), str(View.POST_UPDATE)])
@pytest.mark.parametrize("metadata", ['{"id": 99999999999999999999}', '{"id": "x"}', '{"id": -1}'])
def test_an_unknown_id_in_metadata_is_a_clear_answer(slack, web, runtime, clock, caplog, callback, metadata):
    know_zone(slack, web, "U1")
    slack.command("log email Something to act on")
    before = snapshot(runtime)
    caplog.clear()
    response = _submit(slack, callback, _good(clock), metadata)
    assert response.status == 200
    said = response.body.decode() + " ".join(web.texts("chat.postEphemeral") + web.texts("response_url"))
    assert "Something went wrong" not in said
    [message] = response.json()["errors"].values()  # an inline error: the form stays open
    assert "no longer says which inquiry it is about" in message
    assert snapshot(runtime) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


# ---- buttons with values nobody drew ----------------------------------------------------------

BUTTON_VALUES = st.one_of(
    st.sampled_from(["", "x", "99999999999999999999", "-1", "0", "1e99", "1.5", "INQ-1", "null", "{}"]),
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from([str(a) for a in Action]), value=BUTTON_VALUES, home=st.booleans())
@example(action="outcome_dispute", value="2147483648", home=False)  # past 32 bits: PostgreSQL refused it
def test_buttons_with_broken_values_get_a_clear_answer(
    slack, web, served, runtime, caplog, action, value, home
):
    know_zone(slack, web, "U1")
    if not snapshot(runtime)[0]:
        slack.command("log email Something to act on")
    served.settle()
    caplog.clear()
    calls = len(web.calls)
    response = slack.click(action, value, home=home)
    served.settle()
    assert response.status == 200, response.body
    with web._lock:  # noqa: SLF001 - read what the app said after the click
        said = [str(c.params) for c in web.calls[calls:] if c.method not in ("users.info", "auth.test")]
    assert not any("Something went wrong" in s for s in said), said
    assert said, "every click is answered: a form, a redraw, or why not"
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [r.getMessage() for r in bad]
