"""the day tallies by team and day: a team's or everyone's report reads the few days of its
period that are not whole months (a month less its days outside the period, for a period in a US
zone, which starts at 04:00 or 05:00 UTC) as one range per team, not every day of the team's people

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outcome_tallies_team_day", "outcome_tallies", ["team", "day"])
    op.create_index("ix_activity_tallies_team_day", "activity_tallies", ["team", "day"])


def downgrade() -> None:
    op.drop_index("ix_activity_tallies_team_day", table_name="activity_tallies")
    op.drop_index("ix_outcome_tallies_team_day", table_name="outcome_tallies")
