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

    def _count(self, suffix: str, prefix: str = "") -> int:
        return sum(v for k, v in self.stats.get_stats().items() if k.startswith(prefix) and k.endswith(suffix))

    def line(self) -> str:
        stats: dict[str, Any] = self.stats.get_stats()
        pages = self._count("/pages", "listing/")
        fetched = sum(
            v
            for k, v in stats.items()
            if k.startswith("article/") and k.endswith(("/digests", "/not_digest", "/out_of_range"))
        )
        queued = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
        errors = self._count("", "errors/")
        elapsed = time.monotonic() - self.started
        eta = ""
        if fetched and queued > 0:
            eta = f", ETA {int(elapsed / max(fetched, 1) * queued)} s"
        digests = self._count("/digests", "article/")
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
