"""Configuration (docs/configuration.md): every default, every validation, and the example file."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from bot.config.loading import (
    DIGEST_KEYS,
    HOURS_KEYS,
    REMINDER_KEYS,
    TEAM_KEYS,
    THRESHOLD_KEYS,
    TOP_KEYS,
    config_from_dict,
    default_config,
    load_config,
)
from bot.errors import ConfigError
from bot.time.durations import parse_duration

EXAMPLE = Path(__file__).resolve().parents[1] / "bot" / "example_config.toml"


def team(**body):
    return config_from_dict({"teams": {"t": body}}).team("t")


def error(data) -> str:
    with pytest.raises(ConfigError) as caught:
        config_from_dict(data)
    return str(caught.value)


def test_without_a_file_one_default_team_on_the_department_preset():
    for config in (load_config(None), load_config(""), default_config()):
        assert list(config.teams) == ["default"] and config.default_team == "default"
        t = config.team("default")
        assert (t.policy.name, t.timezone) == ("department", "America/New_York")
        assert t.calendar.week[0] == (9 * 60, 17 * 60) and t.calendar.week[5] is None
        assert (t.members, t.supervisors, t.specialists, t.channel, t.escalation_channel) == (
            (),
            (),
            (),
            None,
            None,
        )
        assert config.admins == frozenset() and dict(config.primary_team) == {}


def test_team_defaults():
    t = team()
    assert (t.digest.enabled, t.digest.weekday, t.digest.at) == (True, 0, time(9, 0))
    assert (t.thresholds.meets, t.thresholds.exceeds) == (0.90, 0.98)
    r = t.reminders
    assert r.nudge_fraction == 0.5
    assert (r.nudge_before, r.level2_after, r.update_before_promised, r.stale_after) == (
        parse_duration("1 business hours"),
        parse_duration("1 business days"),
        parse_duration("1 business days"),
        parse_duration("5 business days"),
    )
    assert t.calendar.inauguration_day is False and t.calendar.closures == {}


def test_everything_set():
    config = config_from_dict(
        {
            "admins": ["UADMIN"],
            "default_team": "b",
            "primary_team": {"UX": "b"},
            "policies": {"fast": {"default": "4 business hours", "research": "8 business hours"}},
            "teams": {
                "a": {"members": ["UX", "UA"], "supervisors": ["USA"]},
                "b": {
                    "timezone": "America/Los_Angeles",
                    "hours": {"open": "08:00", "close": "16:30", "fri": "08:00-12:00"},
                    "policy": "fast",
                    "members": ["UX"],
                    "supervisors": ["USB"],
                    "specialists": ["US1"],
                    "channel": "CB",
                    "escalation_channel": "CBESC",
                    "inauguration_day": True,
                    "closures": ["2026-12-28", {"date": "2027-01-04", "reason": "weather"}],
                    "digest": {"enabled": False, "day": "Friday", "time": "16:00"},
                    "thresholds": {"meets": 0.8, "exceeds": 0.95},
                    "reminders": {
                        "nudge_fraction": 0.25,
                        "nudge_before": "2 business hours",
                        "level2_after": "2 business days",
                        "update_before_promised": "4 business hours",
                        "stale_after": "3 business days",
                    },
                },
            },
        }
    )
    b = config.team("b")
    assert config.default_team == "b" and config.is_admin("UADMIN") and not config.is_admin("UX")
    assert config.team_of("UX").name == "b" and config.team_of("UA").name == "a"
    assert config.team_of("UNOBODY").name == "b"  # not listed: the default team
    assert (b.policy.name, b.timezone, b.channel, b.escalation_channel) == (
        "fast",
        "America/Los_Angeles",
        "CB",
        "CBESC",
    )
    assert b.calendar.week[0] == (480, 990) and b.calendar.week[4] == (480, 720)
    assert b.calendar.inauguration_day is True
    assert b.calendar.closures[datetime(2027, 1, 4).date()] == "closure: weather"
    assert (b.digest.enabled, b.digest.weekday, b.digest.at) == (False, 4, time(16, 0))
    assert (b.thresholds.meets, b.thresholds.exceeds) == (0.8, 0.95)
    assert b.reminders.nudge_fraction == 0.25 and b.reminders.stale_after == parse_duration("3 business days")
    assert (
        config.supervises("USB", "b")
        and config.supervises("UADMIN", "a")
        and not config.supervises("USB", "a")
    )
    assert config.can_see_user("USA", "UA") and not config.can_see_user("UA", "UX")


def test_the_policy_reaches_the_deadline():
    t = team(policy="ita", timezone="America/Chicago")
    received = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tue 09:00 CST
    plan = t.policy.plan(t.calendar, kind="email", needs_research=False, received_at=received)
    assert plan.first_response_due == datetime(2026, 11, 25, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"teams": {"t": {}}, "colour": "red"}, "unknown key 'colour' in the top level"),
        ({"teams": {"t": {"polcy": "ita"}}}, "unknown key 'polcy' in [teams.t]"),
        ({"teams": {"t": {"hours": {"opens": "09:00"}}}}, "unknown key 'opens' in [teams.t].hours"),
        ({"teams": {"t": {"digest": {"hour": "09:00"}}}}, "unknown key 'hour' in [teams.t].digest"),
        ({"teams": {"t": {"thresholds": {"good": 0.5}}}}, "unknown key 'good' in [teams.t].thresholds"),
        (
            {"teams": {"t": {"reminders": {"nudge": "1 business hours"}}}},
            "unknown key 'nudge' in [teams.t].reminders",
        ),
        ({"teams": {}}, "there is no [teams.<name>] table"),
        ({"teams": {"t": "x"}}, "[teams.t] must be a table"),
        ({"teams": "x"}, "teams in the top level must be a table"),
        (
            {"teams": {"t": {"policy": "fastest"}}},
            "policy = 'fastest' is unknown; use one of: department, ita",
        ),
        ({"teams": {"t": {"members": ["U1", "U2", "U1"]}}}, "members lists U1 more than once"),
        ({"teams": {"t": {"members": "U1"}}}, "members must be a list of Slack user ids"),
        ({"teams": {"t": {"supervisors": [""]}}}, "supervisors must be a list of Slack user ids"),
        (
            {"teams": {"a": {"members": ["U1"]}, "b": {"specialists": ["U1"]}}},
            'user U1 is in teams a, b; say which is primary with [primary_team] U1 = "a"',
        ),
        ({"teams": {"a": {}}, "primary_team": {"U1": "z"}}, "[primary_team] U1 = 'z' is not a team"),
        ({"teams": {"a": {}}, "primary_team": {"U1": ["a"]}}, "[primary_team] U1 = ['a'] is not a team"),
        ({"teams": {"a": {}}, "default_team": "z"}, "default_team = 'z' is not a team"),
        (
            {"teams": {"t": {"timezone": "Mars/Olympus"}}},
            "[teams.t] timezone: unknown time zone 'Mars/Olympus'",
        ),
        ({"teams": {"t": {"timezone": 5}}}, "[teams.t] timezone must be text"),
        (
            {"teams": {"t": {"hours": {"open": "17:00", "close": "09:00"}}}},
            "[teams.t] hours.close '09:00' is not after open",
        ),
        (
            {"teams": {"t": {"hours": {"open": "25:00"}}}},
            "[teams.t] hours.open: '25:00' is outside 00:00–24:00",
        ),
        (
            {"teams": {"t": {"hours": {"sat": "lunch"}}}},
            "[teams.t] hours.sat: 'lunch' is not working hours",
        ),
        ({"teams": {"t": {"closures": "2026-12-24"}}}, "closures must be a list of dates"),
        (
            {"teams": {"t": {"closures": ["Christmas"]}}},
            "[teams.t] closures: 'Christmas' is not a date; write YYYY-MM-DD",
        ),
        ({"teams": {"t": {"inauguration_day": "false"}}}, "[teams.t] inauguration_day must be true or false"),
        ({"teams": {"t": {"channel": 42}}}, "[teams.t] channel must be text"),
        ({"teams": {"t": {"digest": {"day": "someday"}}}}, "day = 'someday' is not a weekday name"),
        ({"teams": {"t": {"digest": {"time": "9am"}}}}, "time = '9am' is not a time of day; write HH:MM"),
        ({"teams": {"t": {"digest": {"enabled": "yes"}}}}, "[teams.t].digest enabled must be true or false"),
        ({"teams": {"t": {"thresholds": {"meets": 90}}}}, "meets = 90 must be a fraction between 0 and 1"),
        ({"teams": {"t": {"thresholds": {"exceeds": True}}}}, "exceeds = True must be a fraction"),
        (
            {"teams": {"t": {"thresholds": {"meets": 0.9005}}}},
            "meets = 0.9005 is finer than 0.1%, the precision rates are shown in; write e.g. 0.9 or 0.901",
        ),
        (
            {"teams": {"t": {"thresholds": {"meets": 0.95, "exceeds": 0.9}}}},
            "[teams.t].thresholds exceeds = 0.9 is below meets = 0.95; Level 5 needs at least Level 3's "
            "share: swap them (meets = 0.9, exceeds = 0.95)",
        ),
        (
            {"teams": {"t": {"supervisors": ["@carol"]}}},
            "[teams.t] supervisors: '@carol' is not a Slack user id; write the member id, "
            'e.g. supervisors = ["U012AB3CD"] (Slack: the person\'s profile → ⋮ → Copy member ID)',
        ),
        (
            {"teams": {"t": {"members": ["<@U0ALICE|alice>"]}}},
            "[teams.t] members: '<@U0ALICE|alice>' is not a Slack user id; write the member id 'U0ALICE'",
        ),
        ({"teams": {"t": {"specialists": ["u0dan"]}}}, "write the member id 'U0DAN'"),
        ({"teams": {"t": {}}, "admins": ["dana"]}, "admins: 'dana' is not a Slack user id"),
        ({"teams": {"t": {}}, "names": {"alice": "Alice"}}, "[names] 'alice' is not a Slack user id"),
        (
            {"teams": {"t": {}}, "primary_team": {"@bob": "t"}},
            "[primary_team] '@bob' is not a Slack user id",
        ),
        (
            {"teams": {"t": {"channel": "#licensing"}}},
            "[teams.t] channel: '#licensing' is not a Slack channel id; write the channel's id, "
            'e.g. channel = "C012AB3CD"',
        ),
        ({"teams": {"t": {"escalation_channel": "esc"}}}, "[teams.t] escalation_channel: 'esc' is not"),
        (
            {"teams": {"a": {"channel": "C0X"}, "b": {"channel": "C0X"}}},
            "[teams.b] channel = 'C0X' is [teams.a]'s channel too, where a's members would read b's "
            "digest; give [teams.b] another channel",
        ),
        (
            {"teams": {"a": {"channel": "C0X"}, "b": {"escalation_channel": "C0X"}}},
            "[teams.b] escalation_channel = 'C0X' is [teams.a]'s channel too, where a's members would "
            "read b's escalations; give [teams.b] another escalation_channel",
        ),
        (
            {"teams": {"t": {"timezone": "America/NewYork"}}},
            "[teams.t] timezone: unknown time zone 'America/NewYork'; write timezone = \"America/New_York\"",
        ),
        (
            {"teams": {"t": {"timezone": "america/chicago"}}},
            'write timezone = "America/Chicago"',
        ),
        (
            {"teams": {"t": {"timezone": "EST"}}},
            "[teams.t] timezone = 'EST' is not a city's zone (a fixed offset or a legacy name, which "
            'would get daylight saving time wrong); write timezone = "America/New_York"',
        ),
        ({"teams": {"t": {"timezone": "PST8PDT"}}}, 'write timezone = "America/Los_Angeles"'),
        ({"teams": {"t": {"timezone": "Etc/GMT+5"}}}, "timezone = 'Etc/GMT+5' is not a city's zone"),
        (
            {"teams": {"t": {"timezon": "America/New_York"}}},
            "unknown key 'timezon' in [teams.t] (did you mean 'timezone'?); known keys: channel",
        ),
        (
            {"teams": {"t": {"reminders": {"nudge_fraction": 1.5}}}},
            "nudge_fraction = 1.5 must be between 0 and 1",
        ),
        (
            {"teams": {"t": {"reminders": {"stale_after": "5 days"}}}},
            "[teams.t].reminders stale_after: '5 days' is not a duration",
        ),
        (
            {"teams": {"t": {}}, "policies": {"p": {"default": "1 business day"}}},
            "policies.p: missing rule 'research'",
        ),
        (
            {"teams": {"t": {}}, "policies": {"p": {"default": "1 business day", "research": "2 days"}}},
            "policies.p.research: '2 days' is not a duration",
        ),
        (
            {
                "teams": {"t": {}},
                "policies": {"p": {"default": "1 day", "research": "2 business days", "speed": 1}},
            },
            "policies.p: unknown key 'speed'",
        ),
        ({"teams": {"t": {}}, "admins": "UADMIN"}, "admins must be a list of Slack user ids"),
    ],
)
def test_every_mistake_is_one_clear_error(data, message):
    assert message in error(data)


def test_same_person_in_two_teams_with_a_primary_is_fine():
    config = config_from_dict(
        {"teams": {"a": {"members": ["U1"]}, "b": {"supervisors": ["U1"]}}, "primary_team": {"U1": "b"}}
    )
    assert config.team_of("U1").name == "b" and config.supervises("U1", "b")


def test_supervisor_who_is_also_a_member_of_the_same_team_is_not_a_duplicate():
    assert team(members=["U1"], supervisors=["U1"]).everyone() == ("U1",)


def test_load_config_reports_file_problems(tmp_path):
    with pytest.raises(ConfigError, match="not found; fix INQUIRYBOT_CONFIG or unset it"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('[teams.a]\nmembers = ["U1"\n')
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(bad)
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[teams.caf\xe9]\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_config(latin)
    good = tmp_path / "good.toml"
    good.write_text('[teams.a]\nmembers = ["U1"]\nclosures = [2026-12-28]\n')
    assert load_config(good).team_of("U1").name == "a"


@pytest.mark.parametrize(
    "text, says",
    [
        (
            '[teams.a]\nmembrs = ["U1"]\n',
            "unknown key 'membrs' in [teams.a] (did you mean 'members'?); known keys: channel",
        ),
        ('[teams.a]\nsupervisors = ["@carol"]\n', "[teams.a] supervisors: '@carol' is not a Slack user id"),
        ('[teams.a]\ntimezone = "EST"\n', "[teams.a] timezone = 'EST' is not a city's zone"),
        (
            "[teams.a.thresholds]\nmeets = 0.98\nexceeds = 0.9\n",
            "exceeds = 0.9 is below meets = 0.98; Level 5 needs at least Level 3's share: swap them",
        ),
        (
            '[teams.a]\nchannel = "C0LIC"\n[teams.b]\nchannel = "C0LIC"\n',
            "[teams.b] channel = 'C0LIC' is [teams.a]'s channel too",
        ),
        ('[teams.a]\ntimezone = "America/NewYork"\n', "[teams.a] timezone: unknown time zone"),
        ('[teams.a.hours]\nopen = "8:70"\n', "[teams.a] hours.open: '8:70'"),
        ('[teams.a.hours]\nfri = "lunch"\n', "[teams.a] hours.fri: 'lunch' is not working hours"),
        (
            '[teams.a]\nmembers = ["U1"]\n[teams.b]\nsupervisors = ["U1"]\n',
            'user U1 is in teams a, b; say which is primary with [primary_team] U1 = "a"',
        ),
        ("", "there is no [teams.<name>] table; add at least one team"),
    ],
)
def test_a_mistake_in_the_file_is_one_line_naming_the_file_and_the_key(
    tmp_path, monkeypatch, capsys, text, says
):
    """What the operator sees: the file, the key as the file spells it, the fix; exit 2; no database."""
    from inquirybot.cli import main

    config = tmp_path / "teams.toml"
    config.write_text(text)
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    for command in (["db", "upgrade"], ["serve", "--port", "0"], ["socket"], ["tick"], ["shell"]):
        code = main(command)
        out, err = capsys.readouterr()
        assert (code, out) == (2, ""), command
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert err.startswith(f"inquirybot: config file {str(config)!r}: ") and says in err, err
    assert not (tmp_path / "x.db").exists()


def test_a_folder_named_as_the_config_file_says_so(tmp_path):
    with pytest.raises(ConfigError, match="is a directory, not a file; fix INQUIRYBOT_CONFIG"):
        load_config(tmp_path)


def test_config_is_frozen():
    config = default_config()
    with pytest.raises(AttributeError):
        config.default_team = "x"
    with pytest.raises(TypeError):
        config.teams["x"] = config.team("default")


def test_the_example_file_loads_and_shows_every_key():
    data = tomllib.loads(EXAMPLE.read_text())
    config = load_config(EXAMPLE)
    assert config.teams and config.admins
    assert set(data) == TOP_KEYS
    shown: dict[str, set[str]] = {
        "team": set(),
        "digest": set(),
        "thresholds": set(),
        "reminders": set(),
        "hours": set(),
    }
    for body in data["teams"].values():
        shown["team"] |= set(body)
        for part in ("digest", "thresholds", "reminders", "hours"):
            shown[part] |= set(body.get(part, {}))
    assert shown["team"] == TEAM_KEYS
    assert shown["digest"] == DIGEST_KEYS and shown["thresholds"] == THRESHOLD_KEYS
    assert shown["reminders"] == REMINDER_KEYS
    assert {"open", "close"} <= shown["hours"] <= HOURS_KEYS and len(shown["hours"]) > 2
    assert any(isinstance(c, dict) for body in data["teams"].values() for c in body.get("closures", []))
    policy_keys = {k for body in data["policies"].values() for k in body}
    assert policy_keys == {"default", "research", "target", "target_research", "kinds"}


def test_docs_configuration_names_every_key():
    """docs/configuration.md promises every key; reminders.gather_minutes was missing from it."""
    doc = (EXAMPLE.parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    first_cells = re.findall(r"^\| ([^|]+) \|", doc, re.MULTILINE)
    rows = {name for cell in first_cells for name in re.findall(r"`([^`]+)`", cell)}
    assert {k for k in TOP_KEYS if k not in ("teams", "policies", "primary_team", "names")} <= rows
    assert {"[primary_team]", "[names]", "[policies.<name>]", "[teams.<name>]"} <= rows
    plain = TEAM_KEYS - {"hours", "digest", "thresholds", "reminders"}
    assert plain <= rows, plain - rows
    for table, keys in (
        ("digest", DIGEST_KEYS),
        ("thresholds", THRESHOLD_KEYS),
        ("reminders", REMINDER_KEYS),
    ):
        assert {f"{table}.{k}" for k in keys} <= rows, {f"{table}.{k}" for k in keys} - rows
    assert {"hours.open", "hours.close", "hours.<weekday>"} <= rows


def test_a_team_without_a_digest_channel_is_warned_about_when_the_scheduler_starts(
    tmp_path, monkeypatch, capsys
):
    """Such a team silently got no weekly digest; the admin learns it from tick (and serve/socket)."""
    from inquirybot.cli import main

    config = tmp_path / "teams.toml"
    config.write_text(
        '[teams.licensing]\nchannel = "C0LIC"\n'
        '[teams.permits]\nmembers = ["U0BOB"]\n'
        '[teams.quiet]\nmembers = ["U0SUE"]\ndigest.enabled = false\n'
    )
    monkeypatch.setenv("INQUIRYBOT_CONFIG", str(config))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    # A Tuesday morning: no digest is due for any team (on a Monday at 09:00 licensing's would be).
    assert main(["tick", "--no-deliver", "--now", "2026-12-08T15:00:00+00:00"]) == 0
    out, err = capsys.readouterr()
    assert "digests: 0 digests queued" in out
    assert err == (
        "inquirybot: warning: team 'permits' has no channel, so it gets no weekly digest; add "
        f'channel = "C…" to [teams.permits] in {str(config)!r}, or digest.enabled = false\n'
    )


def test_without_a_config_file_the_digest_warning_says_to_write_one(tmp_path, monkeypatch, capsys):
    """A newcomer running the bot without INQUIRYBOT_CONFIG was told to edit 'the INQUIRYBOT_CONFIG
    file', which they do not have."""
    from inquirybot.cli import main

    monkeypatch.delenv("INQUIRYBOT_CONFIG", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["tick", "--no-deliver", "--now", "2026-12-08T15:00:00+00:00"]) == 0
    assert capsys.readouterr().err == (
        "inquirybot: warning: team 'default' has no channel, so it gets no weekly digest; set "
        'INQUIRYBOT_CONFIG to a TOML file with [teams.default] channel = "C…" '
        "(docs/configuration.md), or digest.enabled = false\n"
    )
