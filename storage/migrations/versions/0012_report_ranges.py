"""the day tallies by team and day: a team's or everyone's report reads the few days of its
period that are not whole months (a month less its days outside the period, for a period in a US
zone, which starts at 04:00 or 05:00 UTC) as one range per team, not every day of the team's people;
and a person's missed deadlines in the order the evidence lists them, as the team's are

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# As models/outcomes.py writes them.
MISSED_FIRST_RESPONSE = "kind = 'first_response' AND outcome = 'missed'"
MISSED_PROMISE = "kind IN ('resolution', 'status_update') AND outcome = 'missed'"


def upgrade() -> None:
    op.create_index("ix_outcome_tallies_team_day", "outcome_tallies", ["team", "day"])
    op.create_index("ix_activity_tallies_team_day", "activity_tallies", ["team", "day"])
    for name, columns, where in (
        ("ix_outcomes_missed_holder", ["decided_at", "fact", "weight"], MISSED_FIRST_RESPONSE),
        ("ix_outcomes_missed_promises_holder", ["kind", "decided_at", "fact"], MISSED_PROMISE),
    ):
        op.create_index(
            name,
            "outcomes",
            ["holder", "team", "deadline", "inquiry_id", *columns],
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
            postgresql_include=["id"],
        )


def downgrade() -> None:
    op.drop_index("ix_outcomes_missed_promises_holder", table_name="outcomes")
    op.drop_index("ix_outcomes_missed_holder", table_name="outcomes")
    op.drop_index("ix_activity_tallies_team_day", table_name="activity_tallies")
    op.drop_index("ix_outcome_tallies_team_day", table_name="outcome_tallies")
