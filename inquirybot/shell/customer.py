"""The customer's side of the shell: the real feedback page (handlers/feedback_page.py, the WSGI app
`serve` mounts at /feedback/) served on this machine, and a customer's browser that opens it over
HTTP, keeps its cookie and sends its form, shown as text (docs/shell.md, "The customer's page").

The page listens on 127.0.0.1 on a free port, and that address is the shell's public URL: the
links the bot shows work as they are, in `:open` or in a browser on this machine."""

from __future__ import annotations

import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

from bot.customer_feedback.links import PATH
from bot.errors import InputError

WSGI = Callable[[dict, Callable], Iterable[bytes]]
FORM_TYPE = "application/x-www-form-urlencoded"


class FeedbackSite:
    """The feedback page on waitress (as `serve` runs it), at http://127.0.0.1:<free port>. The
    port is taken before the app exists (the app's links need the address): `mount` hands it the page."""

    def __init__(self) -> None:
        from inquirybot.cli.serve import make_server

        self._page: WSGI | None = None
        self._server = make_server(self._app, host="127.0.0.1", port=0, threads=2)
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self.links = self.url + PATH  # every feedback link the shell shows starts so
        self._thread = threading.Thread(target=self._server.run, name="feedback-page", daemon=True)

    def mount(self, page: WSGI) -> FeedbackSite:
        self._page = page
        self._thread.start()
        return self

    def _app(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self._page is None or not (environ.get("PATH_INFO") or "").startswith(PATH):
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found\n"]
        return self._page(environ, start_response)

    def links_in(self, text: str) -> list[str]:
        return re.findall(re.escape(self.links) + r"[A-Za-z0-9_-]+", text)

    def close(self) -> None:
        self._server.close()


@dataclass
class Shown:
    """One page as the browser got it: where, the status line, the text, and its form if any."""

    url: str
    status: str
    text: str
    form: dict[str, Any] | None = None  # hidden fields, text boxes' contents, the rating's choices

    def render(self) -> str:
        body = "\n".join("  " + line if line else "" for line in self.text.splitlines())
        return f"[customer's browser] {self.url} · {self.status}\n{body}"


class CustomerBrowser:
    """A customer's browser, minus the browser: one cookie jar for the session; GET a link, POST the
    page's form back to it with its hidden fields and an Origin header, as a browser sends a form."""

    def __init__(self) -> None:
        self._opener = build_opener(HTTPCookieProcessor(CookieJar()))
        self.page: Shown | None = None

    def open(self, url: str, *, offered: str) -> Shown:
        """Open `url`, which must be one of the links under `offered` (the shell's own feedback page):
        any other address is refused in words, before the browser goes anywhere."""
        try:
            parts = urlsplit(url)
            web = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # e.g. "http://[::1" or a port that is not a number
            web = False
        if not web:
            raise InputError(f"“{url}” is not a web address; :open takes a feedback link")
        if not url.startswith(offered):
            raise InputError(
                f"“{url}” is not a feedback link this shell serves (they start {offered}); "
                "a link from another shell session stops working when it ends: ask again with /inquiry link INQ-n"
            )
        self.page = self._fetch(Request(url, method="GET"))
        return self.page

    def send(self, rating: str | None, comment: str | None) -> Shown:
        """The form with `rating` chosen and `comment` typed over what its box holds (None keeps it)."""
        page = self.page
        if page is None or page.form is None:
            raise InputError("no feedback form is open: :open a customer's feedback link first")
        form = page.form
        if rating is not None and rating not in form["choices"]:
            raise InputError(f"the page offers the ratings {', '.join(form['choices'])}; got {rating}")
        values = [*form["hidden"].items()]
        if rating is not None:
            values.append(("rating", rating))
        values.append(("comment", form["text"].get("comment", "") if comment is None else comment))
        parts = urlsplit(page.url)
        request = Request(
            page.url,
            data=urlencode(values).encode("utf-8"),
            method="POST",
            headers={"Content-Type": FORM_TYPE, "Origin": f"{parts.scheme}://{parts.netloc}"},
        )
        self.page = self._fetch(request)
        return self.page

    def _fetch(self, request: Request) -> Shown:
        try:
            with self._opener.open(request, timeout=30) as response:
                status = f"{response.status} {response.reason}"
                kind = response.headers.get("Content-Type", "")
                body = response.read().decode("utf-8", "replace")
        except HTTPError as exc:
            status = f"{exc.code} {exc.reason}"
            kind = exc.headers.get("Content-Type", "")
            body = exc.read().decode("utf-8", "replace")
        except (URLError, OSError, ValueError) as exc:
            raise InputError(
                f"the customer's browser could not open the feedback page: {unreachable(exc)}; "
                "nothing was sent (is the shell still running?)"
            ) from None
        if not kind.startswith("text/html"):
            return Shown(request.full_url, status, body.strip())
        reader = PageReader(request.full_url)
        reader.feed(body)
        reader.close()
        return Shown(request.full_url, status, reader.text(), reader.form)


def unreachable(exc: Exception) -> str:
    """Why a page could not be fetched, in words rather than an errno."""
    reason = exc.reason if isinstance(exc, URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return "nothing answers at that address"
    if isinstance(reason, socket.gaierror):
        return "no computer has that name"
    if isinstance(reason, TimeoutError | socket.timeout):
        return "no answer within 30 seconds"
    if isinstance(reason, ConnectionError):
        return "the connection was cut off"
    if isinstance(reason, ssl.SSLError):
        return "its secure connection could not be set up"
    return "the address cannot be reached"


class PageReader(HTMLParser):
    """The page as a screen reader would read it, line by line: headings, paragraphs, the radio
    choices `( ) 1 — Very dissatisfied` (`(x)` when chosen), the comment box, errors, the button."""

    BLOCKS = {"p", "h1", "h2", "legend", "label", "li", "header", "footer", "div", "textarea", "button"}

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url  # links are shown in full, as a browser's status bar would
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0  # inside <head>, <style>, <title>
        self.href: str | None = None
        self.form: dict[str, Any] | None = None
        self.pending_radio: str | None = None
        self.in_textarea = False
        self.textarea: list[str] = []
        self.textarea_name = ""
        self.in_button = False
        self.heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("head", "style", "title", "script"):
            self.skip += 1
        elif tag == "form":
            self.form = {"hidden": {}, "text": {}, "choices": []}
        elif tag == "input" and self.form is not None:
            if a.get("type") == "hidden":
                self.form["hidden"][a.get("name", "")] = a.get("value", "")
            elif a.get("type") == "radio":
                self.form["choices"].append(a.get("value", ""))
                self.pending_radio = "(x) " if "checked" in a else "( ) "
        elif tag == "textarea":
            self.textarea_name = a.get("name", "")
            self._break()
            self.in_textarea = True
            self.textarea = []
        elif tag == "a":
            href = a.get("href", "")
            self.href = urljoin(self.url, href) if href and not href.startswith("#") else None
        elif tag in ("h1", "h2"):
            self._break()
            self.heading = True
        elif tag == "button":
            self._break()
            self.in_button = True
        elif tag in self.BLOCKS or tag == "br":
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "title", "script"):
            self.skip = max(0, self.skip - 1)
        elif tag == "textarea":
            text = "".join(self.textarea).strip()
            if self.form is not None:
                self.form["text"][self.textarea_name] = "".join(self.textarea)
            self.lines.append(f"[{text}]" if text else "[ ]")
            self.in_textarea = False
        elif tag == "a":
            if self.href:
                self.current.append(f" <{self.href}>")
            self.href = None
        elif tag in ("h1", "h2"):
            text = " ".join("".join(self.current).split())
            self.current = []
            if text:
                self.lines += ["", text.upper() if tag == "h1" else text]
            self.heading = False
        elif tag == "button":
            text = " ".join("".join(self.current).split())
            self.current = []
            self.lines.append(f"[{text}]")
            self.in_button = False
        elif tag in self.BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_textarea:
            self.textarea.append(data)
            return
        if self.pending_radio and data.strip():
            self.current.append(self.pending_radio)
            self.pending_radio = None
        self.current.append(data)

    def _break(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.lines.append(text)

    def text(self) -> str:
        self._break()
        lines: list[str] = []
        for line in self.lines:
            if line or (lines and lines[-1]):
                lines.append(line)
        return "\n".join(lines).strip()
