"""The `/inquiry` command language: Slack text in, typed command out (bot.commands.model)."""

from bot.commands.dates import When, warm_up
from bot.commands.parser import inquiry_id, parse_command, subcommand_name

__all__ = ["When", "inquiry_id", "parse_command", "subcommand_name", "warm_up"]
