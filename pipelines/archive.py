"""Merge the run's records into the dated JSON Lines archive when the crawl ends.

Records are held until the spider closes and then merged in one pass, so the archive on
disk only ever changes by whole-file atomic replacement.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from scrapy.crawler import Crawler

from scraper.archive import Archive, ArchiveError, MergeResult
from scraper.runstats import total

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
            self.result = self.archive.merge(self.records)
            self._write_manifest(self.result)
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

    def _write_manifest(self, result: MergeResult) -> None:
        for name in ("new", "updated", "unchanged"):
            self.stats.set_value(f"archive/{name}", len(getattr(result, name)))
        stats = self.stats.get_stats()
        self.archive.write_manifest(
            last_run={
                "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "new": len(result.new),
                "updated": len(result.updated),
                "unchanged": len(result.unchanged),
                "requests": stats.get("downloader/request_count", 0),
                "errors": total(stats, "errors/"),
            }
        )
