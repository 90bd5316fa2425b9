"""month tallies beside the day tallies; indexes for reading a report from indexes alone: the
escalation events by item, the missed first responses, who holds each item; on PostgreSQL, the ids
in the report and live indexes

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
OUTCOME_COLUMNS = [
    f"{kind}_{outcome}"
    for kind in ("first_response", "resolution", "status_update")
    for outcome in ("on_time", "missed", "late")
]
ACTIVITY_COLUMNS = ["received", "responded", "timed", "resolved", "feedback_count", "feedback_sum"]
MONTHS = (  # (table, its person column, its counts, the day tally it adds up)
    ("outcome_month_tallies", "holder", OUTCOME_COLUMNS, "outcome_tallies"),
    ("activity_month_tallies", "person", ACTIVITY_COLUMNS, "activity_tallies"),
)


def upgrade() -> None:
    for name, person, columns, _ in MONTHS:
        op.create_table(
            name,
            sa.Column("team", sa.String(length=64), nullable=False),
            sa.Column(person, sa.String(length=32), nullable=False),
            sa.Column("month", sa.Date(), nullable=False),
            *(sa.Column(column, sa.Integer(), nullable=False) for column in columns),
            sa.PrimaryKeyConstraint("team", person, "month"),
            sqlite_with_rowid=False,
        )
        op.create_index(f"ix_{name}_{person}", name, [person, "month"])
    # The months of what the day tallies hold so far.
    from storage.models import ActivityTally, OutcomeTally
    from storage.queries.tally_rebuild import roll_up

    for day_model in (OutcomeTally, ActivityTally):
        roll_up(op.get_bind(), day_model)
    escalated = "+type" if op.get_bind().dialect.name == "sqlite" else "type"  # as models/inquiries.py has it
    op.execute(
        f"CREATE INDEX ix_events_escalated ON events (inquiry_id, at, actor, type) WHERE {escalated} IN ('escalated')"
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
    for name, person, _, _ in MONTHS:
        op.drop_index(f"ix_{name}_{person}", table_name=name)
        op.drop_table(name)


def _recreate(name: str, columns: list[str], include: list[str]) -> None:
    op.drop_index(name, table_name="inquiries")
    op.create_index(name, "inquiries", columns, postgresql_include=include)
