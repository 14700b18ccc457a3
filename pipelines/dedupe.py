"""One record per digest within a run, whatever URL variant reached it.

The same Drupal node is served under /vi/, /en/, /index.php/en/ and /node/; the same
VHV article under two category paths. The parser gives all of them one ``key``.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from scraper.records.prepare import PreparedRecord, record_of


class DedupePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any] | PreparedRecord) -> dict[str, Any] | PreparedRecord:
        key = record_of(item)["key"]
        if key in self.seen:
            self.stats.inc_value("dedupe/duplicates")
            raise DropItem(f"duplicate of {key}")
        self.seen.add(key)
        return item
