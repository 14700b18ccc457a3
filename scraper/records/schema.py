"""The published record schema (``record.schema.json``) and a validator for it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from scraper.pages.hashing import content_hash

__all__ = ["content_hash", "record_schema", "validate_record"]

SCHEMA_FILE = "record.schema.json"


@cache
def record_schema() -> dict[str, Any]:
    return json.loads(resources.files("scraper.records").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(record_schema())


@cache
def _compiled() -> Callable[[Any], Any]:
    """The schema compiled to Python (fastjsonschema): about 14x faster than walking it, for the
    common case of a valid record; it stops at the first problem, so jsonschema names them all."""
    import fastjsonschema

    return fastjsonschema.compile(record_schema())


def schema_problems(record: Any) -> list[str]:
    """Every way ``record`` breaks the JSON Schema, as short messages (empty when it holds)."""
    from fastjsonschema import JsonSchemaException

    try:
        _compiled()(record)
        return []
    except JsonSchemaException:
        pass
    return [
        f"{'/'.join(map(str, error.absolute_path)) or 'record'}: {error.message}"
        for error in _validator().iter_errors(record)
    ]


MAX_WEEK_SPAN_DAYS = 21  # a two-week holiday digest is the longest seen


def _is_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def validate_record(record: Any) -> list[str]:
    """Every way a record breaks the schema or its own cross-field rules, as short messages (empty when valid)."""
    problems = schema_problems(record)
    if problems or not isinstance(record, dict):
        return problems
    for name in ("week_start", "week_end"):
        if record.get(name):
            try:
                dt.date.fromisoformat(record[name])
            except ValueError:
                problems.append(f"{name}: not a calendar date")
    if problems:
        return problems
    start, end = record.get("week_start"), record.get("week_end")
    if bool(start) != bool(end):
        problems.append("week_start and week_end go together")
    elif start and end:
        span = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
        if span < 0:
            problems.append("week_start is after week_end")
        elif span > MAX_WEEK_SPAN_DAYS:
            problems.append(f"the week spans {span + 1} days (at most {MAX_WEEK_SPAN_DAYS + 1})")
        if record.get("digest_key") not in (None, f"{start}/{end}"):
            problems.append("digest_key does not match the week")
    for name in ("published_at", "crawled_at", "first_seen_at"):
        if isinstance(record.get(name), str) and not _is_datetime(record[name]):
            problems.append(f"{name}: not an ISO 8601 date-time")
    urls = [("url", record.get("url")), ("canonical_url", record.get("canonical_url"))]
    urls += [("also_published_at", u) for u in record.get("also_published_at") or []]
    urls += [("images", i.get("src")) for i in record.get("images") or []]
    urls += [("attachments", a.get("url")) for a in record.get("attachments") or []]
    for name, value in urls:
        if isinstance(value, str) and not _is_url(value):
            problems.append(f"{name}: {value[:60]!r} is not an http(s) URL")
    if record.get("content_hash") != content_hash(record):
        problems.append("content_hash does not match the record's content")
    return problems
