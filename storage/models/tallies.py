"""Tallies: the outcome facts, inquiry activity and hand-overs added up per UTC day or month and
person (docs/outcomes.md "Reading facts fast"). Derived from the record, never the record itself:
storage/queries/tallies.py keeps them, tally_rebuild.py rebuilds them, tally_reads.py reads them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class OutcomeCounts:
    """The columns of an outcome tally: <kind>_<outcome>, the sum of the facts' weights."""

    first_response_on_time: Mapped[int] = mapped_column(Integer, default=0)
    first_response_missed: Mapped[int] = mapped_column(Integer, default=0)
    first_response_late: Mapped[int] = mapped_column(Integer, default=0)
    resolution_on_time: Mapped[int] = mapped_column(Integer, default=0)
    resolution_missed: Mapped[int] = mapped_column(Integer, default=0)
    resolution_late: Mapped[int] = mapped_column(Integer, default=0)
    status_update_on_time: Mapped[int] = mapped_column(Integer, default=0)
    status_update_missed: Mapped[int] = mapped_column(Integer, default=0)
    status_update_late: Mapped[int] = mapped_column(Integer, default=0)


class OutcomeTally(OutcomeCounts, Base):
    """The outcome facts added up per UTC day, team and holder (docs/outcomes.md "Reading facts
    fast"). Derived, not the record: each fact adds its weight to its day's row in the commit that
    stores it (storage/queries/tallies.py; tally_rebuild.py can also rebuild them all). A report
    reads whole days from here and only the facts of the two part-days at its edges, so a year costs
    a row per person-day instead of one per fact. Columns: <kind>_<outcome>, the sum of weights."""

    __tablename__ = "outcome_tallies"
    __table_args__ = (
        Index("ix_outcome_tallies_holder", "holder", "day"),
        # A team's days not in whole months (tally_reads.split): one range per team (0012).
        Index("ix_outcome_tallies_team_day", "team", "day"),
        # SQLite keeps the rows in key order, so adding up a team or everyone walks them in the
        # order of GROUP BY team, holder: no sort, no look-ups.
        {"sqlite_with_rowid": False},
    )

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the UTC day of decided_at


class OutcomeMonthTally(OutcomeCounts, Base):
    """OutcomeTally's days added up per UTC month, kept in the same commits: a report reads the
    whole months of its period here, a row per person-month, and only the days around them there."""

    __tablename__ = "outcome_month_tallies"
    __table_args__ = (
        Index("ix_outcome_month_tallies_holder", "holder", "month"),
        {"sqlite_with_rowid": False},
    )

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day


class ActivityCounts:
    """The columns of an activity tally."""

    received: Mapped[int] = mapped_column(Integer, default=0)
    responded: Mapped[int] = mapped_column(Integer, default=0)
    timed: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)  # staff ratings given
    feedback_sum: Mapped[int] = mapped_column(Integer, default=0)  # … the sum of their scores


class ActivityTally(ActivityCounts, Base):
    """What happened to inquiries, added up per UTC day, team and accountable person (who gave
    the first response, else the assignee; docs/reports.md): received, first responses (and those
    with business hours), resolutions, staff ratings. Derived like OutcomeTally: storage/queries/inquiries.py
    moves an item's counts when a change moves them (an answer by someone else, a reassignment of
    an unanswered item, a team move), in the commit that changes it."""

    __tablename__ = "activity_tallies"
    __table_args__ = (
        Index("ix_activity_tallies_person", "person", "day"),
        Index("ix_activity_tallies_team_day", "team", "day"),
        {"sqlite_with_rowid": False},
    )

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the UTC day of what is counted


class ActivityMonthTally(ActivityCounts, Base):
    """ActivityTally's days added up per UTC month, as OutcomeMonthTally is OutcomeTally's."""

    __tablename__ = "activity_month_tallies"
    __table_args__ = (
        Index("ix_activity_month_tallies_person", "person", "month"),
        {"sqlite_with_rowid": False},
    )

    team: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day


class HandoverTally(Base):
    """Hand-overs (reassigned and covered events) per UTC month and person ('' for a missing name):
    how many they gave, took, and handed to themselves (one person on both sides), kept as each event is appended
    (storage/queries/tallies.py). Months, not days: a person hands over a few items a month, not a day."""

    __tablename__ = "handover_tallies"
    __table_args__ = ({"sqlite_with_rowid": False},)

    person: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    gave: Mapped[int] = mapped_column(Integer, default=0)
    took: Mapped[int] = mapped_column(Integer, default=0)
    to_self: Mapped[int] = mapped_column(Integer, default=0)
