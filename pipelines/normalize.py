"""Normalize every string of a record (defence in depth: the parser normalizes too).

The step of :mod:`scraper.records.prepare` that ``reparse`` runs too; a record the crawl's
parser worker prepared is not normalized again, only counted.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from scraper.records.prepare import PreparedRecord, normalize_record


class NormalizePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any] | PreparedRecord) -> dict[str, Any] | PreparedRecord:
        if isinstance(item, PreparedRecord):  # normalized in the crawl's parser worker
            if item.normalized:
                self.stats.inc_value("normalize/records_changed")
            return item
        normalized, changed = normalize_record(item)
        if changed:
            self.stats.inc_value("normalize/records_changed")
        return normalized
