"""`inquirybot serve [--port 3000]` (Slack over HTTP, waitress) and `inquirybot socket` (Socket Mode).

Both build the runtime, check the Slack settings, start the in-process scheduler (reminders,
digests, outbox delivery) and run until interrupted. Everything is built by the composition root
(inquirybot/bootstrap.py); this module only serves it.

Bolt runs with process_before_response=True: each listener answers from the request's own thread
(no hand-off and 10 ms polling for ack()), and everything slow after the acknowledgement goes to
the listener pool (handlers.context.Deps.later).
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from bot.config.advice import config_warnings
from bot.config.runtime import Runtime
from bot.errors import ConfigError
from inquirybot.cli.stopping import on_sigterm
from inquirybot.cli.terminal import warn
from inquirybot.process import build_process

log = logging.getLogger("inquirybot.serve")
EVENTS_PATH = "/slack/events"


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="Slack over HTTP: POST /slack/events, GET /healthz (waitress)"
    )
    serve.add_argument("--port", type=port_number, default=3000, help="port to listen on (default 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")
    serve.add_argument("--threads", type=int, default=8, help="request threads (default 8)")
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run reminders and delivery in this process (e.g. a dedicated `tick` cron)",
    )
    serve.set_defaults(func=run_serve)
    socket = subparsers.add_parser(
        "socket", help="Slack over Socket Mode (needs SLACK_APP_TOKEN); no public URL"
    )
    socket.add_argument("--no-scheduler", action="store_true", help="do not run reminders and delivery here")
    socket.set_defaults(func=run_socket)


# ---- HTTP ------------------------------------------------------------------------------------


def port_number(text: str) -> int:
    """A TCP port; waitress would otherwise wrap 99999 round to 34463 and listen there quietly."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port; give 1-65535 (0: any free port)")
    return port


def wsgi_app(
    app: Any,
    runtime: Runtime,
    *,
    after_change: Callable[[], None] | None = None,
    feedback: Callable | None = None,
    router: Callable | None = None,
    tenant_pages: Callable | None = None,
) -> Callable[[dict, Callable], Iterable[bytes]]:
    """POST /slack/events -> verified and shaped (handlers.http_guard) -> Bolt (installed through
    OAuth: `router`, to the request's installation; GET /slack/install, /slack/oauth_redirect;
    `tenant_pages`, each installation's feedback page at /t/<key>/feedback/<token>);
    GET /healthz -> 200 when the database answers a read within a second, else 503;
    /feedback/<token> -> the customer's feedback page (handlers/feedback_page.py)."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.customer_feedback.links import PATH as FEEDBACK_PATH
    from handlers.http_guard import HealthProbe, SlackGuard
    from inquirybot.bootstrap import build_feedback_page

    bolt = router or SlackRequestHandler(app, path=EVENTS_PATH)
    # serve passes the page its process built (inquirybot/bootstrap.py); tests and benchmarks may not.
    page = feedback or build_feedback_page(runtime, after_change=after_change)
    guarded = SlackGuard(
        bolt, path=EVENTS_PATH, secret=runtime.settings.slack_signing_secret or "", clock=runtime.clock
    )
    health = HealthProbe(lambda: database_answers(runtime))
    pages_path: str | None = None
    if tenant_pages is not None:
        from inquirybot.tenants import PAGES as pages_path

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if pages_path and tenant_pages and (environ.get("PATH_INFO") or "").startswith(pages_path):
            return tenant_pages(environ, start_response)
        if (environ.get("PATH_INFO") or "").startswith(FEEDBACK_PATH):
            return page(environ, start_response)
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return health(environ, start_response)
        return guarded(environ, start_response)

    return application


def database_answers(runtime: Runtime) -> None:
    """One read, without the write lock (a locked SQLite database still answers reads)."""
    from storage.database import ping

    ping(runtime.engine, read_only=True)


CONNECTION_LIMIT = 4000  # open connections at once; more wait in the listen backlog
CHANNEL_TIMEOUT = 15  # seconds a connection may stay silent (Slack's requests take milliseconds)
CLEANUP_INTERVAL = 2  # seconds between sweeps for silent connections


def make_server(
    application: Callable, *, host: str, port: int, threads: int = 8, trusted_proxy: str | None = None
) -> Any:
    """A waitress server (production WSGI, not Bolt's development server); .run() blocks, .close() stops.
    `trusted_proxy`: the HTTPS proxy's address, whose X-Forwarded-For/-Proto name the client
    (docs/customer-feedback.md); such headers from anyone else are dropped."""
    from waitress.server import BaseWSGIServer, create_server

    # Idle or slow clients must not starve Slack and health checks (docs/faults.md "HTTP"): idle
    # connections cost no thread here, poll() has no 1,024-descriptor ceiling, and a connection
    # silent for CHANNEL_TIMEOUT is closed (checked every CLEANUP_INTERVAL).
    proxy: dict[str, Any] = (
        {}
        if not trusted_proxy
        else {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "clear_untrusted_proxy_headers": True,
        }
    )
    server = create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="inquirybot",
        channel_timeout=CHANNEL_TIMEOUT,
        cleanup_interval=CLEANUP_INTERVAL,
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,
        max_request_body_size=1024 * 1024,
        **proxy,
    )
    # One listening socket gives one server; several (e.g. IPv4 and IPv6) a MultiSocketServer.
    listeners: list[BaseWSGIServer] = (
        [server]
        if isinstance(server, BaseWSGIServer)
        # types-waitress says the map holds sockets: it holds the dispatchers.
        else [d for d in (server.map or {}).values() if isinstance(d, BaseWSGIServer)]  # type: ignore[misc]
    )
    for listener in listeners:
        listener.channel_class = _channel_class()
    return server


_CHANNEL: list[type] = []


def _channel_class() -> type:
    """waitress's HTTP channel, minus a busy loop of its event thread.

    While a request thread writes its answer it holds the channel's output lock and the output
    buffer is briefly non-empty; waitress then reports the socket as writable, select() returns at
    once, the event thread finds the lock taken and does nothing, and goes round again until the
    writer gets the GIL back — about a dozen empty rounds per request under load, a fifth of the
    process's CPU in bench_slack. Here the channel is not offered for writing while its request
    thread holds that lock: the writer flushes its own output (waitress sends from the request
    thread), and when it cannot finish it wakes the event thread, which sends the rest once the
    lock is free (tests/slack/test_http_server.py). Everything else is waitress's own behaviour.
    """
    if not _CHANNEL:
        from waitress.channel import HTTPChannel

        class Channel(HTTPChannel):
            def writable(self) -> bool:
                if self.will_close or self.close_when_flushed:
                    return True
                if not self.total_outbufs_len:
                    return False
                if self.requests:  # a request thread may be writing right now
                    if not self.outbuf_lock.acquire(False):
                        return False
                    self.outbuf_lock.release()
                return True

        _CHANNEL.append(Channel)
    return _CHANNEL[0]


def run_serve(args: argparse.Namespace) -> int:
    runtime = _runtime()
    if not runtime.settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set; copy it from the Slack app's Basic Information page"
        )
    _log_to_stderr()
    process = build_process(runtime, socket_mode=False, with_scheduler=not args.no_scheduler)
    try:
        server = make_server(
            wsgi_app(
                process.app,
                runtime,
                feedback=process.feedback_page,
                router=process.router,
                tenant_pages=process.tenants.pages if process.tenants is not None else None,
            ),
            host=args.host,
            port=args.port,
            threads=args.threads,
            trusted_proxy=runtime.settings.trusted_proxy,
        )
    except OSError as exc:  # port in use, no such address, no permission for a low port
        raise ConfigError(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc}); "
            "stop what uses it or pass another --port"
        ) from None
    warn(config_warnings(runtime.config, runtime.settings.config_path))
    installs = "; installs: /slack/install" if process.tenants is not None else ""
    scheduling = process.scheduler is not None or (
        process.tenants is not None and process.tenants.with_scheduler
    )
    print(
        f"inquirybot: serving Slack on http://{args.host}:{server.effective_port}{EVENTS_PATH}{installs} "
        f"(health: /healthz; customer feedback: /feedback/<token>){'' if scheduling else '; scheduler off'}",
        file=sys.stderr,
    )
    process.start()
    try:
        with on_sigterm():  # waitress's run() ends on KeyboardInterrupt after its request threads finish
            server.run()
    finally:
        process.stop()
    return 0


# ---- Socket Mode -------------------------------------------------------------------------------


def run_socket(args: argparse.Namespace) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from handlers.slack_calls import patient_client

    runtime = _runtime()
    if not runtime.settings.slack_app_token:
        raise ConfigError(
            "SLACK_APP_TOKEN is not set; create an app-level token (xapp-…) with connections:write "
            "on the Slack app's Basic Information page"
        )
    _log_to_stderr()
    process = build_process(runtime, socket_mode=True, with_scheduler=not args.no_scheduler)
    warn(config_warnings(runtime.config, runtime.settings.config_path))
    print("inquirybot: connecting to Slack over Socket Mode", file=sys.stderr)
    # Opening the connection may wait out a long Retry-After; the listeners' client may not.
    client = patient_client(process.app.client)
    handler = SocketModeHandler(process.app, app_token=runtime.settings.slack_app_token, web_client=client)
    connect(handler, runtime.settings.slack_api_url)  # before the scheduler: a refusal stops here
    process.start()
    try:
        with on_sigterm():
            threading.Event().wait()  # the connection's own threads serve; this one waits to be stopped
    except KeyboardInterrupt:
        pass  # stopped by SIGTERM or Ctrl-C: the scheduler below finishes its message and lets go
    finally:
        handler.close()
        process.stop()
    return 0


def connect(handler: Any, api_url: str) -> None:
    """Open the Socket Mode connection (apps.connections.open, then the WebSocket); Slack out of
    reach or refusing the app-level token is one line naming it, not a traceback."""
    from slack_sdk.errors import SlackApiError

    try:
        handler.connect()
    except SlackApiError as exc:
        handler.close()
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        raise ConfigError(
            f"Slack refused the Socket Mode connection ({error or exc.response.status_code}); check "
            "SLACK_APP_TOKEN: an app-level token (xapp-…) with connections:write from the Slack app's "
            "Basic Information page, of the same app as SLACK_BOT_TOKEN"
        ) from None
    except OSError as exc:  # refused, unresolvable, timed out (urllib's URLError is an OSError)
        handler.close()
        reason = getattr(exc, "reason", None) or exc.strerror or exc
        raise ConfigError(
            f"cannot reach Slack at {api_url} ({reason}); check the network (or proxy) and SLACK_API_URL"
        ) from None


# ---- shared ------------------------------------------------------------------------------------


def _runtime() -> Runtime:
    from inquirybot.cli.db import open_runtime

    runtime = open_runtime()
    if not runtime.settings.slack_bot_token and not runtime.settings.oauth:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set; set it to the app's bot token (xoxb-…), or SLACK_CLIENT_ID, "
            "SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install through OAuth"
        )
    return runtime


def _log_to_stderr() -> None:
    """The server's log, once every setting is known good: a mistake before it stays one line
    (start-up's own INFO chatter, such as Alembic loading its plugins, is not shown)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
