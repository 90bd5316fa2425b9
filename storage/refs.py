"""An inquiry's public reference, `INQ-<id>`: what people type, what reviews quote, one spelling
everywhere (the models, the queries' records, bot/'s texts). The id is never reused (storage/models.py)."""

from __future__ import annotations


def inquiry_ref(inquiry_id: int) -> str:
    return f"INQ-{inquiry_id}"
