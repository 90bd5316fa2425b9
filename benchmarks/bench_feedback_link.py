"""What the customer feedback link costs an acknowledgement, and what the page costs a submission.

    python benchmarks/bench_feedback_link.py [URL] [--ops 300]

URL (or DATABASE_URL): sqlite:///path.db or postgresql://user@host/db; default a fresh SQLite file
in the temp folder (deleted afterwards). PostgreSQL works in a new schema, dropped at the end.

Baseline, measured in the same run: `acknowledge` alone through InquiryService. Then `acknowledge`
followed by FeedbackLinks.attach (what the /inquiry ack reply does when INQUIRYBOT_PUBLIC_URL is
set: makes and stores the token), and CustomerPage.submit (one rating: row, event, outbox DM).
Prints milliseconds per operation (median, p90) and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.config.loading import config_from_dict  # noqa: E402
from bot.customer_feedback import CustomerPage, FeedbackLinks  # noqa: E402
from bot.customer_feedback.form import RatingForm  # noqa: E402
from bot.lifecycle import InquiryDraft, InquiryService  # noqa: E402
from bot.time.clock import FixedClock  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.session import make_engine, normalize_url, session_factory  # noqa: E402

START = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def _timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _line(name: str, ms: list[float], base: float | None) -> str:
    med = statistics.median(ms)
    p90 = sorted(ms)[int(len(ms) * 0.9) - 1]
    ratio = f"  ×{med / base:.2f} of baseline" if base else "  (baseline)"
    return f"{name:<34} median {med:6.2f} ms  p90 {p90:6.2f} ms{ratio}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--ops", type=int, default=300)
    args = parser.parse_args()
    tmp = None
    url = args.url
    schema = None
    if not url:
        tmp = Path(tempfile.mkdtemp()) / "bench.db"
        url = f"sqlite:///{tmp}"
    if url.startswith("postgres"):
        schema = f"bench_feedback_{uuid.uuid4().hex[:8]}"
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = (
            normalize_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = session_factory(engine)
        clock = FixedClock(START)
        config = config_from_dict({"teams": {"desk": {"timezone": "America/New_York", "members": ["U1"]}}})
        service = InquiryService(sessions, config, clock)
        links = FeedbackLinks(sessions, config, clock, "https://inquiries.agency.gov")
        page = CustomerPage(sessions, config, clock, "Office")
        ids = [
            service.log(actor="U1", draft=InquiryDraft(kind="email", subject=f"q{i}")).id
            for i in range(3 * args.ops)
        ]
        plain, linked = ids[: args.ops], ids[args.ops : 2 * args.ops]
        base = _timed(lambda i: service.acknowledge(actor="U1", inquiry_id=i), plain)
        with_link = _timed(
            lambda i: links.attach(service.acknowledge(actor="U1", inquiry_id=i), "U1"), linked
        )
        tokens = [links.link_for(actor="U1", inquiry_id=i).url.rsplit("/", 1)[1] for i in linked]
        clock.advance(timedelta(minutes=1))
        submit = _timed(lambda t: page.submit(t, RatingForm(4, "Clear answer, thank you")), tokens)
        opened = _timed(page.open, tokens)
        b = statistics.median(base)
        print(f"{engine.dialect.name}, {args.ops} operations each, {datetime.now(UTC):%Y-%m-%d}")
        print(_line("acknowledge", base, None))
        print(_line("acknowledge + feedback link", with_link, b))
        print(_line("customer rating (submit)", submit, b))
        print(_line("feedback page (open)", opened, b))
    finally:
        engine.dispose()
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
        if tmp:
            for f in tmp.parent.glob("bench.db*"):
                f.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
