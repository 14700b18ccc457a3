"""Drop records that do not match the record schema, saying which URL and why.

The step of :mod:`scraper.records.prepare` that ``reparse`` runs too; for a record the
crawl's parser worker prepared, the problems it found there are acted on here.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from scraper.records.prepare import PreparedRecord, check_record, record_of

logger = logging.getLogger(__name__)


class ValidatePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any] | PreparedRecord) -> dict[str, Any] | PreparedRecord:
        # a record the crawl's parser worker prepared was checked there, after normalizing
        problems = item.problems if isinstance(item, PreparedRecord) else check_record(item)
        if problems:
            self.stats.inc_value("validate/invalid")
            logger.error("invalid record from %s: %s", record_of(item).get("url"), "; ".join(problems))
            raise DropItem(f"invalid record: {problems[0]}")
        return item
