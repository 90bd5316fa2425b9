"""What a config allows but an admin most likely did not mean: said as a warning when the scheduler
starts (`serve`, `socket`, `tick`), never refused — the bot works without it (docs/configuration.md)."""

from __future__ import annotations

from bot.config.teams import Config


def config_warnings(config: Config) -> list[str]:
    return [
        f'team {team.name!r} has no channel, so it gets no weekly digest; add channel = "C…" to '
        f"[teams.{team.name}] in the INQUIRYBOT_CONFIG file, or digest.enabled = false"
        for team in config.teams.values()
        if team.digest.enabled and not team.channel
    ]
