"""What a run knows of the archive before it starts: every record's key, partition, URLs and dates."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Fields that describe a fetch or the archive's bookkeeping, not what was extracted.
_BOOKKEEPING = {"url", "crawled_at", "revision", "previous_content_hash", "first_seen_at", "also_published_at"}


def extracted(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _BOOKKEEPING}


def fingerprint(record: dict[str, Any]) -> str:
    """A digest of what was extracted (not of fetch details or bookkeeping)."""
    blob = json.dumps(extracted(record), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


@dataclass
class IndexEntry:
    partition: str
    source: str
    url_path: str
    canonical_url: str
    dates: dict[str, Any]  # week_start, week_end, published_at: enough for overlaps()
    fingerprint: str  # of what was extracted: an unchanged re-extraction is known without reading it again


class ArchiveIndex:
    """Every archived record's key, partition, URLs and dates: a run reads the archive once."""

    def __init__(self) -> None:
        self.entries: dict[str, IndexEntry] = {}
        self.paths: dict[str, str] = {}  # URL path (fetched and canonical) -> key: aliases are matched

    def add(self, record: dict[str, Any], partition: str) -> None:
        key = record["key"]
        url, canonical = str(record.get("url") or ""), str(record.get("canonical_url") or "")
        self.entries[key] = IndexEntry(
            partition=partition,
            source=str(record.get("source") or ""),
            url_path=urlsplit(url).path,
            canonical_url=canonical,
            dates={k: record.get(k) for k in ("week_start", "week_end", "published_at")},
            fingerprint=fingerprint(record),
        )
        for value in (url, canonical):
            if value:
                self.paths[urlsplit(value).path] = key

    def keys(self) -> set[str]:
        return set(self.entries)
