"""The published record schema (``record.schema.json``) and a validator for it."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_FILE = "record.schema.json"


@cache
def record_schema() -> dict[str, Any]:
    return json.loads(resources.files("scraper").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(record_schema())


def validate_record(record: Any) -> list[str]:
    """Every way a record breaks the schema, as short messages (empty when valid)."""
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or 'record'}: {error.message}"
        for error in _validator().iter_errors(record)
    ]
    if problems or not isinstance(record, dict):
        return problems
    for name in ("week_start", "week_end"):
        if record.get(name):
            try:
                dt.date.fromisoformat(record[name])
            except ValueError:
                problems.append(f"{name}: not a calendar date")
    if record.get("week_start") and record.get("week_end") and record["week_start"] > record["week_end"]:
        problems.append("week_start is after week_end")
    return problems
