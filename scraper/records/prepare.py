"""The one way a parsed record becomes an archivable one: normalize → hash → validate → partition.

The crawl runs :func:`prepare_record` in its page parser's worker process and yields the
:class:`PreparedRecord`; its item pipelines (``pipelines/``, one concern each, with their
Scrapy stats) count and act on what the steps found, and run a step themselves for a plain
record dict. ``reparse`` runs :func:`prepare_record` too. Either way a page gives the same
record, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scraper.archive import fingerprint, partition_for
from scraper.pages.text import normalize_strings
from scraper.records.schema import content_hash, validate_record


@dataclass
class PreparedRecord:
    record: dict[str, Any]  # normalized, with its content_hash
    normalized: bool  # normalizing changed a string (the parser should have: counted, not fatal)
    problems: list[str] = field(default_factory=list)  # why it may not be archived; empty when it may
    partition: str | None = None  # the archive file it belongs in, when valid
    fingerprint: str | None = None  # of what was extracted, set by prepare_for_merge: the merge's to reuse

    @property
    def valid(self) -> bool:
        return not self.problems


def normalize_record(record: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """NFC, no zero-width characters or nbsp, whitespace collapsed; the hash is of the text as archived."""
    normalized = normalize_strings(record)
    changed = normalized != record
    if changed or not normalized.get("content_hash"):
        normalized["content_hash"] = content_hash(normalized)
    return normalized, changed


def check_record(record: dict[str, Any]) -> list[str]:
    """Why a record may not be archived: the schema and the rules between fields (empty when it may)."""
    return validate_record(record)


def record_of(item: dict[str, Any] | PreparedRecord) -> dict[str, Any]:
    """The record an item pipeline was handed, prepared or not."""
    return item.record if isinstance(item, PreparedRecord) else item


def prepare_record(record: dict[str, Any]) -> PreparedRecord:
    normalized, changed = normalize_record(record)
    problems = check_record(normalized)
    return PreparedRecord(normalized, changed, problems, None if problems else partition_for(normalized))


def prepare_for_merge(record: dict[str, Any]) -> PreparedRecord:
    """:func:`prepare_record`, plus the archive fingerprint that a merge with the run's index needs.

    The crawl runs it in its parser worker, so the fingerprint is not computed on the crawl's
    thread; ``reparse`` merges without an index and has no use for it.
    """
    prepared = prepare_record(record)
    if prepared.valid:
        prepared.fingerprint = fingerprint(prepared.record)
    return prepared
