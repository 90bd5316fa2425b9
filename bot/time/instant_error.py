"""An input error about instants, worded in the reader's zone (docs/record.md): the message is
kept as a template and the instants, so the Slack handler can show them in the zone of whoever
reads it; str() shows them in the zone the service knows (the team's)."""

from __future__ import annotations

from datetime import datetime

from bot.errors import InputError
from bot.time.instants import when


class InstantError(InputError):
    def __init__(self, template: str, instants: dict[str, datetime], *, tz: str, example: str | None = None):
        self.template = template
        self.instants = dict(instants)
        super().__init__(self.for_reader(tz), example)

    def for_reader(self, tz: str | None) -> str:
        return self.template.format(**{name: when(at, tz) for name, at in self.instants.items()})
