"""What a config allows but an admin most likely did not mean: said as a warning when the scheduler
starts (`serve`, `socket`, `tick`), never refused — the bot works without it (docs/configuration.md)."""

from __future__ import annotations

from bot.config.teams import Config


def config_warnings(config: Config, path: str | None) -> list[str]:
    """`path`: the INQUIRYBOT_CONFIG file; None when the built-in default team runs, and then the
    fix is to write a file at all."""
    return [
        f"team {team.name!r} has no channel, so it gets no weekly digest; {_fix(team.name, path)}, "
        "or digest.enabled = false"
        for team in config.teams.values()
        if team.digest.enabled and not team.channel
    ]


def _fix(team: str, path: str | None) -> str:
    if path is None:
        return (
            f'set INQUIRYBOT_CONFIG to a TOML file with [teams.{team}] channel = "C…" (docs/configuration.md)'
        )
    return f'add channel = "C…" to [teams.{team}] in {path!r}'
