"""Who the shell can act as: user ids from the config, with friendly names for the demo team."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.config.teams import Config
from bot.errors import InputError

_MENTION = re.compile(r"(?<![\w<@#])([@#])([A-Za-z0-9][\w.-]*)")

DEMO_NAMES = {
    "U0ALICE": "alice",
    "U0BOB": "bob",
    "U0CAROL": "carol",
    "U0DAN": "dan",
    "U0ADMIN": "admin",
    "C0TEAM": "trade-team",
    "C0ESCAL": "trade-escalations",
}


@dataclass(frozen=True)
class Directory:
    names: dict[str, str]  # id -> name (users and channels)

    @classmethod
    def from_config(cls, config: Config) -> Directory:
        names: dict[str, str] = {}
        for team in config.teams.values():
            for uid in team.everyone():
                names[uid] = DEMO_NAMES.get(uid, uid.lower())
            for channel in (team.channel, team.escalation_channel):
                if channel:
                    names[channel] = DEMO_NAMES.get(channel, channel.lower())
        for uid in config.admins:
            names[uid] = DEMO_NAMES.get(uid, uid.lower())
        return cls(names)

    @property
    def users(self) -> dict[str, str]:
        return {k: v for k, v in self.names.items() if k.startswith(("U", "W"))}

    def resolve(self, who: str) -> str:
        """'@bob', 'bob' or 'U0BOB' -> 'U0BOB'; unknown -> InputError listing who exists."""
        key = who.strip().lstrip("@")
        for uid, name in self.users.items():
            if key.lower() in (name.lower(), uid.lower()):
                return uid
        known = ", ".join("@" + n for n in self.users.values())
        raise InputError(f"unknown user {who!r}; known users: {known}")

    def escape(self, text: str) -> str:
        """What Slack does to typed text with should_escape: @name -> <@U…|name>, #chan -> <#C…|chan>,
        and &, <, > as entities (mentions already in Slack's form are kept)."""
        by_name = {name.lower(): uid for uid, name in self.names.items()}
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        def mention(match: re.Match[str]) -> str:
            sigil, name = match.group(1), match.group(2)
            uid = by_name.get(name.lower())
            if uid is None or (sigil == "@") != uid.startswith(("U", "W")):
                return match.group(0)
            return f"<{sigil}{uid}|{name}>"

        return _MENTION.sub(mention, text)

    def name(self, uid: str) -> str:
        return self.names.get(uid, uid)
