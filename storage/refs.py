"""An inquiry's public reference, `INQ-<id>`: what people type, what reviews quote, one spelling
everywhere (the models, the queries' records, bot/'s texts). The id is never reused
(storage/models/inquiries.py)."""

from __future__ import annotations

# Ids are 32-bit integers in the database: a larger number names no inquiry (and PostgreSQL would
# refuse it as out of range), so every reader of a typed or clicked id stops at this one bound.
MAX_ID = 2**31 - 1


def inquiry_ref(inquiry_id: int) -> str:
    return f"INQ-{inquiry_id}"
