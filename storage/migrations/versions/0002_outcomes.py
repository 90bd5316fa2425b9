"""outcomes as facts, disputes, and the queue of undecided deadlines (docs/outcomes.md)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 04:00:00
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fact", sa.String(length=8), nullable=False),
        sa.Column("deadline", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.String(length=32), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("business_hours", sa.Float(), nullable=True),
        sa.Column("corrects", sa.Integer(), nullable=True),
        sa.Column("recorded_at", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outcomes_holder", ["holder", "decided_at", "team", "kind", "outcome", "weight"], unique=False
        )
        batch_op.create_index("ix_outcomes_inquiry", ["inquiry_id", "id"], unique=False)
        batch_op.create_index(
            "ix_outcomes_team", ["team", "decided_at", "holder", "kind", "outcome", "weight"], unique=False
        )

    op.create_table(
        "outcome_disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("at", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["outcome_id"], ["outcomes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outcome_disputes", schema=None) as batch_op:
        batch_op.create_index("ix_outcome_disputes_outcome", ["outcome_id", "id"], unique=False)
        batch_op.create_index("ix_outcome_disputes_team", ["team", "id"], unique=False)

    op.create_table(
        "outcome_pending",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("outcome_pending", schema=None) as batch_op:
        batch_op.create_index("ix_outcome_pending_due", ["due_at"], unique=False)
        batch_op.create_index("ix_outcome_pending_inquiry", ["inquiry_id"], unique=False)

    # Facts for what the record holds already (storage/queries/outcome_backfill.py).
    from storage.queries.outcome_backfill import backfill

    backfill(op.get_bind(), datetime.now(UTC))


def downgrade() -> None:
    with op.batch_alter_table("outcome_pending", schema=None) as batch_op:
        batch_op.drop_index("ix_outcome_pending_inquiry")
        batch_op.drop_index("ix_outcome_pending_due")
    op.drop_table("outcome_pending")
    with op.batch_alter_table("outcome_disputes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcome_disputes_team")
        batch_op.drop_index("ix_outcome_disputes_outcome")
    op.drop_table("outcome_disputes")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcomes_team")
        batch_op.drop_index("ix_outcomes_inquiry")
        batch_op.drop_index("ix_outcomes_holder")
    op.drop_table("outcomes")
