"""A customer's browser, minus the browser: GET and POST the feedback page over real HTTP, keeping
its cookie (tests/browser drives a real Chromium)."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from urllib.parse import urlencode

PUBLIC_URL = "https://feedback.example.gov"
OFFICE = "Office of Export Licensing"
LINK = re.compile(re.escape(PUBLIC_URL) + r"(?:/t/[A-Z0-9]+)?/feedback/([A-Za-z0-9_-]{32})")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM = "application/x-www-form-urlencoded"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


def token_in(text: str) -> str:
    match = LINK.search(text)
    assert match, f"no feedback link in {text!r}"
    return match.group(1)


class Customer:
    def __init__(self, port: int, mount: str = ""):
        self.port = port
        self.mount = mount  # "/t/<key>": an installation's page (installed through OAuth)
        self.cookie: str | None = None

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = dict(headers or {})
            if self.cookie and "Cookie" not in sent:
                sent["Cookie"] = self.cookie
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            answer = Answer(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read().decode("utf-8"),
            )
        finally:
            conn.close()
        if "set-cookie" in answer.headers:
            self.cookie = answer.headers["set-cookie"].split(";")[0]
        return answer

    def open(self, token: str) -> Answer:
        return self.request("GET", f"{self.mount}/feedback/{token}")

    def csrf(self, token: str) -> str:
        page = self.open(token)
        assert page.status == 200, page
        return CSRF.search(page.text).group(1)

    def send(
        self,
        token: str,
        fields: dict[str, str] | list[tuple[str, str]],
        *,
        csrf: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """The form as a browser posts it (after opening the page, which sets the cookie)."""
        values = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf:
            values.append(("csrf", self.csrf(token)))
        body = urlencode(values).encode()
        return self.request(
            "POST",
            f"{self.mount}/feedback/{token}",
            body,
            {"Content-Type": FORM, "Origin": f"http://127.0.0.1:{self.port}", **(headers or {})},
        )
