"""The crawl's page parser: in a worker process (``PARSE_WORKERS``), so extraction overlaps fetching.

With ``PARSE_WORKERS = 1`` (the default on a machine with more than one core) digest pages
are parsed by one spawned worker process (:mod:`scraper.pages.workers`) while Scrapy goes
on fetching; ``0`` parses in the crawl's process, more than one sends each page to the
least busy worker. The worker also prepares each record
(:func:`scraper.records.prepare.prepare_for_merge`: normalize, hash, validate, fingerprint), the CPU work the
item pipelines would otherwise do in the crawl's process; they act on what it found (see
``pipelines/``). What the parser logs in the worker is
logged again here. A worker that dies (killed, out of memory) is reported once, on the log
and in the stats (``parse/worker_lost``), and the crawl goes on with the other workers or, with
none left, parsing in its own process.
"""

from __future__ import annotations

import logging
from typing import Any

from scraper.pages.workers import ParsedPage, ParserChannel, WorkerLost, WorkerStuck, parse_page
from scraper.records.prepare import prepare_for_merge
from scraper.sites.profiles import SiteProfile

logger = logging.getLogger("scraper.pages.workers")


class PageParser:
    """Parse pages in ``workers`` worker processes (each page to the least busy) or, with 0, in this one."""

    def __init__(self, workers: int, stats: Any = None, timeout: float | None = None) -> None:
        self.stats = stats
        self.timeout = timeout
        self.channels: list[ParserChannel] = []
        for _ in range(max(0, workers)):
            if not self._start():
                break

    def _start(self) -> bool:
        try:
            self.channels.append(ParserChannel(self.timeout))
        except (OSError, ImportError, NotImplementedError) as exc:
            logger.warning("cannot start a page parser process (%s); %s", exc, self._left())
            return False
        return True

    async def parse(self, url: str, html: str, profile: SiteProfile, crawled_at: str | None) -> ParsedPage:
        """The page parsed, and its record prepared (``parsed.prepared``, a PreparedRecord) beside it.

        Raises :class:`~scraper.pages.workers.ParseTimeout` for a page a worker was killed over.
        """
        while self.channels:
            channel = min(self.channels, key=lambda c: len(c.waiting))
            try:
                parsed = await channel.parse(url, html, profile, crawled_at, prepare_for_merge)
            except WorkerLost as exc:
                self._lost(channel, exc)  # the page goes to another worker, or is parsed here
            else:
                parsed.relay_log()
                return parsed
        return parse_page(url, html, profile, crawled_at, prepare_for_merge)

    def _left(self) -> str:
        return f"{len(self.channels)} left" if self.channels else "parsing in this process"

    def _lost(self, channel: ParserChannel, exc: BaseException) -> None:
        """A worker died: say so once, count it; its pages waiting, and later ones without a worker, are parsed here."""
        if channel not in self.channels:
            return
        self.channels.remove(channel)
        channel.close()
        if isinstance(exc, WorkerStuck):  # the page is to blame, not the worker: a new one takes the rest
            if self._start():  # else _start said so: the rest is parsed here
                logger.warning("the page parser's worker process was %s; a new one parses on", exc)
                if self.stats is not None:
                    self.stats.inc_value("parse/worker_restarted")
            return
        logger.warning("the page parser's worker process died (%s); %s from now on", exc, self._left())
        if self.stats is not None:
            self.stats.inc_value("parse/worker_lost")

    def close(self) -> None:
        for channel in self.channels:
            channel.close()
        self.channels = []
