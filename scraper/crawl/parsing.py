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

import logging
from typing import Any

from scraper.pages.workers import ParsedPage, ParserChannel, WorkerLost, parse_page
from scraper.records.prepare import prepare_for_merge
from scraper.sites.profiles import SiteProfile

logger = logging.getLogger("scraper.pages.workers")


class PageParser:
    """Parse pages in a worker process (``workers`` > 0: one) or in this one (``workers=0``)."""

    def __init__(self, workers: int, stats: Any = None) -> None:
        self.stats = stats
        self.channel: ParserChannel | None = None
        if workers > 0:
            try:
                self.channel = ParserChannel()
            except (OSError, ImportError, NotImplementedError) as exc:
                logger.warning("cannot start a page parser process (%s); parsing in this process", exc)

    async def parse(self, url: str, html: str, profile: SiteProfile, crawled_at: str | None) -> ParsedPage:
        """The page parsed, and its record prepared (``parsed.prepared``, a PreparedRecord) beside it."""
        if self.channel is not None:
            try:
                parsed = await self.channel.parse(url, html, profile, crawled_at, prepare_for_merge)
            except WorkerLost as exc:
                self._lost(exc)
            else:
                parsed.relay_log()
                return parsed
        return parse_page(url, html, profile, crawled_at, prepare_for_merge)

    def _lost(self, exc: BaseException) -> None:
        """The worker died: say so once, count it, and parse here from now on."""
        if self.channel is None:
            return
        logger.warning("the page parser's worker process died (%s); parsing in this process from now on", exc)
        if self.stats is not None:
            self.stats.inc_value("parse/worker_lost")
        self.channel.close()
        self.channel = None

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None
