"""`inquirybot export --format json|csv [--team T] [--output FILE]`: every inquiry, one object/row each.

The keys (and CSV columns, in this order) are a stable, documented contract (docs/data-model.md). Every instant is ISO-8601 in UTC with a trailing Z; missing values are null in JSON and
empty in CSV; booleans are true/false.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from bot.errors import ConfigError
from inquirybot.cli.db import command_runtime
from storage.models import Inquiry
from storage.queries.inquiries import iter_inquiries

KEYS = (
    "id",
    "kind",
    "subject",
    "customer",
    "customer_contact",
    "received_at",
    "assignee",
    "team",
    "complexity",
    "needs_research",
    "status",
    "close_reason",
    "first_response_due",
    "first_response_target",
    "first_response_at",
    "first_response_by",
    "first_response_business_hours",
    "promised_resolution",
    "resolved_at",
    "logged_at",
    "logged_by",
    "policy",
    "rule",
    "established_reason",
    "escalated",
    "escalation_level",
    "reassignments",
    "source_link",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="every inquiry as JSON or CSV (stable keys)")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--team", help="only this team's inquiries")
    parser.add_argument("--output", "-o", help="write to this file (replaced whole) instead of stdout")
    parser.set_defaults(func=run)


def utc(value: datetime | None) -> str | None:
    """ISO-8601 UTC with Z, e.g. 2026-11-24T22:00:00Z."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def record(row: Inquiry) -> dict[str, Any]:
    values = {key: getattr(row, key, None) for key in KEYS}
    values["id"] = row.ref
    values["customer"] = row.customer_name
    values["customer_contact"] = row.customer_contact
    return {key: utc(value) if isinstance(value, datetime) else value for key, value in values.items()}


def run(args: argparse.Namespace) -> int:
    with command_runtime(writes=False) as runtime, runtime.sessions() as session:
        if args.team is not None:
            runtime.config.team(args.team)  # unknown team -> one line naming the known ones
        rows = (record(row) for row in iter_inquiries(session=session, team=args.team))
        if args.output:
            _write_file(Path(args.output), args.format, rows)
        else:
            write(sys.stdout, args.format, rows)
    return 0


def write(out: IO[str], fmt: str, rows: Iterator[dict[str, Any]]) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=KEYS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(v) for k, v in row.items()})
        return
    out.write("[")  # streamed, so exports of any size use flat memory
    for i, row in enumerate(rows):
        out.write(("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False))
    out.write("\n]\n")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _write_file(path: Path, fmt: str, rows: Iterator[dict[str, Any]]) -> None:
    """Write beside the target and rename, so a failed export never leaves half a file."""
    if not path.parent.is_dir():
        raise ConfigError(
            f"--output {str(path)!r}: folder {str(path.parent)!r} does not exist; create it first"
        )
    if path.is_dir():
        raise ConfigError(
            f"--output {str(path)!r} is a folder; name a file in it, e.g. {str(path / 'inquiries.json')!r}"
        )
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _unwritable(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            write(out, fmt, rows)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from None
        raise


def _unwritable(path: Path, exc: OSError) -> ConfigError:
    return ConfigError(f"--output {str(path)!r}: cannot write it ({exc.strerror}); give a writable path")
