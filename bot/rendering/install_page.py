"""The pages an installer sees at the end of Slack's OAuth install (handlers/oauth.py): in place of
Bolt's defaults, which send a GovSlack admin's browser to commercial Slack (app.slack.com) and have
no language or title. Plain HTML, no script; every value from outside goes through html.escape."""

from __future__ import annotations

from html import escape


def _document(title: str, body: str, *, refresh: str | None = None) -> str:
    meta = f'<meta http-equiv="refresh" content="0; URL={escape(refresh)}">\n' if refresh else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{meta}<title>{escape(title)}</title>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def open_in_slack(
    *, domain: str, app_id: str | None, team_id: str | None, enterprise_url: str | None, org_wide: bool
) -> tuple[str, str]:
    """(where the desktop app opens, the web client's page) on the platform of SLACK_DOMAIN: an
    org-wide install goes on to the org's page for adding the app to its workspaces."""
    if org_wide and enterprise_url and app_id:
        app = f"{enterprise_url.rstrip('/')}/manage/organization/apps/profile/{app_id}/workspaces/add"
    elif team_id and app_id:
        app = f"slack://app?team={team_id}&id={app_id}"
    else:
        app = "slack://open"
    web = f"https://app.{domain}/client/{team_id}" if team_id else f"https://app.{domain}/client"
    return app, web


def installed_page(
    *, domain: str, app_id: str | None, team_id: str | None, enterprise_url: str | None, org_wide: bool
) -> str:
    app, web = open_in_slack(
        domain=domain, app_id=app_id, team_id=team_id, enterprise_url=enterprise_url, org_wide=org_wide
    )
    body = (
        "<h1>inquirybot is installed</h1>\n"
        f'<p>Opening Slack… If nothing happens, <a href="{escape(app)}">open Slack</a>, or '
        f'<a href="{escape(web)}">open Slack in the browser</a>.</p>'
    )
    return _document("inquirybot is installed", body, refresh=app)


def install_failed_page(*, install_path: str, reason: str) -> str:
    body = (
        "<h1>inquirybot was not installed</h1>\n"
        f"<p>Slack did not complete the install ({escape(reason)}). "
        f'<a href="{escape(install_path)}">Start the install again</a>, or ask the app\'s owner.</p>'
    )
    return _document("inquirybot was not installed", body)
