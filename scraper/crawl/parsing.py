"""The crawl's page parser: in a worker process (``PARSE_WORKERS``), so extraction overlaps fetching.

With ``PARSE_WORKERS = 1`` (the default on a machine with more than one core) digest pages
are parsed by one spawned worker process (:mod:`scraper.pages.workers`) while Scrapy goes
on fetching; ``0`` parses in the crawl's process. The worker also prepares each record
(:func:`scraper.records.prepare.prepare_for_merge`: normalize, hash, validate, fingerprint), the CPU work the
item pipelines would otherwise do in the crawl's process; they act on what it found (see
``pipelines/``). What the parser logs in the worker is
logged again here. A worker that dies (killed, out of memory) is reported once, on the log
and in the stats (``parse/worker_lost``), and the crawl goes on parsing in its own process.
"""

from __future__ import annotations

import asyncio
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scraper.pages.workers import ParsedPage, ParserPool, parse_page
from scraper.records.prepare import prepare_for_merge
from scraper.sites.profiles import SiteProfile


class PageParser:
    """Parse pages in a worker process (``workers=1``) or in this one (``workers=0``)."""

    def __init__(self, workers: int, stats: Any = None) -> None:
        self.stats = stats
        self.pool: ParserPool | None = ParserPool(workers) if workers > 0 else None
        if self.pool is not None and self.pool.executor is None:  # could not start one: said on the log
            self.pool = None

    async def parse(self, url: str, html: str, profile: SiteProfile, crawled_at: str | None) -> ParsedPage:
        """The page parsed, and its record prepared (``parsed.prepared``, a PreparedRecord) beside it."""
        if self.pool is not None:
            try:
                parsed = await asyncio.wrap_future(self.pool.submit(url, html, profile, crawled_at, prepare_for_merge))
            except BrokenProcessPool as exc:
                self._lost(exc)
            else:
                parsed.relay_log()
                return parsed
        return parse_page(url, html, profile, crawled_at, prepare_for_merge)

    def _lost(self, exc: BaseException) -> None:
        if self.pool is not None and self.pool.lost(exc) and self.stats is not None:
            self.stats.inc_value("parse/worker_lost")
        self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
