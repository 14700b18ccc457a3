"""Parsing pages in a worker process, so that parsing overlaps fetching or reading captures.

Parsing a digest page is pure CPU work. The crawl (:mod:`scraper.crawl.parsing`) and
``reparse`` hand pages to one spawned worker process and go on with their own work
(Scrapy's engine; reading and decompressing WARC files) meanwhile; results come back in
the order pages were sent. ``workers=0`` parses in the calling process.

Nothing is hidden on the way: what the parser logs in the worker comes back with the
result and is logged again under the same logger names by :meth:`ParsedPage.relay_log`.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scraper.sites.profiles import SiteProfile

from .digest import DigestPage, Extraction

T = TypeVar("T")
logger = logging.getLogger(__name__)

PARENT_CHECK_SECONDS = 0.5  # how soon a worker whose caller was killed exits
_FAULT = os.environ.get("LANGSON_ARCHIVE_FAULT", "")  # test hook: "kill-parse-worker" (on its third page)


def default_workers() -> int:
    """One worker beside the calling process when there is a second core; none on one core."""
    return 1 if (os.cpu_count() or 1) > 1 else 0


@dataclass
class ParsedPage:
    """A parsed page and what the parser said on the way."""

    extraction: Extraction
    rejected: list[str] = field(default_factory=list)  # body candidates passed over, "strategy: why"
    log: list[tuple[str, int, str]] = field(default_factory=list)  # (logger, level, message), from a worker
    prepared: Any = None  # what the caller's ``then`` step made of the record (in the worker, when there is one)

    def relay_log(self) -> None:
        for name, level, message in self.log:
            logging.getLogger(name).log(level, "%s", message)


def parse_page(
    url: str, html: str, profile: SiteProfile, crawled_at: str | None = None, then: Callable[[Any], Any] | None = None
) -> ParsedPage:
    """Parse one page; ``then`` (a module-level function, so a worker can run it) is applied to its record."""
    page = DigestPage(url, html, profile)
    parsed = ParsedPage(page.extract(crawled_at), page.rejected)
    if then is not None and parsed.extraction.record is not None:
        parsed.prepared = then(parsed.extraction.record)
    return parsed


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


_collector: _Collect | None = None
_profiles: dict[str, SiteProfile] = {}  # each arrives unpickled, a new object, with every page
_pages = 0


def _exit_with_parent(parent: int) -> None:
    """A caller killed outright (SIGKILL) cannot stop its worker, which would wait for pages forever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _worker_init(parent: int) -> None:
    """A signal to the caller's process group is the caller's to handle: the worker ignores it."""
    global _collector
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # the caller's pid as it passed it: a caller killed while the worker was starting is seen too
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()
    _collector = _Collect()
    root = logging.getLogger()
    root.handlers[:] = [_collector]
    root.setLevel(logging.INFO)


def _parse_in_worker(
    url: str, html: str, profile: SiteProfile, crawled_at: str | None, then: Callable[[Any], Any] | None = None
) -> ParsedPage:
    global _pages
    _pages += 1
    if _FAULT == "kill-parse-worker" and _pages == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    assert _collector is not None
    _collector.records = []
    known = _profiles.get(profile.name)
    if known == profile:  # the one the worker has seen: what the parser computed of it is reused
        profile = known
    else:
        _profiles[profile.name] = profile
    parsed = parse_page(url, html, profile, crawled_at, then)
    parsed.log = _collector.records
    return parsed


class ParserPool:
    """``workers`` spawned processes parsing pages; none (or none that could start) parses here.

    A machine that cannot start one (no working ``sem_open``, as in some containers) is said
    once on the log and the pages are parsed in the calling process.
    """

    def __init__(self, workers: int) -> None:
        self.executor: ProcessPoolExecutor | None = None
        if workers > 0:
            import multiprocessing

            try:
                # spawned, not forked: a fork would copy a running reactor and the caller's open files
                context = multiprocessing.get_context("spawn")
                self.executor = ProcessPoolExecutor(
                    max_workers=workers, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),)
                )
            except (OSError, ImportError, NotImplementedError) as exc:
                logger.warning("cannot start a page parser process (%s); parsing in this process", exc)

    def submit(
        self,
        url: str,
        html: str,
        profile: SiteProfile,
        crawled_at: str | None,
        then: Callable[[Any], Any] | None = None,
    ) -> Future[ParsedPage]:
        assert self.executor is not None
        return self.executor.submit(_parse_in_worker, url, html, profile, crawled_at, then)

    def parse_in_order(
        self, pages: Iterable[tuple[T, str, str, SiteProfile, str | None]], window: int = 16
    ) -> Iterator[tuple[T, ParsedPage]]:
        """``(tag, url, html, profile, crawled_at)`` → ``(tag, parsed)`` in order, at most ``window`` in flight.

        The window keeps memory flat: pages are read only as fast as the worker parses them. A
        worker that dies is said once on the log; its pages and the rest are parsed here.
        """
        flight: deque[tuple[tuple[T, str, str, SiteProfile, str | None], Future[ParsedPage]]] = deque()
        for page in pages:
            if self.executor is None:
                while flight:
                    yield self._collect(*flight.popleft())
                yield page[0], parse_page(*page[1:])
                continue
            flight.append((page, self.submit(*page[1:])))
            if len(flight) >= window:
                yield self._collect(*flight.popleft())
        while flight:
            yield self._collect(*flight.popleft())

    def _collect(
        self, page: tuple[T, str, str, SiteProfile, str | None], future: Future[ParsedPage]
    ) -> tuple[T, ParsedPage]:
        try:
            return page[0], future.result()
        except BrokenProcessPool as exc:
            self.lost(exc)
            return page[0], parse_page(*page[1:])

    def lost(self, exc: BaseException) -> bool:
        """The worker died: say so once and parse here from now on; True the first time."""
        if self.executor is None:
            return False
        logger.warning("the page parser's worker process died (%s); parsing in this process from now on",
                       exc or type(exc).__name__)  # fmt: skip
        self.close(wait=False)
        return True

    def close(self, wait: bool = True) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=wait, cancel_futures=True)
            self.executor = None

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
