"""report tallies: outcome facts, inquiry activity and hand-overs added up per UTC day and person;
indexes for voided facts, the part-days at a report's ends, live items, a person's unanswered
items and hand-overs

Revision ID: 0007
Revises: 0006_installations
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006_installations"
branch_labels = None
depends_on = None

COLUMNS = [
    f"{kind}_{outcome}"
    for kind in ("first_response", "resolution", "status_update")
    for outcome in ("on_time", "missed", "late")
]
ACTIVITY = ("received", "responded", "timed", "resolved", "feedback_count", "feedback_sum")
LIVE_INDEX = [
    "status",
    "team",
    "first_response_by",
    "assignee",
    "received_at",
    "first_response_due",
    "promised_resolution",
]


def upgrade() -> None:
    op.create_table(
        "outcome_tallies",
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COLUMNS),
        sa.PrimaryKeyConstraint("team", "holder", "day"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("outcome_tallies", schema=None) as batch_op:
        batch_op.create_index("ix_outcome_tallies_holder", ["holder", "day"], unique=False)
    op.create_table(
        "activity_tallies",
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("person", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ACTIVITY),
        sa.PrimaryKeyConstraint("team", "person", "day"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("activity_tallies", schema=None) as batch_op:
        batch_op.create_index("ix_activity_tallies_person", ["person", "day"], unique=False)
    op.create_table(
        "handover_tallies",
        sa.Column("person", sa.String(length=32), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ("gave", "took", "to_self")),
        sa.PrimaryKeyConstraint("person", "month"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_outcomes_corrects", ["corrects", "fact"], unique=False)
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.create_index("ix_inquiries_team_responded", ["team", "first_response_at"], unique=False)
        batch_op.create_index("ix_inquiries_team_resolved", ["team", "resolved_at"], unique=False)
        batch_op.drop_index("ix_inquiries_status")  # its successor leads with status too
        batch_op.create_index("ix_inquiries_live", LIVE_INDEX, unique=False)
    op.create_index(
        "ix_inquiries_unanswered",
        "inquiries",
        ["assignee"],
        sqlite_where=sa.text("first_response_by IS NULL"),
        postgresql_where=sa.text("first_response_by IS NULL"),
    )
    for key in ("from", "to"):  # written as storage/expressions.py json_text compiles, per database
        payload = (
            f"json_extract(payload, '$.\"{key}\"')"
            if op.get_bind().dialect.name == "sqlite"
            else f"(payload ->> '{key}')"
        )
        op.execute(
            f"CREATE INDEX ix_events_handed_{key} ON events ({payload}, at) "
            "WHERE type IN ('reassigned', 'covered')"
        )
    # The tallies of what the record holds so far.
    from storage.queries.tally_rebuild import rebuild

    rebuild(op.get_bind(), months=False)  # the month tallies come with 0008


def downgrade() -> None:
    op.drop_index("ix_events_handed_to", table_name="events")
    op.drop_index("ix_events_handed_from", table_name="events")
    op.drop_index("ix_inquiries_unanswered", table_name="inquiries")
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiries_live")
        batch_op.create_index("ix_inquiries_status", ["status"], unique=False)
        batch_op.drop_index("ix_inquiries_team_resolved")
        batch_op.drop_index("ix_inquiries_team_responded")
    op.drop_table("handover_tallies")
    with op.batch_alter_table("activity_tallies", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_tallies_person")
    op.drop_table("activity_tallies")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcomes_corrects")
    with op.batch_alter_table("outcome_tallies", schema=None) as batch_op:
        batch_op.drop_index("ix_outcome_tallies_holder")
    op.drop_table("outcome_tallies")
