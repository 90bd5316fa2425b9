"""Server-side latency of `/inquiry log` under concurrent clients, with 100,000 inquiries stored.

    /work/venv/bin/python benchmarks/bench_slack.py [URL] [--rows 100000] [--clients 20] [--requests 3000]

The app is served exactly as `inquirybot serve` serves it (inquirybot.bootstrap.build_app + waitress, 8 threads) on a
free localhost port, its Web API pointed at the local stand-in (inquirybot/slack_standin/webapi.py). A separate
client process runs `--clients` threads, each on its own keep-alive connection, sending slash-command
bodies signed exactly as Slack signs them. Every answer is checked (200 and "Logged *INQ-n*").

Printed: latency inside the server (WSGI app entered -> response produced) and as the clients see it
(includes waitress queueing and the local network), p50 / p99 / max, requests per second, and the
server's CPU time per request (which bounds throughput: one Python process uses one core).
Target: p99 <= 100 ms on SQLite (Slack allows 3 s). The users' time zones are cached, as they are
after a user's first command; users.info and channel posts never sit on this path.

URL (or DATABASE_URL): default a new SQLite file in a temp folder; postgresql://… works in a new
schema that is dropped afterwards. Seeding is the bulk insert of benchmarks/bench_store.py.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_store import NOW, bench_config, member, open_target, seed_postgres, seed_sqlite  # noqa: E402
from bot.config.runtime import Runtime  # noqa: E402
from bot.config.settings import Settings  # noqa: E402
from bot.time.clock import FixedClock  # noqa: E402
from inquirybot.bootstrap import build_app, build_services  # noqa: E402
from inquirybot.cli.serve import make_server, wsgi_app  # noqa: E402
from inquirybot.slack_standin.signing import signed_headers  # noqa: E402
from inquirybot.slack_standin.webapi import WebApiStandIn  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.queries.profiles import save_profile  # noqa: E402
from storage.session import session_factory, transaction  # noqa: E402

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
WARMUP_HEADER = "X-Bench-Warmup"  # on each client's first requests, which are not counted
WARMUP_ENVIRON = "HTTP_X_BENCH_WARMUP"
TEXTS = (
    "log email Export license status {n}; from Jane Doe &lt;<mailto:jane{n}@example.gov|jane{n}@example.gov>&gt;; "
    "received yesterday 3pm",
    "log phone Call back about permit {n}; from Sam Lee 202-555-0100; needs research",
    "log written Records request {n}; received Monday 9am; due Friday 5pm because program office",
    "log email Quick question {n}",
)


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]


def line(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"  {name:<22} p50 {percentile(ordered, 0.50):6.1f} ms   p99 {percentile(ordered, 0.99):6.1f} ms   "
        f"max {ordered[-1]:6.1f} ms   mean {statistics.fmean(ordered):6.1f} ms"
    )


# ---- the client process -------------------------------------------------------------------------


def client_process(
    port: int, clients: int, per_client: int, warmup: int, api_port: int, rate: float, out
) -> None:
    import http.client

    now = int(NOW.timestamp())
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients)

    def body(user: str, n: int) -> str:
        return urlencode(
            {
                "token": "xxx",
                "team_id": "T111",
                "team_domain": "bench",
                "channel_id": "C1",
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/inquiry",
                "text": TEXTS[n % len(TEXTS)].format(n=n),
                "api_app_id": "A111",
                "is_enterprise_install": "false",
                # Slack gives every command its own trigger_id (a repeated one is answered as a replay)
                "response_url": f"http://127.0.0.1:{api_port}/response/bench/{n}",
                "trigger_id": f"1.{user}.{n}",
            }
        )

    def worker(index: int) -> None:
        user = member(0, index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        start_gate.wait()
        # Paced (open loop): each client sends on a fixed schedule, and latency counts from the
        # scheduled instant, so a slow answer cannot hide the wait of the requests behind it.
        gap = clients / rate if rate else 0.0
        first = time.perf_counter() + index * gap / clients
        for i in range(warmup + per_client):
            data = body(user, index * 1_000_000 + i)
            headers = signed_headers(SECRET, data, "application/x-www-form-urlencoded", now)
            if i < warmup:
                headers[WARMUP_HEADER] = "1"
            began = time.perf_counter()
            if gap:
                began = first + i * gap
                if began > time.perf_counter():
                    time.sleep(began - time.perf_counter())
            conn.request("POST", "/slack/events", body=data.encode(), headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if response.status != 200 or b"Logged *INQ-" not in payload:
                with lock:
                    failures.append(f"{response.status} {payload[:200]!r}")
            if i >= warmup:
                mine.append(elapsed)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.send({"latencies": latencies, "failures": failures, "seconds": time.perf_counter() - began})


# ---- the server side --------------------------------------------------------------------------------


class Timed:
    """WSGI wrapper measuring what the server spends on each request (app entered -> response ready)."""

    def __init__(self, application):
        self.application = application
        self.samples: list[float] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        began = time.perf_counter()
        body = list(self.application(environ, start_response))
        if WARMUP_ENVIRON not in environ:
            with self.lock:
                self.samples.append((time.perf_counter() - began) * 1000)
        return body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "url", nargs="?", help="sqlite:///new.db or postgresql://… (default: DATABASE_URL or temp SQLite)"
    )
    parser.add_argument("--rows", type=int, default=100_000, help="inquiries stored before the run")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=3000, help="timed requests in all")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (serve's default is 8)")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="offered load in requests/s, spread over the clients (default 0: each client "
        "sends its next request as soon as the last is answered, i.e. saturation)",
    )
    parser.add_argument(
        "--ack-in-thread",
        type=int,
        default=1,
        choices=(0, 1),
        help="1 (serve's way): Bolt answers from the request thread (process_before_response); "
        "0: Bolt's default, listener in its pool while the request thread polls for ack()",
    )
    args = parser.parse_args()

    url = (
        args.url
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench_slack.db'}"
    )
    engine, cleanup = open_target(url)
    web = WebApiStandIn().start()
    try:
        print(
            f"bench_slack: {engine.dialect.name}, Python {platform.python_version()}, {platform.machine()}, "
            f"{os.cpu_count()} CPUs; waitress {args.threads} threads; {args.clients} clients"
        )
        upgrade(engine)
        started = time.perf_counter()
        (seed_sqlite if engine.dialect.name == "sqlite" else seed_postgres)(engine, args.rows)
        print(f"seeded {args.rows:,} inquiries in {time.perf_counter() - started:.1f} s (bulk insert)")

        config = bench_config()
        sessions = session_factory(engine)
        with transaction(sessions) as session:  # zones already learned, as after each user's first command
            for i in range(args.clients):
                save_profile(
                    session=session,
                    user_id=member(0, i),
                    name=f"user{i}",
                    tz="America/Chicago",
                    fetched_at=NOW,
                )
        settings = Settings(
            database_url=url, slack_bot_token="xoxb-bench", slack_signing_secret=SECRET, slack_api_url=web.url
        )
        runtime = Runtime(settings, config, engine, sessions, FixedClock(NOW))
        app = build_app(runtime, build_services(runtime), process_before_response=bool(args.ack_in_thread))
        timed = Timed(wsgi_app(app, runtime))
        server = make_server(timed, host="127.0.0.1", port=0, threads=args.threads)
        threading.Thread(target=server.run, daemon=True).start()

        per_client = max(1, args.requests // args.clients)
        warmup = 5
        receive, send = mp.Pipe(duplex=False)
        client = mp.get_context("spawn").Process(
            target=client_process,
            args=(server.effective_port, args.clients, per_client, warmup, web.port, args.rate, send),
        )
        load_before = os.getloadavg()[0]
        cpu_before = time.process_time()
        client.start()
        result = receive.recv()
        client.join()
        cpu = time.process_time() - cpu_before
        # Each client's first `warmup` requests (new connections, first plans, Bolt's auth.test
        # until its answer is cached) are not counted: the clients mark them, and Timed skips them.
        inside = timed.samples

        if result["failures"]:
            print(f"FAILED: {len(result['failures'])} bad answers, e.g. {result['failures'][0]}")
            return 1
        served = result["latencies"]
        load = f"offered {args.rate:g} requests/s" if args.rate else "each client back to back (saturation)"
        print(
            f"/inquiry log, {len(served):,} timed requests ({args.clients} clients × {per_client}, {load}):"
        )
        print(line("inside the server", inside))
        print(line("seen by the clients", served))
        total = len(served) + args.clients * warmup
        rate = total / result["seconds"]
        print(f"  throughput             {rate:,.0f} requests/s")
        print(f"  server CPU per request {cpu / total * 1000:6.1f} ms (one process; the GIL allows one core)")
        print(
            f"  load average           {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
            f"({os.cpu_count()} CPUs; above ~1 other work shared the cores)"
        )
        from collections import Counter

        calls = ", ".join(f"{name} {n}" for name, n in sorted(Counter(web.summary()).items())) or "none"
        print(f"  Web API calls during the run: {calls}")
        p99 = percentile(sorted(inside), 0.99)
        verdict = "OK" if p99 <= 100 else "OVER TARGET"
        print(f"target p99 <= 100 ms inside the server ({engine.dialect.name}): {verdict}")
        return 0 if verdict == "OK" else 1
    finally:
        web.stop()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
