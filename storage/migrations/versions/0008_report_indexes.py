"""indexes for reading a report from indexes alone: the escalation events by item, the missed
first responses, who holds each item; on PostgreSQL, the ids in the report and live indexes

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

REPORT_INDEX = [
    "team",
    "first_response_by",
    "first_response_business_hours",
    "first_response_at",
    "received_at",
    "first_response_due",
    "status",
    "resolved_at",
    "promised_resolution",
    "first_update_at",
    "assignee",
]
LIVE_INDEX = [
    "status",
    "team",
    "first_response_by",
    "assignee",
    "received_at",
    "first_response_due",
    "promised_resolution",
]
MISSED = "kind = 'first_response' AND outcome = 'missed'"


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_events_escalated ON events (inquiry_id, type, at, actor) WHERE type IN ('escalated')"
    )
    op.create_index("ix_inquiries_who", "inquiries", ["id", "team", "first_response_by", "assignee"])
    op.create_index(
        "ix_outcomes_missed",
        "outcomes",
        ["team", "deadline", "inquiry_id", "decided_at", "holder", "fact", "weight"],
        sqlite_where=sa.text(MISSED),
        postgresql_where=sa.text(MISSED),
        postgresql_include=["id"],
    )
    if op.get_bind().dialect.name == "postgresql":  # SQLite's indexes hold the row id already
        _recreate("ix_inquiries_report", REPORT_INDEX, include=["id"])
        _recreate("ix_inquiries_live", LIVE_INDEX, include=["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _recreate("ix_inquiries_live", LIVE_INDEX, include=[])
        _recreate("ix_inquiries_report", REPORT_INDEX, include=[])
    op.drop_index("ix_outcomes_missed", table_name="outcomes")
    op.drop_index("ix_inquiries_who", table_name="inquiries")
    op.drop_index("ix_events_escalated", table_name="events")


def _recreate(name: str, columns: list[str], include: list[str]) -> None:
    op.drop_index(name, table_name="inquiries")
    op.create_index(name, "inquiries", columns, postgresql_include=include)
