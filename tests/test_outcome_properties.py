"""Random histories against the outcome rule (docs/outcomes.md).

Hypothesis generates logs (some logged late, some after their deadline fell), acknowledgements, updates with new promises,
resolutions, closes, reassignments, absences with cover, team moves, disputes with decisions,
scheduler passes and clock jumps over weekends and holidays, played through the real services on
the real database. Then:
- every fallen deadline has exactly one decided outcome, for exactly one person;
- a report on a period that ended before T reads the same whenever it is asked after T (but for
  outcomes voided since, which leave the rates by design);
- the fact-based report equals a straightforward recomputation from the raw events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.config.loading import config_from_dict
from bot.errors import InquiryBotError
from bot.lifecycle import InquiryDraft, InquiryService
from bot.lifecycle.disputes import DisputeService
from bot.lifecycle.outcome_job import decide_fallen
from bot.reports.build import build_report
from bot.reports.periods import Period
from bot.time.clock import FixedClock
from storage.models import Deadline, Event, Inquiry, Outcome, OutcomeDispute
from storage.queries import tally_rebuild
from storage.queries.activity import activity_counts
from storage.queries.reference_counts import answered_counts, feedback_stats, unanswered_counts
from storage.queries.report_events import _hand_over_pairs, reassignment_counts
from storage.queries.reports import Scope, Window, merge_counts, teams_in_use
from storage.session import session_factory
from tests.conftest import _empty_all_tables

PEOPLE = ("U1", "U2", "U3", "U4", "U5")
SUP = "USUP"
START = datetime(2026, 11, 16, 14, tzinfo=UTC)  # Mon 16 Nov 2026, 9:00 in New York
KEYS = ("deadlines", "on_time", "late", "missed_open", "promises", "promises_kept", "updates", "updates_ok")


def config_for(teams: dict[str, str]):
    return config_from_dict(
        {
            "admins": ["UADMIN"],
            "primary_team": {SUP: "north"},
            "teams": {
                name: {
                    "members": [p for p in PEOPLE if teams[p] == name],
                    "supervisors": [SUP],
                    "channel": f"C{name.upper()}",
                }
                for name in ("north", "south")
            },
        }
    )


item = st.integers(min_value=0, max_value=7)
person = st.integers(min_value=0, max_value=len(PEOPLE) - 1)
logs = st.tuples(st.just("log"), person, st.booleans(), st.sampled_from([0, 0, 0, 30, 26 * 60, 9 * 24 * 60]))
# A jump with the scheduler running, or while it was down (the next change then catches up).
jumps = st.tuples(
    st.just("jump"),
    # 19 days: a history of a few reaches past a whole month (the month tallies).
    st.sampled_from([1, 45, 7 * 60, 16 * 60, 3 * 24 * 60, 4 * 24 * 60 + 30, 19 * 24 * 60]),
    st.booleans(),
)
actions = st.one_of(
    logs,
    jumps,
    st.tuples(st.just("ack"), item, st.one_of(st.none(), st.integers(min_value=1, max_value=200))),
    st.tuples(st.just("update"), item, st.one_of(st.none(), st.integers(min_value=1, max_value=200))),
    st.tuples(st.just("resolve"), item),
    st.tuples(st.just("close"), item),
    st.tuples(st.just("rate"), item, st.integers(min_value=1, max_value=5)),
    st.tuples(st.just("reassign"), item, person),
    st.tuples(
        st.just("away"),
        person,
        st.integers(min_value=0, max_value=48),
        st.integers(min_value=1, max_value=120),
        person,
    ),
    st.tuples(st.just("move"), person),
    st.tuples(st.just("dispute"), item),
    st.tuples(st.just("decide"), item, st.sampled_from(["void", "uphold"])),
    st.tuples(st.just("contest"), item, st.sampled_from(["void", "void", "uphold"])),
    st.tuples(
        st.just("tick"),
    ),
)


class World:
    def __init__(self, sessions):
        self.sessions = sessions
        self.clock = FixedClock(START)
        self.teams = {p: ("north" if i < 3 else "south") for i, p in enumerate(PEOPLE)}
        self.items: list[int] = []
        self.configure()

    def configure(self):
        self.config = config_for(self.teams)
        self.service = InquiryService(self.sessions, self.config, self.clock)
        self.disputes = DisputeService(self.sessions, self.config, self.clock)

    def play(self, action):
        self.clock.set(self.clock.now() + timedelta(minutes=1))  # every step at its own instant
        name, *args = action
        try:
            getattr(self, name)(*args)
        except InquiryBotError:
            pass  # refused: nothing stored (the services' contract)

    def item(self, index):
        if not self.items:
            raise InquiryBotError("no items yet")
        return self.items[index % len(self.items)]

    def log(self, who, research, back):
        received = self.clock.now() - timedelta(minutes=back)
        draft = InquiryDraft(kind="email", subject="q", needs_research=research, received_at=received)
        self.items.append(self.service.log(actor=PEOPLE[who], draft=draft).id)

    def ack(self, index, hours):
        expect = None if hours is None else self.clock.now() + timedelta(hours=hours)
        self.service.acknowledge(actor=SUP, inquiry_id=self.item(index), expect=expect)

    def update(self, index, hours):
        expect = None if hours is None else self.clock.now() + timedelta(hours=hours)
        self.service.update(actor=SUP, inquiry_id=self.item(index), note="status", expect=expect)

    def resolve(self, index):
        self.service.resolve(actor=SUP, inquiry_id=self.item(index))

    def close(self, index):
        self.service.close(actor=SUP, inquiry_id=self.item(index), reason="withdrawn", note="by the customer")

    def rate(self, index, score):
        self.service.feedback(actor=SUP, inquiry_id=self.item(index), score=score)

    def reassign(self, index, to):
        self.service.reassign(actor=SUP, inquiry_id=self.item(index), to=PEOPLE[to])

    def away(self, who, start_h, length_h, alternate):
        start = self.clock.now() + timedelta(hours=start_h)
        self.service.away(
            actor=PEOPLE[who], start=start, end=start + timedelta(hours=length_h), alternate=PEOPLE[alternate]
        )

    def move(self, who):
        self.teams[PEOPLE[who]] = "south" if self.teams[PEOPLE[who]] == "north" else "north"
        self.configure()

    def dispute(self, index):
        inquiry = self.item(index)
        with self.sessions() as s:
            holders = s.scalars(select(Outcome.holder).where(Outcome.inquiry_id == inquiry)).all()
        for holder in holders[:1]:
            self.disputes.dispute(actor=holder, inquiry_id=inquiry, reason="I answered by phone")

    def decide(self, index, decision):
        self.disputes.decide(
            actor=SUP, inquiry_id=self.item(index), decision=decision, reason="checked the log"
        )

    def contest(self, index, decision):
        self.dispute(index)
        self.clock.set(self.clock.now() + timedelta(minutes=1))
        self.decide(index, decision)

    def tick(self):
        decide_fallen(self.sessions, self.config, self.clock)
        self.service.cover_absences()

    def jump(self, minutes, scheduler_running):
        self.clock.set(self.clock.now() + timedelta(minutes=minutes))
        if scheduler_running:
            self.tick()


# ---- the straightforward recomputation from the raw events ------------------------------------


# A person's change other than an answer: at a deadline's instant it decides the deadline first.
CHANGES = ("reassigned", "covered", "closed", "escalated", "snoozed", "feedback")
BOT = "inquirybot"  # the scheduler's escalations never decide a deadline


def recompute(
    s: Session, now: datetime, start: datetime, end: datetime, voided_by: datetime
) -> dict[str, Counter]:
    """Per person, the report's outcome counts for [start, end), from events and deadlines only."""
    counts: dict[str, Counter] = defaultdict(Counter)
    void_rows = s.execute(
        select(OutcomeDispute.inquiry_id, Outcome.kind, Outcome.deadline)
        .join(Outcome, Outcome.id == OutcomeDispute.outcome_id)
        .where(OutcomeDispute.action == "voided", OutcomeDispute.at <= voided_by)
    ).all()
    voided = {(i, k, d) for i, k, d in void_rows}
    for inquiry in s.scalars(select(Inquiry)):
        events = s.scalars(select(Event).where(Event.inquiry_id == inquiry.id).order_by(Event.id)).all()
        moves = [
            (e.at, e.payload["assignee"] if e.type == "logged" else e.payload["to"])
            for e in events
            if e.type in ("logged", "reassigned", "covered")
        ]
        logged_at = moves[0][0]

        def holder_at(x, *, before=False):
            """Who held it at x; `before`: up to x, a hand-over at x itself coming after (a miss at
            the deadline instant stays with whoever held the item until then)."""
            held = moves[0][1]
            for at, who in moves[1:]:
                if at < x or (at == x and not before):
                    held = who
            return held

        closed = next((e.at for e in events if e.type == "closed"), None)
        first = [
            e.at
            for e in events
            if e.type == "acknowledged" or (e.type == "resolved" and e.payload.get("first_response"))
        ]
        resolved = [e.at for e in events if e.type == "resolved"]
        updates = [e.at for e in events if e.type == "updated"] + resolved

        def decide(kind, due, created, answers):
            answers = sorted(a for a in answers if a > created or kind == "first_response")
            on_time = next((a for a in answers if a <= due), None)
            if on_time is not None:
                return on_time, holder_at(on_time), "on_time", False
            # Fallen: before now; or at now itself when a change other than an answer came at that
            # instant (it decides the deadline first: a hand-over at the deadline comes after it).
            changed_at_due = any(e.at == due and e.type in CHANGES and e.actor != BOT for e in events)
            if due > now or (due == now and not changed_at_due) or (closed is not None and closed < due):
                return None  # not fallen yet, or cancelled by the close before it fell
            late = any(a > due for a in answers)
            # Decided at the deadline, or at the logging when the item was logged after it fell.
            at = max(due, logged_at)
            return at, holder_at(max(due, created), before=True), "missed", late

        deadlines = s.scalars(
            select(Deadline).where(Deadline.inquiry_id == inquiry.id).order_by(Deadline.id)
        ).all()
        todo = [("first_response", inquiry.first_response_due, logged_at, first)]
        for d in deadlines:
            if d.name == "promised_resolution":
                todo += [
                    ("resolution", d.due_at, d.set_at, resolved),
                    ("status_update", d.due_at, d.set_at, updates),
                ]
        for kind, due, created, answers in todo:
            found = decide(kind, due, created, answers)
            if found is None or (inquiry.id, kind, due) in voided:
                continue
            at, holder, outcome, late = found
            if not (start <= at < end):
                continue
            c = counts[holder]
            if kind == "first_response":
                c["deadlines"] += 1
                c["on_time" if outcome == "on_time" else ("late" if late else "missed_open")] += 1
            elif kind == "resolution":
                c["promises"] += 1
                c["promises_kept"] += outcome == "on_time"
            else:
                c["updates"] += 1
                c["updates_ok"] += outcome == "on_time"
    return {p: c for p, c in counts.items() if any(c.values())}


def reported(world: World, period: Period) -> tuple[dict[str, Counter], datetime, datetime]:
    with world.sessions() as s:
        r = build_report(
            s, world.config, kind="all", subject="all", period=period, now=world.clock.now(), detail=False
        )
    counts = {line.user: Counter({k: getattr(line.metrics, k) for k in KEYS}) for line in r.people}
    return {p: +c for p, c in counts.items() if any(c.values())}, r.start, r.end


def weeks(world: World) -> list[Period]:
    first = START.date()
    last = world.clock.now().date()
    out, day = [], first
    while day <= last:
        out.append(Period(day, day + timedelta(days=6), f"week of {day}"))
        day += timedelta(days=7)
    return out + [Period(first, last, "everything")]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(logs, min_size=1, max_size=6),
    st.lists(actions, min_size=5, max_size=40),
    st.integers(min_value=3, max_value=40),
)
def test_random_histories_follow_the_rule(engine, first, rest, checkpoint):
    history = first + rest
    _empty_all_tables(engine)
    world = World(session_factory(engine))
    snapshots = []
    for step, action in enumerate(history):
        world.play(action)
        if step == checkpoint:
            world.tick()
            at = world.clock.now()
            snapshots = [
                (p, at, reported(world, p)[0])
                for p in weeks(world)
                if p.bounds(world.config.teams["north"].calendar.tz)[1] <= at
            ]
    world.tick()
    now = world.clock.now()

    with world.sessions() as s:
        # Every deadline is decided at most once, for one person; every fallen one exactly once.
        decided = Counter(
            (f.inquiry_id, f.kind, f.deadline)
            for f in s.scalars(select(Outcome).where(Outcome.fact == "decided"))
        )
        assert all(n == 1 for n in decided.values()), decided
        late = Counter(f.corrects for f in s.scalars(select(Outcome).where(Outcome.fact == "late")))
        voids = s.scalars(select(Outcome.id).where(Outcome.fact == "void")).all()
        event(f"facts: {'none' if not decided else 'some'}, late: {bool(late)}, voids: {bool(voids)}")
        assert all(n == 1 for n in late.values()), late

    for period in weeks(world):
        counts, start, end = reported(world, period)
        with world.sessions() as s:
            assert counts == recompute(s, now, start, end, voided_by=now), period.label
        activity_matches_the_rows(world, period)
    tallies_match_a_rebuild(engine)
    for period, at, then in snapshots:
        start, end = period.bounds(world.config.teams["north"].calendar.tz)
        # Asked again now, the past period reads the same but for outcomes voided since then.
        with world.sessions() as s:
            assert _fixed(then) == _fixed(recompute(s, now, start, end, voided_by=at)), period.label


def activity_matches_the_rows(world: World, period: Period) -> None:
    """What happened and is live, staff ratings and everyone's hand-overs, read through the tallies
    (whole UTC days) and the rows (part-days, live items), equal the same counts read from every row."""
    start, end = period.bounds(world.config.teams["north"].calendar.tz)
    window = Window(start, end, world.clock.now())
    with world.sessions() as s:
        teams = teams_in_use(session=s)
        for scope in (Scope(teams=teams), Scope(teams=("north",)), Scope(teams=teams, users=("U1", "U3"))):
            fast = merge_counts({}, activity_counts(session=s, scope=scope, window=window))
            rows = answered_counts(session=s, scope=scope, window=window)
            rows += unanswered_counts(session=s, scope=scope, window=window)
            rated = feedback_stats(session=s, scope=scope, window=window)
            rows += [(None, p, {"feedback_count": n, "feedback_sum": t}) for p, (n, t) in rated.items()]
            slow = merge_counts({}, rows)
            assert _nonzero(fast) == _nonzero(slow), (period.label, scope)
        everyone = reassignment_counts(session=s, scope=Scope(), window=window)
        per: Counter = Counter()
        pairs = _hand_over_pairs(s, None, window)  # every event of the period, read one by one
        for giver, taker, n in pairs:
            per.update({p: n for p in {giver, taker} if p})
        assert everyone == (dict(per), sum(n for _, _, n in pairs)), period.label


def _nonzero(people: dict) -> dict:
    found = {p: {k: v for k, v in c.counts.items() if v} for p, c in people.items()}
    return {p: c for p, c in found.items() if c}


def tallies_match_a_rebuild(engine) -> None:
    """The tallies kept change by change equal the tallies rebuilt from the record."""
    with engine.connect() as conn:
        with conn.begin() as transaction:
            names = (
                "activity_tallies",
                "activity_month_tallies",
                "outcome_tallies",
                "outcome_month_tallies",
                "handover_tallies",
            )
            kept = [_rows(conn, table) for table in names]
            tally_rebuild.rebuild(conn)
            assert [_rows(conn, table) for table in names] == kept
            transaction.rollback()


def _rows(conn, table: str) -> set:
    return {tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}")) if any(v for v in r[3:])}


def _fixed(counts: dict[str, Counter]) -> dict[str, tuple]:
    """What never changes once decided: a late answer turns missed into late, the total stays."""
    return {
        p: (
            c["deadlines"],
            c["on_time"],
            c["late"] + c["missed_open"],
            c["promises"],
            c["promises_kept"],
            c["updates"],
            c["updates_ok"],
        )
        for p, c in counts.items()
        if any(c.values())
    }
