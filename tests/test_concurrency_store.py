"""Several processes on one database (SQLite WAL or PostgreSQL), started together on a barrier:
ids never collide, round-robin stays exact, and a first response is recorded once."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from sqlalchemy import func, select
from test_lifecycle_helpers import CONFIG, NOW, draft

from bot.config.loading import config_from_dict
from bot.errors import InputError
from bot.lifecycle import InquiryDraft, InquiryService
from bot.time.clock import FixedClock
from storage.models import Event, Inquiry
from storage.session import make_engine, session_factory

PROCESSES = 4
# Imported once in the fork server so each worker starts warm (these are lazy, slow imports).
PRELOAD = [__name__, "holidays.countries.united_states", "sqlalchemy.dialects.postgresql.psycopg", "psycopg"]


def _service(url: str) -> InquiryService:
    return InquiryService(session_factory(make_engine(url)), config_from_dict(CONFIG), FixedClock(NOW))


def _log_worker(url, actor, count, complexity, barrier, results):
    service = _service(url)
    barrier.wait()
    ids = [
        service.log(
            actor=actor, draft=InquiryDraft(kind="phone", subject=f"{actor} {i}", complexity=complexity)
        ).id
        for i in range(count)
    ]
    results.put(ids)


def _ack_worker(url, actor, inquiry_id, barrier, results):
    service = _service(url)
    barrier.wait()
    try:
        service.acknowledge(actor=actor, inquiry_id=inquiry_id)
        results.put("ok")
    except InputError as exc:
        results.put(str(exc))


def _run(target, args_per_process):
    # forkserver: children fork from a clean server that has imported this module but never opened
    # a database connection (nothing inherited), and start in milliseconds rather than re-importing.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    barrier, results = ctx.Barrier(len(args_per_process)), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results)) for args in args_per_process]
    for p in procs:
        p.start()
    out = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def test_processes_logging_at_once_never_share_an_id(sessions, database_url):
    actors = ["UALICE", "UBOB", "UCAROL", "UDAN"]
    batches = _run(_log_worker, [(database_url, actor, 50, "standard") for actor in actors[:PROCESSES]])

    ids = [i for batch in batches for i in batch]
    assert len(ids) == 200 and len(set(ids)) == 200
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Inquiry)) == 200
        assert s.scalar(select(func.count(func.distinct(Inquiry.id)))) == 200
        assert s.scalar(select(func.count()).where(Event.type == "logged")) == 200


def test_round_robin_stays_exact_under_concurrent_complex_logs(sessions, database_url):
    _run(_log_worker, [(database_url, "UALICE", 15, "complex") for _ in range(PROCESSES)])

    with sessions() as s:
        held = Counter(s.scalars(select(Inquiry.assignee)))
    assert held == {"USPEC1": 20, "USPEC2": 20, "USPEC3": 20}


def test_concurrent_acknowledgements_record_one_first_response(sessions, database_url):
    service = _service(database_url)
    item = service.log(actor="UALICE", draft=draft(assignee="UBOB"))

    outcomes = _run(
        _ack_worker, [(database_url, actor, item.id) for actor in ("UBOB", "UBOB", "USUE", "UADMIN")]
    )

    assert outcomes.count("ok") == 1
    assert all("already acknowledged" in o for o in outcomes if o != "ok")
    with sessions() as s:
        acks = s.scalar(select(func.count()).where(Event.type == "acknowledged", Event.inquiry_id == item.id))
    assert acks == 1


def test_a_duplicate_outbox_key_is_skipped_without_spoiling_the_transaction(sessions):
    from bot.delivery.outbox import enqueue
    from storage.models import OutboxMessage

    with sessions.begin() as s:
        assert enqueue(s, key="k1", team="t", kind="dm", channel="U1", text="first", now=NOW) is True
        assert enqueue(s, key="k1", team="t", kind="dm", channel="U1", text="again", now=NOW) is False
        assert (
            enqueue(
                s,
                key="k2",
                team="t",
                kind="dm",
                channel="U1",
                text="other",
                now=NOW,
                blocks=[{"type": "divider"}],
            )
            is True
        )
    with sessions() as s:
        rows = {m.dedupe_key: m for m in s.scalars(select(OutboxMessage))}
    assert rows["k1"].text == "first" and rows["k1"].blocks is None and rows["k1"].status == "pending"
    assert rows["k2"].blocks == [{"type": "divider"}] and rows["k2"].next_attempt_at == NOW
    with sessions() as s:  # blocks=None is SQL NULL, as the ORM would write it
        assert s.scalar(select(func.count()).where(OutboxMessage.blocks.is_(None))) == 1
