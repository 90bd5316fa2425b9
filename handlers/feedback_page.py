"""HTTP for the customer's feedback page, `/feedback/<token>` (docs/customer-feedback.md).

A small WSGI app that `inquirybot serve` mounts beside Slack's endpoint: it reads the request,
checks it (method, content type, size, rate limits, cross-site request forgery), calls the domain
(bot/customer_feedback) and answers with the page (bot/rendering/customer_page.py). Anything
wrong with the token itself is a plain 404, the same for a malformed, tampered or unknown one.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlsplit

from bot.customer_feedback import CustomerPage, PageInfo, Submitted
from bot.customer_feedback.form import FormResult, read_form
from bot.customer_feedback.limits import RateLimiter
from bot.customer_feedback.links import PATH
from bot.customer_feedback.rules import well_formed
from bot.rendering import customer_page as html
from bot.time.clock import Clock

log = logging.getLogger("inquirybot.feedback_page")
MAX_BODY = 16 * 1024  # a rating and 1000 four-byte characters, percent-encoded (12 kB), fit
COOKIE = "inquirybot_csrf"
FORM_TYPE = "application/x-www-form-urlencoded"
_CSRF_CHARS = 43  # secrets.token_urlsafe(32)
StartResponse = Callable[..., object]


class FeedbackPageApp:
    def __init__(
        self,
        page: CustomerPage,
        clock: Clock,
        *,
        public_url: str | None = None,
        per_token: tuple[int, timedelta] = (5, timedelta(minutes=10)),
        per_address: tuple[int, timedelta] = (60, timedelta(minutes=10)),
        after_change: Callable[[], None] | None = None,
    ):
        self.page = page
        self.public_url = public_url
        self.secure = bool(public_url and public_url.startswith("https://"))
        self.by_token = RateLimiter(*per_token, clock)
        self.by_address = RateLimiter(*per_address, clock)
        self.after_change = after_change or (lambda: None)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return self.handle(environ, start_response)
        except Exception:  # never a traceback to the customer, never a 500 page with internals
            log.exception("feedback page failed")
            return _plain(start_response, "503 Service Unavailable", html.TRY_AGAIN)

    def handle(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        token = environ.get("PATH_INFO", "")[len(PATH) :]
        wait = self.by_address.hit(environ.get("REMOTE_ADDR") or "?")
        if wait:
            return self._slow_down(start_response, wait)
        if not well_formed(token):
            return _plain(start_response, "404 Not Found", html.NOT_FOUND)
        if method not in ("GET", "HEAD", "POST"):
            return _plain(
                start_response,
                "405 Method Not Allowed",
                html.WRONG_METHOD,
                [("Allow", "GET, HEAD, POST")],
            )
        info = self.page.open(token)
        if info is None:
            return _plain(start_response, "404 Not Found", html.NOT_FOUND)
        if not info.open:
            return self._page(start_response, "410 Gone", _expired(info))
        if method == "POST":
            return self.post(environ, start_response, token, info)
        csrf = _cookie(environ) or secrets.token_urlsafe(32)
        page = html.form_page(office=info.office, ref=info.ref, csrf=csrf, rated=info.rated)
        return self._page(
            start_response, "200 OK", page, csrf=csrf, head=method == "HEAD", base=_base(environ)
        )

    def post(
        self, environ: dict, start_response: StartResponse, token: str, info: PageInfo
    ) -> Iterable[bytes]:
        content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if content_type != FORM_TYPE:
            return _plain(start_response, "400 Bad Request", html.wrong_form_type(FORM_TYPE))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length <= 0:
            return _plain(start_response, "400 Bad Request", html.FORM_EMPTY)
        if length > MAX_BODY:
            return _plain(
                start_response,
                "400 Bad Request",
                html.form_too_large(MAX_BODY),
            )
        wait = self.by_token.hit(token)
        if wait:
            return self._slow_down(start_response, wait)
        try:
            body = environ["wsgi.input"].read(length).decode("utf-8")
            values = parse_qs(
                body, keep_blank_values=True, strict_parsing=True, max_num_fields=10, errors="strict"
            )
        except (UnicodeDecodeError, ValueError):
            return _plain(start_response, "400 Bad Request", html.FORM_UNREADABLE)
        page_path = _base(environ) + PATH + token
        cookie = _cookie(environ)
        sent = values.get("csrf", [""])
        if not self._same_origin(environ):
            return self._page(
                start_response,
                "403 Forbidden",
                html.try_again_page(office=info.office, ref=info.ref, page_path=page_path),
            )
        if not cookie or len(sent) != 1 or not hmac.compare_digest(cookie.encode(), sent[0].encode()):
            # Sent from this site, but the cookie is gone (expired, blocked, another browser
            # session): the form again with what they typed kept and a new token, not a page
            # that throws their comment away.
            fresh = secrets.token_urlsafe(32)
            return self._form_again(start_response, environ, info, "403 Forbidden", fresh, read_form(values))
        result = read_form(values)
        if result.form is None:
            return self._form_again(start_response, environ, info, "400 Bad Request", cookie, result)
        outcome = self.page.submit(token, result.form)
        if outcome is None:
            return _plain(start_response, "404 Not Found", html.NOT_FOUND)
        if not isinstance(outcome, Submitted):
            return self._page(start_response, "410 Gone", _expired(outcome))
        if outcome.stored:
            self.after_change()  # the holder's DM goes out now, not at the deliverer's next pass
        page = html.thanks_page(
            office=outcome.info.office,
            ref=outcome.info.ref,
            score=outcome.score,
            expires_at=outcome.info.expires_at,
            page_path=page_path,
        )
        return self._page(start_response, "200 OK", page)

    def _same_origin(self, environ: dict) -> bool:
        """A browser's Origin (when it sends one) must be this site: as the proxy publishes it
        (INQUIRYBOT_PUBLIC_URL) or as the request reached us."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return True  # older browsers; the SameSite=Strict cookie still has to match
        allowed = set()
        if self.public_url:
            parts = urlsplit(self.public_url)
            allowed.add(f"{parts.scheme}://{parts.netloc}")
        host = environ.get("HTTP_HOST")
        if host:
            allowed.add(f"{environ.get('wsgi.url_scheme', 'http')}://{host}")
        return origin in allowed

    def _form_again(
        self,
        start_response: StartResponse,
        environ: dict,
        info: PageInfo,
        status: str,
        csrf: str,
        sent: FormResult,
    ) -> Iterable[bytes]:
        """The form once more with what was sent kept: to correct it (400), or, its cookie lost, to
        send again (403, with a new token)."""
        resend = status.startswith("403")
        page = html.form_page(
            office=info.office,
            ref=info.ref,
            csrf=csrf,
            rated=info.rated,
            chosen=sent.score_text,
            comment=sent.comment,
            problems=() if resend else sent.problems,
            resend=resend,
        )
        return self._page(start_response, status, page, csrf=csrf, base=_base(environ))

    def _page(
        self,
        start_response: StartResponse,
        status: str,
        page: str,
        *,
        csrf: str | None = None,
        head: bool = False,
        base: str = "",
    ) -> Iterable[bytes]:
        body = page.encode("utf-8")
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("Content-Security-Policy", html.CONTENT_SECURITY_POLICY),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
        ]
        if csrf:
            secure = "; Secure" if self.secure else ""
            headers.append(
                ("Set-Cookie", f"{COOKIE}={csrf}; Path={base}{PATH}; HttpOnly; SameSite=Strict{secure}")
            )
        start_response(status, headers)
        return [b""] if head else [body]

    def _slow_down(self, start_response: StartResponse, wait: int) -> Iterable[bytes]:
        body = html.slow_down_page(seconds=wait).encode("utf-8")
        start_response(
            "429 Too Many Requests",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Retry-After", str(wait)),
                ("Cache-Control", "no-store"),
                ("Content-Security-Policy", html.CONTENT_SECURITY_POLICY),
            ],
        )
        return [body]


def _expired(info: PageInfo) -> str:
    return html.expired_page(office=info.office, ref=info.ref, closed=info.closed)


def _cookie(environ: dict) -> str | None:
    try:
        jar = SimpleCookie(environ.get("HTTP_COOKIE") or "")
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    value = morsel.value if morsel else ""
    return value if len(value) == _CSRF_CHARS and well_formed_csrf(value) else None


def well_formed_csrf(value: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in "-_") for c in value)


def _plain(
    start_response: StartResponse, status: str, text: str, extra: list[tuple[str, str]] | None = None
) -> Iterable[bytes]:
    body = text.encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            *(extra or []),
        ],
    )
    return [body]


def _base(environ: dict) -> str:
    """Where the page is mounted (WSGI's SCRIPT_NAME): "" at /feedback/, "/t/T0123" for an
    installation's page when installed through OAuth (docs/federal.md)."""
    return str(environ.get("SCRIPT_NAME") or "").rstrip("/")
