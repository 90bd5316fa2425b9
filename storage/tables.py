"""A model's Table, typed as one.

SQLAlchemy types a declarative model's `__table__` as FromClause (a mapped class may map any
selectable); every model in storage/models/ maps a Table, which the Core statements in
storage/queries need (insert, update, `.c`).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from storage.models import Base


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)
