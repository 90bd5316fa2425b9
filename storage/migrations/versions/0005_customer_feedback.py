"""customer feedback: the private link per inquiry and the customer's own ratings

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_feedback_links",
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("inquiry_id"),
        sa.UniqueConstraint("token"),
    )
    op.create_table(
        "customer_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("given_at", storage.types.TZDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["inquiry_id"], ["inquiries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_customer_ratings_given_at", ["given_at"], unique=False)
        batch_op.create_index("ix_customer_ratings_inquiry", ["inquiry_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customer_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_ratings_inquiry")
        batch_op.drop_index("ix_customer_ratings_given_at")
    op.drop_table("customer_ratings")
    op.drop_table("customer_feedback_links")
