"""The feedback form as the customer sent it -> a rating, or what to correct. Nothing stored here."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SCORES = (1, 2, 3, 4, 5)
MAX_COMMENT = 1000  # characters; the page says so and the textarea stops there
FIELDS = ("rating", "comment", "csrf")


@dataclass(frozen=True)
class RatingForm:
    score: int
    comment: str | None


@dataclass(frozen=True)
class FormProblem:
    field: str  # "rating" | "comment"
    code: str  # missing | invalid | too_long (bot/rendering/customer_page.py words them)
    detail: int | None = None  # the comment's length, for too_long


@dataclass(frozen=True)
class FormResult:
    form: RatingForm | None
    problems: tuple[FormProblem, ...]
    comment: str  # what the customer typed, shown again when something needs correcting
    score_text: str


def read_form(values: Mapping[str, Sequence[str]]) -> FormResult:
    """`values` as urllib.parse.parse_qs gives them. One value per field; more is invalid."""
    problems: list[FormProblem] = []
    raw_scores = values.get("rating", [])
    raw_score = raw_scores[0].strip() if len(raw_scores) == 1 else ""
    score = None
    if len(raw_scores) > 1:
        problems.append(FormProblem("rating", "invalid"))
    elif not raw_scores or raw_score == "":
        problems.append(FormProblem("rating", "missing"))
    elif raw_score not in {str(s) for s in SCORES}:
        problems.append(FormProblem("rating", "invalid"))
    else:
        score = int(raw_score)
    comments = values.get("comment", [])
    comment = _clean(comments[0]) if len(comments) == 1 else ""
    if len(comments) > 1:
        problems.append(FormProblem("comment", "invalid"))
    elif len(comment) > MAX_COMMENT:
        problems.append(FormProblem("comment", "too_long", len(comment)))
    form = RatingForm(score, comment or None) if score is not None and not problems else None
    return FormResult(form, tuple(problems), comment, raw_score)


def _clean(text: str) -> str:
    """Plain text: line ends unified, control characters (but newlines and tabs) dropped, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    return kept.strip()
