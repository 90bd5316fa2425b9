"""request receipts (replays change nothing) and one staff rating per inquiry

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_receipts",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("received_at", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # Earlier versions kept every rating; the latest per inquiry is the one that counts now (the
    # events still hold them all).
    op.execute("DELETE FROM feedback WHERE id NOT IN (SELECT max(id) FROM feedback GROUP BY inquiry_id)")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_inquiry")
        batch_op.create_index("ix_feedback_inquiry", ["inquiry_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_inquiry")
        batch_op.create_index("ix_feedback_inquiry", ["inquiry_id"], unique=False)
    op.drop_table("request_receipts")
