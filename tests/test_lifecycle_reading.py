"""get / list: employees see their own items, supervisors their team's, admins everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_lifecycle_helpers import NOW, clock, draft, service  # noqa: F401

from bot.errors import Forbidden, InputError


@pytest.fixture
def items(service):
    bob1 = service.log(actor="UALICE", draft=draft(assignee="UBOB", subject="one"))
    bob2 = service.log(
        actor="UBOB", draft=draft(subject="two", received_at=NOW - timedelta(days=5))
    )  # due Fri 20 Nov
    carol = service.log(actor="UCAROL", draft=draft(subject="three"))
    dan = service.log(actor="UDAN", draft=draft(subject="four"))
    done = service.log(actor="UBOB", draft=draft(subject="five"))
    service.resolve(actor="UBOB", inquiry_id=done.id)
    return bob1, bob2, carol, dan


def subjects(views):
    return [v.subject for v in views]


def test_mine_lists_live_items_soonest_deadline_first(service, items):
    assert subjects(service.list(actor="UBOB", scope="mine")) == ["two", "one"]


def test_team_list_is_for_supervisors(service, items):
    assert sorted(subjects(service.list(actor="USUE", scope="team"))) == ["one", "three", "two"]
    assert subjects(service.list(actor="USAM", scope="team")) == ["four"]
    with pytest.raises(Forbidden, match="only the team's supervisors"):
        service.list(actor="UBOB", scope="team")


def test_overdue_is_own_for_employees_team_for_supervisors_all_for_admins(service, items):
    assert subjects(service.list(actor="UBOB", scope="overdue")) == ["two"]
    assert subjects(service.list(actor="UCAROL", scope="overdue")) == []
    assert subjects(service.list(actor="USUE", scope="overdue")) == ["two"]
    assert all(v.overdue for v in service.list(actor="UADMIN", scope="overdue"))


def test_listing_someone_else_needs_the_right(service, items):
    assert subjects(service.list(actor="USUE", scope="<@UBOB|bob>")) == ["two", "one"]
    assert subjects(service.list(actor="UADMIN", scope="@UDAN")) == ["four"]
    assert subjects(service.list(actor="UBOB", scope="UBOB")) == ["two", "one"]
    with pytest.raises(Forbidden):
        service.list(actor="UCAROL", scope="UBOB")
    with pytest.raises(Forbidden):
        service.list(actor="USAM", scope="UBOB")  # another team's supervisor
    with pytest.raises(InputError, match="list scope"):
        service.list(actor="UBOB", scope="everyone!")


def test_get_needs_the_right_to_see(service, items):
    bob1 = items[0]
    for viewer in ("UBOB", "UALICE", "USUE", "UADMIN"):
        assert service.get(actor=viewer, inquiry_id=bob1.id).subject == "one"
    for viewer in ("UCAROL", "UDAN", "USAM"):
        with pytest.raises(Forbidden, match="only they, their supervisors and admins"):
            service.get(actor=viewer, inquiry_id=bob1.id)


def test_views_are_frozen_snapshots(service, items):
    view = items[0]
    with pytest.raises(AttributeError):
        view.status = "resolved"
    service.acknowledge(actor="UBOB", inquiry_id=view.id)
    assert view.status == "open"
