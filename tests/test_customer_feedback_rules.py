"""The customer feedback page's rules, settings and form reading, without HTTP (tests/slack and
tests/browser have the page itself)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config.settings import settings_from_env
from bot.customer_feedback.form import read_form
from bot.customer_feedback.limits import RateLimiter
from bot.customer_feedback.rules import accepts_ratings, new_token, well_formed
from bot.errors import ConfigError
from bot.time.clock import FixedClock
from inquirybot.cli import main

RESOLVED = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def test_ratings_are_taken_until_30_days_after_resolution():
    assert accepts_ratings("acknowledged", None, RESOLVED + timedelta(days=400))
    assert accepts_ratings("resolved", RESOLVED, RESOLVED + timedelta(days=30))
    assert not accepts_ratings("resolved", RESOLVED, RESOLVED + timedelta(days=30, seconds=1))
    assert not accepts_ratings("open", None, RESOLVED)
    assert not accepts_ratings("closed", None, RESOLVED)


def test_tokens_are_random_and_only_well_formed_ones_are_looked_up():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000 and all(well_formed(t) for t in tokens)
    for bad in ("", "INQ-1", "a" * 31, "a" * 33, "a" * 31 + "/", "a" * 31 + "=", "../" + "a" * 29):
        assert not well_formed(bad)


def test_the_form_is_read_strictly():
    assert read_form({"rating": ["5"], "comment": ["  Fine\r\nthanks\x00  "]}).form.comment == "Fine\nthanks"
    assert read_form({"rating": ["3"], "comment": [""]}).form.comment is None
    assert [p.code for p in read_form({}).problems] == ["missing"]
    assert [p.code for p in read_form({"rating": ["05"]}).problems] == ["invalid"]
    assert [
        (p.field, p.code, p.detail) for p in read_form({"rating": ["2"], "comment": ["x" * 1001]}).problems
    ] == [("comment", "too_long", 1001)]


def test_the_limiter_counts_per_key_in_a_sliding_window():
    clock = FixedClock(RESOLVED)
    limiter = RateLimiter(2, timedelta(minutes=10), clock)
    assert [limiter.hit("a"), limiter.hit("a"), limiter.hit("b")] == [0, 0, 0]
    assert limiter.hit("a") == 600
    clock.advance(timedelta(minutes=4))
    assert limiter.hit("a") == 360
    clock.advance(timedelta(minutes=6))
    assert limiter.hit("a") == 0


def test_the_public_url_must_be_a_web_address(capsys, monkeypatch):
    assert (
        settings_from_env({"INQUIRYBOT_PUBLIC_URL": "https://inquiries.agency.gov/"}).public_url
        == "https://inquiries.agency.gov"
    )
    assert settings_from_env({}).public_url is None
    with pytest.raises(
        ConfigError, match="INQUIRYBOT_PUBLIC_URL='inquiries.agency.gov' is not a web address"
    ):
        settings_from_env({"INQUIRYBOT_PUBLIC_URL": "inquiries.agency.gov"})
    monkeypatch.setenv("INQUIRYBOT_PUBLIC_URL", "ftp://x")
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "INQUIRYBOT_PUBLIC_URL" in err


def test_two_requests_making_the_same_link_get_one_token(sessions):
    from bot.config.loading import config_from_dict
    from bot.lifecycle import InquiryDraft, InquiryService
    from bot.time.clock import FixedClock as Clock
    from storage.queries.customer_feedback import add_link, token_of
    from storage.session import transaction

    config = config_from_dict({"teams": {"desk": {"timezone": "America/New_York", "members": ["U1"]}}})
    view = InquiryService(sessions, config, Clock(RESOLVED)).log(actor="U1", draft=InquiryDraft("email", "q"))
    first, second = new_token(), new_token()
    with transaction(sessions) as s:
        assert add_link(session=s, inquiry_id=view.id, token=first, at=RESOLVED, by="U1") == first
    with transaction(sessions) as s:  # the slower of two: stores nothing, gets the first token
        assert add_link(session=s, inquiry_id=view.id, token=second, at=RESOLVED, by="S1") == first
    with sessions() as s:
        assert token_of(session=s, inquiry_id=view.id) == first
