"""InquiryRecord declares the Inquiry model's columns for the type checker (mypy, docs/tooling.md):
the declarations must name the same columns, in the table's order, as the records are filled."""

from __future__ import annotations

from storage.models import Inquiry
from storage.queries.inquiries import COLUMNS, InquiryRecord

_NOT_COLUMNS = {"deadlines", "_stored", "_stored_deadlines"}


def test_declared_attributes_are_the_columns() -> None:
    declared = [name for name in InquiryRecord.__annotations__ if name not in _NOT_COLUMNS]
    assert declared == list(COLUMNS) == [c.key for c in Inquiry.__table__.columns]
