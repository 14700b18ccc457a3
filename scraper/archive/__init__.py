"""The archive on disk: dated JSON Lines partitions, manifest, raw captures and state files.

``store`` reads and commits partitions (journaled, under a readers' lock), ``index`` is
what a run knows of the archive before it starts, ``state`` the crawl's memory between
runs, ``captures`` reads the WARC files, ``files`` writes any file atomically, ``lock``
keeps one run per archive. Nothing here imports the crawler or the page parsers' callers.
"""

from scraper.archive.files import write_atomic
from scraper.archive.index import ArchiveIndex, IndexEntry, fingerprint
from scraper.archive.state import PendingArticles, WalkState
from scraper.archive.store import (
    CAPTURES_DIR,
    JOURNAL,
    MANIFEST,
    OPEN_SUFFIX,
    RECORDS_DIR,
    RW_LOCK,
    Archive,
    ArchiveError,
    MergeResult,
    capture_files,
    dumps,
    export_order,
    overlaps,
    partition_for,
    record_day,
)

__all__ = [
    "CAPTURES_DIR",
    "JOURNAL",
    "MANIFEST",
    "OPEN_SUFFIX",
    "RECORDS_DIR",
    "RW_LOCK",
    "Archive",
    "ArchiveError",
    "ArchiveIndex",
    "IndexEntry",
    "MergeResult",
    "PendingArticles",
    "WalkState",
    "capture_files",
    "dumps",
    "export_order",
    "fingerprint",
    "overlaps",
    "partition_for",
    "record_day",
    "write_atomic",
]
