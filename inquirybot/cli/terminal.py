"""Text for a terminal, not for Slack (docs/faults.md "The CLI in a terminal").

The service's messages are written for Slack: people as `<@U0BOB>`, channels as `<#C1>`, links as
`<url|label>`, HTML entities, and hints such as "check the id with `/inquiry list`". A terminal user
sees names (from the cached Slack profiles) or ids, plain links, and never a slash command.
"""

from __future__ import annotations

import html
import os
import re
import sys
from collections.abc import Callable, Mapping

USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
OTHER_MENTION = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")  # e.g. `<@cli:alice>` in records written before
SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
# What a slash-command hint means on the command line.
SLASH_TO_CLI = {
    "/inquiry list": "inquirybot export",
    "/inquiry report me": "inquirybot report --user YOUR_ID",
    "/inquiry report team": "inquirybot report --team TEAM",
    "/inquiry closure add <date> <reason>": "inquirybot closure add DATE --reason TEXT",
}
SLASH_HINT = re.compile(r"`(/inquiry[^`]*)`")
SLASH_CLAUSE = re.compile(
    r"[;,]?\s*(?:try|you can see your own with|check the id with)?[^;`]*`/inquiry[^`]*`[^;]*"
)


def user_ids(text: str) -> list[str]:
    return [m[0] for m in USER.findall(text)]


def plain(text: str, names: Mapping[str, str] | None = None) -> str:
    names = names or {}

    def person(m: re.Match[str]) -> str:
        label = m.group(2) or names.get(m.group(1))
        return f"{label} ({m.group(1)})" if label else m.group(1)

    def channel(m: re.Match[str]) -> str:
        return f"#{m.group(2) or m.group(1)}"

    def link(m: re.Match[str]) -> str:
        target, label = m.group(1).removeprefix("mailto:"), m.group(2)
        return label if not label or label == target else f"{label} ({target})"

    out = USER.sub(person, text)
    out = OTHER_MENTION.sub(r"\1", out)
    out = CHANNEL.sub(channel, out)
    out = LINK.sub(lambda m: link(m) if m.group(2) else m.group(1).removeprefix("mailto:"), out)
    out = SPECIAL.sub(lambda m: f"@{m.group(1)}", out)
    out = SLASH_HINT.sub(
        lambda m: f"`{SLASH_TO_CLI[m.group(1)]}`" if m.group(1) in SLASH_TO_CLI else m.group(0), out
    )
    out = SLASH_CLAUSE.sub("", out)  # a hint with no command-line equivalent is left out
    return html.unescape(out)


def warn(lines: list[str]) -> None:
    for line in lines:
        print(f"inquirybot: warning: {line}", file=sys.stderr)


def quiet_broken_pipe(run: Callable[[], int]) -> int:
    """Output piped into `head` and cut short ends quietly, as other Unix tools do."""
    try:
        code = run()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe
