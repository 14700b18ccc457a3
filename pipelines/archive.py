"""Merge the run's records into the dated JSON Lines archive, a batch at a time.

Records are merged every ``ARCHIVE_BATCH`` records (and when the crawl ends), each batch as
one commit (see :meth:`scraper.archive.Archive._commit`): a crawl's memory does not grow
with the number of digests it fetches, and a run killed part-way keeps what it merged (the
rest is recovered from its captures).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from scraper.archive import Archive, ArchiveError, MergeResult
from scraper.records.prepare import PreparedRecord, record_of

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 250


class ArchivePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = Archive(crawler.settings.get("ARCHIVE_DIR", "output"))
        self.batch_size = max(1, crawler.settings.getint("ARCHIVE_BATCH", DEFAULT_BATCH))
        self.held: list[tuple[dict[str, Any], str | None]] = []  # each record, with its fingerprint when known
        self.result: MergeResult | None = None
        self.error: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any] | PreparedRecord) -> dict[str, Any] | PreparedRecord:
        self.held.append((record_of(item), item.fingerprint if isinstance(item, PreparedRecord) else None))
        if len(self.held) >= self.batch_size:
            self._merge()
        return item

    def _merge(self) -> None:
        """Merge the records held so far; after a failed merge the rest are held for the last try."""
        if self.error is not None and len(self.held) < self.batch_size * 4:
            return  # a full disk: try again at the end, not on every record
        batch, self.held = self.held, []
        try:
            index = getattr(self.crawler.spider, "archive_index", None)  # the run's index, kept current by merge
            merged = self.archive.merge([r for r, _ in batch], index=index, fingerprints=[f for _, f in batch])
        except (ArchiveError, OSError) as exc:
            self.held = batch + self.held
            self.error = str(exc)
            self.stats.set_value("archive/error", self.error)
            logger.error("archive not updated: %s", exc)
            return
        self.error = None
        self.stats.set_value("archive/error", None)
        result = self.result = self.result or MergeResult()
        result.new += merged.new
        result.updated += merged.updated
        result.unchanged += merged.unchanged
        result.files_written = sorted(set(result.files_written) | set(merged.files_written))
        self._count(result)

    def close_spider(self) -> None:
        if self.held or self.result is None:
            self.error = None
            self._merge()
        if self.error is not None or self.result is None:
            return
        logger.info(
            "archive %s: %d new, %d updated, %d unchanged; files written: %s",
            self.archive.root,
            len(self.result.new),
            len(self.result.updated),
            len(self.result.unchanged),
            ", ".join(self.result.files_written) or "none",
        )

    def _count(self, result: MergeResult) -> None:
        """The merge's figures for the run report (the run's lifecycle writes the manifest, once)."""
        for name in ("new", "updated", "unchanged"):
            self.stats.set_value(f"archive/{name}", len(getattr(result, name)))
