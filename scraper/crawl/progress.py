"""The crawl's progress bar: digests fetched, listing pages walked, pages queued, errors.

Enabled by the ``PROGRESS`` setting, which the command line sets only when stderr is a
terminal (or with ``--progress``): cron and log files stay quiet. The bar is a tqdm bar
(``scraper.progress``): it fits the terminal and log lines are printed above it.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from scraper.crawl.stats import total
from scraper.progress import logs_above, progress_bar


class ProgressExtension:
    def __init__(self, crawler: Crawler, stream: TextIO):
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.stream = stream
        self.bar: Any = None
        self.routing = contextlib.ExitStack()
        for handler, signal in (
            (self.start, signals.engine_started),
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

    def counts(self) -> tuple[int, str]:
        stats: dict[str, Any] = self.stats.get_stats()
        pages = total(stats, "listing/", "/pages")
        digests = total(stats, "article/", "/digests")
        errors = total(stats, "errors/")
        queued = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
        return digests, f"{pages} listing pages, {queued} queued, {errors} errors"

    def start(self) -> None:
        self.bar = progress_bar(None, "langson-archive crawl", " digests", self.stream)
        self.routing.enter_context(logs_above(self.stream))

    def update(self, *args: Any, **kwargs: Any) -> None:
        if self.bar is None:
            return
        digests, postfix = self.counts()
        self.bar.update(digests - self.bar.n)
        self.bar.set_postfix_str(postfix, refresh=False)

    def finish(self, *args: Any, **kwargs: Any) -> None:
        if self.bar is None:
            return
        self.update()
        self.bar.refresh()
        self.bar.close()
        self.bar = None
        self.routing.close()
