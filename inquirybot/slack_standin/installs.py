"""Installs as the Web API stand-in (webapi.py) plays them: what oauth.v2.access answers for a
code set up with `add_install` (each code works once), and who a bot token is when auth.test asks
(`add_bot`; any other token is workspace TEAM's bot)."""

from __future__ import annotations

import threading
from typing import Any

BOT_USER = "UBOT"
TEAM = "T111"


class Installs:
    """The install half of WebApiStandIn, which holds the state declared here."""

    oauth_codes: dict[str, dict[str, Any]]  # code -> oauth.v2.access answer
    bots: dict[str, dict[str, Any]]  # bot token -> who it is (auth.test)
    _lock: threading.Lock

    def add_install(
        self,
        code: str,
        *,
        token: str,
        team: str | None = None,
        enterprise: str | None = None,
        org_wide: bool = False,
        installer: str = "UINSTALLER",
    ) -> None:
        """What Slack's oauth.v2.access answers for `code`: a workspace install (team), a workspace
        of an Enterprise org (team and enterprise), or an org-wide install (enterprise, org_wide)."""
        answer = {
            "ok": True,
            "app_id": "A111",
            "authed_user": {"id": installer},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER,
            "team": None if org_wide else {"id": team, "name": f"Workspace {team}"},
            "enterprise": {"id": enterprise, "name": f"Org {enterprise}"} if enterprise else None,
            "is_enterprise_install": org_wide,
        }
        self.oauth_codes[code] = answer
        self.add_bot(token, team=team, enterprise=enterprise, org_wide=org_wide)

    def add_bot(
        self, token: str, *, team: str | None = None, enterprise: str | None = None, org_wide: bool = False
    ) -> None:
        """Who `token` is when auth.test asks: a workspace's bot, or an org-wide install's."""
        self.bots[token] = {
            "team_id": enterprise if org_wide else team,
            "enterprise_id": enterprise,
            "is_enterprise_install": org_wide,
            "bot_id": f"B{(enterprise if org_wide else team) or ''}",
        }

    def _oauth_v2_access(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            answer = self.oauth_codes.pop(p.get("code") or "", None)
        return answer or {"ok": False, "error": "invalid_code"}

    def _auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        installed = self.bots.get(p.get("token") or "")
        if installed is not None:
            return {
                "ok": True,
                "url": "https://test.slack.com/",
                "user": "inquirybot",
                "user_id": BOT_USER,
                **installed,
            }
        return {
            "ok": True,
            "url": "https://test.slack.com/",
            "team": "Test",
            "user": "inquirybot",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": "BBOT",
            "is_enterprise_install": False,
        }
