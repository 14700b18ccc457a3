"""Normalize every string of a record (defence in depth: the parser normalizes too)."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from scraper.pages.text import normalize_strings
from scraper.records.schema import content_hash


class NormalizePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        normalized = normalize_strings(item)
        if normalized != item:
            self.stats.inc_value("normalize/records_changed")
            normalized["content_hash"] = content_hash(normalized)  # of the text as archived
        return normalized
