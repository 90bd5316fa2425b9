"""a partial index over the escalation events, by item: a person's report reads their
escalations without reading their items' other events; PostgreSQL's report index holds the id

Revision ID: 0008
Revises: 0007
"""

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


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_events_escalated ON events (inquiry_id, type, at, actor) WHERE type IN ('escalated')"
    )
    if op.get_bind().dialect.name == "postgresql":
        _report_index(include=["id"])


def downgrade() -> None:
    op.drop_index("ix_events_escalated", table_name="events")
    if op.get_bind().dialect.name == "postgresql":
        _report_index(include=[])


def _report_index(include: list[str]) -> None:
    op.drop_index("ix_inquiries_report", table_name="inquiries")
    op.create_index("ix_inquiries_report", "inquiries", REPORT_INDEX, postgresql_include=include)
