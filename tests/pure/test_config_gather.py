"""[reminders] gather_minutes (docs/messages.md): a whole number of minutes, 0 (off) by default."""

from __future__ import annotations

import pytest

from bot.config.loading import config_from_dict
from bot.errors import ConfigError


def team(**reminders):
    return config_from_dict({"teams": {"help": {"members": ["U1"], "reminders": reminders}}}).team("help")


def test_gather_minutes_defaults_to_off_and_reads_whole_minutes():
    assert team().reminders.gather_minutes == 0
    assert team(gather_minutes=30).reminders.gather_minutes == 30


@pytest.mark.parametrize("bad", [-1, 241, 1.5, "30", True])
def test_a_bad_gather_minutes_is_named(bad):
    with pytest.raises(ConfigError, match="gather_minutes .* must be a whole number of minutes"):
        team(gather_minutes=bad)
