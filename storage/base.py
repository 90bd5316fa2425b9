"""The declarative base every table of ours hangs on: one `Base.metadata` for Alembic, the start-up
schema check and backups. Its own module so that the models (storage/models/) and Slack's
installation tables (storage/installations.py) can both use it without importing each other."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import DeclarativeBase

from storage.types import TZDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: TZDateTime(), dict[str, Any]: JSON}
