"""The single homes issue 12 gave things (docs/scheduling.md): one time formatter with its two
forms, one team look-up for stored rows, one status type whose values are the stored strings."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config.loading import config_from_dict
from bot.rendering import format as fmt
from bot.time.instants import when
from storage.inquiry_status import DONE, LIVE, Status

FRIDAY_5PM_CHICAGO = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)


def test_one_formatter_writes_both_forms_in_the_zone_given():
    assert when(FRIDAY_5PM_CHICAGO, "America/Chicago") == "Fri 6 Mar 2026, 5:00 PM CST"
    assert when(FRIDAY_5PM_CHICAGO, ZoneInfo("America/Chicago"), clock24=True) == "Fri 6 Mar 2026 17:00 CST"
    assert when(None, "America/Chicago") == "—"
    assert fmt.when is when  # the renderers' fmt.when is the same function


def test_a_row_whose_team_left_the_config_is_handled_under_the_default_team():
    config = config_from_dict({"default_team": "help", "teams": {"help": {}, "sales": {}}})
    assert config.team_or_default("sales").name == "sales"
    assert config.team_or_default("gone").name == "help"


def test_statuses_are_the_stored_strings():
    assert [str(s) for s in Status] == ["open", "acknowledged", "resolved", "closed"]
    assert Status.OPEN == "open" and "acknowledged" in LIVE and "closed" in DONE
    assert f"{Status.RESOLVED}" == "resolved"  # in messages and f-strings too
