"""the Workflow Builder step run that logged an inquiry (Slack's function_execution_id), unique: a
run Slack delivers again after a crash finds its inquiry instead of logging a second one

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inquiries") as batch:
        batch.add_column(sa.Column("workflow_execution_id", sa.String(64), nullable=True))
    op.create_index(
        "ux_inquiries_workflow_execution",
        "inquiries",
        ["workflow_execution_id"],
        unique=True,
        sqlite_where=sa.text("workflow_execution_id IS NOT NULL"),
        postgresql_where=sa.text("workflow_execution_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ux_inquiries_workflow_execution", table_name="inquiries")
    with op.batch_alter_table("inquiries") as batch:
        batch.drop_column("workflow_execution_id")
