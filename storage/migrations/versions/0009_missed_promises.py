"""the missed promises (a resolution or a status update not made by the promised date) by team and
deadline, for the report's evidence, read from the index alone as the missed first responses are

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MISSED = "kind IN ('resolution', 'status_update') AND outcome = 'missed'"  # as models/outcomes.py writes it


def upgrade() -> None:
    op.create_index(
        "ix_outcomes_missed_promises",
        "outcomes",
        ["team", "deadline", "inquiry_id", "kind", "decided_at", "holder", "fact"],
        sqlite_where=sa.text(MISSED),
        postgresql_where=sa.text(MISSED),
        postgresql_include=["id"],
    )


def downgrade() -> None:
    op.drop_index("ix_outcomes_missed_promises", table_name="outcomes")
