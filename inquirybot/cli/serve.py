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
import json
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

from bot.config.runtime import Runtime
from bot.errors import ConfigError
from inquirybot.bootstrap import build_process

log = logging.getLogger("inquirybot.serve")
EVENTS_PATH = "/slack/events"


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="Slack over HTTP: POST /slack/events, GET /healthz (waitress)")
    serve.add_argument("--port", type=int, default=3000, help="port to listen on (default 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")
    serve.add_argument("--threads", type=int, default=8, help="request threads (default 8)")
    serve.add_argument("--no-scheduler", action="store_true",
                       help="do not run reminders and delivery in this process (e.g. a dedicated `tick` cron)")
    serve.set_defaults(func=run_serve)
    socket = subparsers.add_parser("socket", help="Slack over Socket Mode (needs SLACK_APP_TOKEN); no public URL")
    socket.add_argument("--no-scheduler", action="store_true", help="do not run reminders and delivery here")
    socket.set_defaults(func=run_socket)


# ---- HTTP ------------------------------------------------------------------------------------

def wsgi_app(app: Any, runtime: Runtime) -> Callable[[dict, Callable], Iterable[bytes]]:
    """POST /slack/events -> Bolt; GET /healthz -> 200 when the database answers, else 503."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from sqlalchemy import text

    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            try:
                with runtime.engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                body: dict[str, Any] = {"ok": True}
                status = "200 OK"
            except Exception as exc:  # the probe reports; it must not crash the server
                status, body = "503 Service Unavailable", {"ok": False, "error": type(exc).__name__}
            payload = json.dumps(body).encode()
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
            return [payload]
        return bolt(environ, start_response)

    return application


def make_server(application: Callable, *, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server (production WSGI, not Bolt's development server); .run() blocks, .close() stops."""
    from waitress.server import BaseWSGIServer, create_server

    server = create_server(application, host=host, port=port, threads=threads, ident="inquirybot",
                           channel_timeout=30, connection_limit=500)
    # One listening socket gives one server; several (e.g. IPv4 and IPv6) a MultiSocketServer.
    listeners: list[BaseWSGIServer] = [server] if isinstance(server, BaseWSGIServer) else [
        d for d in (server.map or {}).values() if isinstance(d, BaseWSGIServer)]  # type: ignore[misc]  # types-waitress says sockets: it holds the dispatchers
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
        raise ConfigError("SLACK_SIGNING_SECRET is not set; copy it from the Slack app's Basic Information page")
    process = build_process(runtime, socket_mode=False, with_scheduler=not args.no_scheduler)
    server = make_server(wsgi_app(process.app, runtime), host=args.host, port=args.port, threads=args.threads)
    print(f"inquirybot: serving Slack on http://{args.host}:{server.effective_port}{EVENTS_PATH} "
          f"(health: /healthz){'' if process.scheduler else '; scheduler off'}", file=sys.stderr)
    process.start()
    try:
        server.run()
    finally:
        process.stop()
    return 0


# ---- Socket Mode -------------------------------------------------------------------------------

def run_socket(args: argparse.Namespace) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    runtime = _runtime()
    if not runtime.settings.slack_app_token:
        raise ConfigError("SLACK_APP_TOKEN is not set; create an app-level token (xapp-…) with connections:write "
                          "on the Slack app's Basic Information page")
    process = build_process(runtime, socket_mode=True, with_scheduler=not args.no_scheduler)
    print("inquirybot: connecting to Slack over Socket Mode", file=sys.stderr)
    process.start()
    try:
        SocketModeHandler(process.app, app_token=runtime.settings.slack_app_token).start()
    finally:
        process.stop()
    return 0


# ---- shared ------------------------------------------------------------------------------------

def _runtime() -> Runtime:
    from inquirybot.cli.db import open_runtime

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runtime = open_runtime()
    if not runtime.settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set; set it to the app's bot token (xoxb-…)")
    return runtime
