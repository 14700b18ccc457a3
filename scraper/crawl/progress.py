"""Progress on a terminal: pages walked, digests found and fetched, errors, ETA.

Enabled by the ``PROGRESS`` setting, which the command line sets only when stderr is a
terminal (or with ``--progress``): cron and log files stay quiet.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from scraper.crawl.stats import total


class ProgressExtension:
    def __init__(self, crawler: Crawler, stream: TextIO, interval: float = 0.5):
        self.stats = crawler.stats
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.last = 0.0
        for handler, signal in (
            (self.update, signals.response_received),
            (self.update, signals.item_scraped),
            (self.finish, signals.spider_closed),
        ):
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        if not crawler.settings.getbool("PROGRESS"):
            raise NotConfigured
        return cls(crawler, sys.stderr)

    def line(self) -> str:
        stats: dict[str, Any] = self.stats.get_stats()
        pages = total(stats, "listing/", "/pages")
        fetched = total(stats, "article/", ("/digests", "/not_digest", "/out_of_range"))
        digests = total(stats, "article/", "/digests")
        errors = total(stats, "errors/")
        queued = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
        elapsed = time.monotonic() - self.started
        eta = f", ETA {int(elapsed / fetched * queued)} s" if fetched and queued > 0 else ""
        return (f"langson-archive: {pages} listing pages, {digests} digests fetched, {queued} pages queued, "
                f"{errors} errors, {elapsed:.0f} s{eta}")  # fmt: skip

    def update(self, *args: Any, **kwargs: Any) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.stream.write("\r\033[K" + self.line())
            self.stream.flush()

    def finish(self, *args: Any, **kwargs: Any) -> None:
        self.stream.write("\r\033[K" + self.line() + "\n")
        self.stream.flush()
