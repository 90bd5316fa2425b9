"""Nearest-rank percentiles found by ordered index walks (from either end) agree with a plain
Python computation, ties and all, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest

from storage.models import Inquiry
from storage.queries.reports import Window
from storage.queries.response_hours import HoursQuery, percentile_rank, response_hours

START = datetime(2026, 10, 1, tzinfo=UTC)
WINDOW = Window(START, START + timedelta(days=30), START + timedelta(days=60))


def nearest_rank(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(p * len(ordered) / 100) - 1]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 10, 11, 57])
def test_percentile_rank_is_ceil(n):
    for p in (1, 50, 90, 99, 100):
        assert percentile_rank(n, p) == math.ceil(p * n / 100)


def test_walked_percentiles_match_python(sessions):
    rng = random.Random(7)
    people = {"UA": [], "UB": [], "UC": []}
    with sessions.begin() as s:
        for i in range(400):
            person = rng.choice(list(people))
            team = "t1" if i % 3 else "t2"
            inside = rng.random() < 0.8
            answered = START + timedelta(days=rng.uniform(0, 29) if inside else rng.uniform(31, 50))
            hours = round(rng.choice([rng.uniform(0, 30), 4.0, 8.0]), 4)  # plenty of ties
            if inside:
                people[person].append((team, hours))
            s.add(
                Inquiry(
                    team=team,
                    kind="email",
                    subject="x",
                    received_at=answered - timedelta(hours=1),
                    logged_at=answered,
                    logged_by=person,
                    assignee=person,
                    complexity="standard",
                    needs_research=False,
                    status="acknowledged",
                    policy="department",
                    rule="r",
                    first_response_due=answered,
                    first_response_at=answered,
                    first_response_by=person,
                    first_response_business_hours=hours,
                    escalation_level=0,
                    escalated=False,
                    reassignments=0,
                )
            )
    queries = [HoursQuery(p, ("t1", "t2"), p, len(v)) for p, v in people.items()]
    queries += [
        HoursQuery("t1", ("t1",), None, sum(1 for v in people.values() for t, _ in v if t == "t1")),
        HoursQuery("all", None, None, sum(len(v) for v in people.values())),
    ]
    with sessions() as s:
        found = response_hours(session=s, window=WINDOW, queries=queries, ps=(1, 50, 90, 100))
    expected = {p: [h for _, h in v] for p, v in people.items()}
    expected["t1"] = [h for v in people.values() for t, h in v if t == "t1"]
    expected["all"] = [h for v in people.values() for _, h in v]
    for key, values in expected.items():
        assert found[key] == {p: nearest_rank(values, p) for p in (1, 50, 90, 100)}, key
