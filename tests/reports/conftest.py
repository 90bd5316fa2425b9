"""The scripted fortnight (fortnight.py), played once per test on an empty database."""

from __future__ import annotations

import pytest

from bot.config.loading import config_from_dict
from tests.reports.fortnight import CONFIG, play


@pytest.fixture
def fortnight(sessions):
    """{"INQ-1": id, …} after the fortnight was played through InquiryService."""
    return play(sessions)


@pytest.fixture
def config():
    return config_from_dict(CONFIG)
