"""Merge the run's records into the dated JSON Lines archive when the crawl ends.

Records are held until the spider closes and then merged in one pass, as one commit (see
:meth:`scraper.archive.Archive._commit`); a run killed before is recovered from its captures.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from scraper.archive import Archive, ArchiveError, MergeResult

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = Archive(crawler.settings.get("ARCHIVE_DIR", "output"))
        self.records: list[dict[str, Any]] = []
        self.result: MergeResult | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self.records.append(item)
        return item

    def close_spider(self) -> None:
        try:
            index = getattr(self.crawler.spider, "archive_index", None)  # the run's one read of the archive
            self.result = self.archive.merge(self.records, index=index)
            self._count(self.result)
        except (ArchiveError, OSError) as exc:
            self.stats.set_value("archive/error", str(exc))
            logger.error("archive not updated: %s", exc)
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
