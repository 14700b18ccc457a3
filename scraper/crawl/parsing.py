"""The crawl's page parser, in a worker process: extraction overlaps fetching.

Parsing a digest page is pure CPU work (see :mod:`scraper.pages`) and the crawl's own
process is busy running Scrapy, so with ``PARSE_WORKERS = 1`` (the default on a machine
with more than one core) pages are parsed in one spawned worker process while the crawl
goes on fetching; results come back in the order pages were sent. ``PARSE_WORKERS = 0``
parses in the crawl's process.

Nothing is lost or hidden on the way: what the parser logs in the worker is logged again
by the crawl under the same logger names, and a worker that dies (killed, out of memory)
is reported once on the log and in the stats (``parse/worker_lost``) and the crawl goes on
parsing in its own process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from scraper.pages import DigestPage
from scraper.pages.digest import Extraction
from scraper.sites.profiles import SiteProfile

logger = logging.getLogger(__name__)

_FAULT = os.environ.get("LANGSON_ARCHIVE_FAULT", "")  # test hook: "kill-parse-worker" (on its third page)


@dataclass
class ParsedPage:
    """What the crawl needs of a parsed page: the extraction and what the parser said on the way."""

    extraction: Extraction
    rejected: list[str] = field(default_factory=list)  # body candidates passed over, "strategy: why"
    log: list[tuple[str, int, str]] = field(default_factory=list)  # (logger, level, message), from a worker


def parse_page(url: str, html: str, profile: SiteProfile, crawled_at: str | None) -> ParsedPage:
    page = DigestPage(url, html, profile)
    return ParsedPage(page.extract(crawled_at), page.rejected)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


_collector: _Collect | None = None
_pages = 0


def _worker_init() -> None:
    """A signal to the crawl's process group is the crawl's to handle: the worker ignores it."""
    global _collector
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _collector = _Collect()
    root = logging.getLogger()
    root.handlers[:] = [_collector]
    root.setLevel(logging.INFO)


def _parse_in_worker(url: str, html: str, profile: SiteProfile, crawled_at: str | None) -> ParsedPage:
    global _pages
    _pages += 1
    if _FAULT == "kill-parse-worker" and _pages == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    assert _collector is not None
    _collector.records = []
    parsed = parse_page(url, html, profile, crawled_at)
    parsed.log = _collector.records
    return parsed


class PageParser:
    """Parse pages in a worker process (``workers=1``) or in this one (``workers=0``)."""

    def __init__(self, workers: int, stats: Any = None) -> None:
        self.stats = stats
        self.pool: ProcessPoolExecutor | None = None
        if workers > 0:
            import multiprocessing

            # spawned, not forked: a fork would copy the running reactor and the crawl's open files
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)

    async def parse(self, url: str, html: str, profile: SiteProfile, crawled_at: str | None) -> ParsedPage:
        if self.pool is not None:
            try:
                future = self.pool.submit(_parse_in_worker, url, html, profile, crawled_at)
                parsed = await asyncio.wrap_future(future)
            except BrokenProcessPool as exc:
                self._lost(exc)
            else:
                for name, level, message in parsed.log:
                    logging.getLogger(name).log(level, "%s", message)
                return parsed
        return parse_page(url, html, profile, crawled_at)

    def _lost(self, exc: BaseException) -> None:
        if self.pool is None:
            return
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None
        if self.stats is not None:
            self.stats.inc_value("parse/worker_lost")
        logger.warning("the page parser's worker process died (%s); parsing in the crawl's process from now on",
                       exc or type(exc).__name__)  # fmt: skip

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
