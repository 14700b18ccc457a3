"""Parsing pages in a worker process, so that parsing overlaps fetching or reading captures.

Parsing a digest page is pure CPU work. The crawl (:mod:`scraper.crawl.parsing`) and
``reparse`` hand pages to one spawned worker process and go on with their own work
(Scrapy's engine; reading and decompressing WARC files) meanwhile; results come back in
the order pages were sent. ``workers=0`` parses in the calling process. The crawl talks to
its worker over a socket pair its event loop watches (:class:`ParserChannel`), ``reparse``
through ``concurrent.futures`` (:class:`ParserPool`).

Nothing is hidden on the way: what the parser logs in the worker comes back with the
result and is logged again under the same logger names by :meth:`ParsedPage.relay_log`.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import pickle
import queue
import signal
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout  # TimeoutError itself from Python 3.11
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

from scraper import PARSE_TIMEOUT
from scraper.sites.profiles import SiteProfile

from .digest import DigestPage, Extraction

T = TypeVar("T")
logger = logging.getLogger(__name__)

PARENT_CHECK_SECONDS = 0.5  # how soon a worker whose caller was killed exits
# test hooks: "kill-parse-worker" (on its third page), "hang-parse-worker:TEXT" (on a page whose URL holds TEXT)
_FAULT = os.environ.get("LANGSON_ARCHIVE_FAULT", "")


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
    if _FAULT.startswith("hang-parse-worker:") and _FAULT.split(":", 1)[1] in url:
        while True:  # as a pattern backtracking for ever would: deaf to everything but SIGKILL
            time.sleep(3600)
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


_FRAME = struct.Struct("!I")  # each message on a channel: its length, then its pickle


def _frame(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _FRAME.pack(len(data)) + data


def _serve_channel(sock: socket.socket, parent: int) -> None:
    """A channel's worker: read pages, parse each, send results back in order, until the caller hangs up.

    Results go out from a thread of their own, so the worker always goes on reading: a caller
    writing pages can never wait on a worker waiting for the caller to read its results.
    """
    _worker_init(parent)
    outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def send() -> None:
        while (frame := outbox.get()) is not None:
            try:
                sock.sendall(frame)
            except OSError:  # the caller is gone
                os._exit(0)

    sender = threading.Thread(target=send, name="results", daemon=True)
    sender.start()
    reader = sock.makefile("rb")
    while True:
        try:
            head = reader.read(_FRAME.size)
            body = reader.read(_FRAME.unpack(head)[0]) if len(head) == _FRAME.size else b""
        except OSError:  # the caller hung up with results unread: it is gone
            break
        if not body:  # the end of the caller's pages, or the caller killed mid-page
            break
        args = pickle.loads(body)
        try:
            result: tuple[str, object] = ("page", _parse_in_worker(*args))
        except Exception as exc:  # the caller's to report, as for a page parsed there
            result = ("error", exc)
        try:
            frame = _frame(result)
        except Exception:  # an exception that does not pickle: its text does
            frame = _frame(("error", RuntimeError(f"{type(result[1]).__name__}: {result[1]}")))
        outbox.put(frame)
    outbox.put(None)
    sender.join()


class WorkerLost(Exception):
    """The channel's worker process exited (killed, out of memory) before it answered."""


class WorkerStuck(WorkerLost):
    """The channel killed its worker: a page took longer than the channel's timeout (the others are not to blame)."""


class ParseTimeout(Exception):
    """A page the worker did not finish parsing in time; the worker was killed for it."""


class ParserChannel:
    """One spawned worker parsing pages for a caller running an asyncio loop (the crawl's reactor).

    Pages go out and results come back over a socket pair the loop watches: no thread in the
    calling process, where every hand-over between threads costs the crawl's thread the GIL
    (``concurrent.futures``' pool takes three hand-overs and two threads a page). Results come
    back in the order pages were sent; a worker that dies fails every page waiting with
    :class:`WorkerLost`, and the caller parses them itself. A page that takes longer than
    ``timeout`` seconds (a pattern backtracking for ever cannot be interrupted, only killed)
    fails with :class:`ParseTimeout` and the worker is killed: the pages behind it fail with
    :class:`WorkerStuck`, for the caller to send to another worker.
    """

    def __init__(self, timeout: float | None = None) -> None:
        import multiprocessing

        ours, theirs = socket.socketpair()
        try:
            # spawned, not forked: a fork would copy a running reactor and the caller's open files
            self.process = multiprocessing.get_context("spawn").Process(
                target=_serve_channel, args=(theirs, os.getpid()), name="page-parser", daemon=True
            )
            self.process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()  # the worker holds its end now: its exit is our end's EOF
        ours.setblocking(False)
        self.sock: socket.socket | None = ours
        # a crawl stopped at once (a second Ctrl-C) never closes its parser: the worker, deaf to
        # signals, would wait for pages and multiprocessing's exit handler for the worker
        atexit.register(self.close)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.waiting: deque[asyncio.Future[ParsedPage]] = deque()
        self.inbox = bytearray()
        self.outbox = bytearray()
        self.writing = False
        self.timeout = timeout if timeout and timeout > 0 else None
        self.head_since = 0.0  # when the page at the head of ``waiting`` (the one being parsed) got there
        self.watchdog: asyncio.TimerHandle | None = None

    async def parse(
        self, url: str, html: str, profile: SiteProfile, crawled_at: str | None, then: Callable[[Any], Any] | None
    ) -> ParsedPage:
        if self.sock is None:
            raise WorkerLost("the worker process is gone")
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self.loop.add_reader(self.sock.fileno(), self._readable)
        future: asyncio.Future[ParsedPage] = self.loop.create_future()
        if not self.waiting:
            self.head_since = time.monotonic()
        self.waiting.append(future)
        self.outbox += _frame((url, html, profile, crawled_at, then))
        self._write()
        if self.timeout is not None and self.watchdog is None:
            self.watchdog = self.loop.call_later(self.timeout, self._watch)
        return await future

    def _watch(self) -> None:
        """Kill a worker stuck on one page; look again when the page now at the head would run out of time."""
        self.watchdog = None
        if self.sock is None or not self.waiting or self.timeout is None or self.loop is None:
            return
        late = time.monotonic() - self.head_since - self.timeout
        if late < 0:
            self.watchdog = self.loop.call_later(-late, self._watch)
            return
        self.process.kill()
        stuck = self.waiting.popleft()
        if not stuck.done():
            stuck.set_exception(ParseTimeout(f"the page took longer than {self.timeout:g} s to parse"))
        self._lost(WorkerStuck(f"killed after a page took longer than {self.timeout:g} s"))

    def _write(self) -> None:
        assert self.sock is not None and self.loop is not None
        try:
            sent = self.sock.send(self.outbox)
        except BlockingIOError:
            sent = 0
        except OSError as exc:
            self._lost(exc)
            return
        del self.outbox[:sent]
        if self.outbox and not self.writing:  # the worker is behind: the loop sends the rest
            self.loop.add_writer(self.sock.fileno(), self._write)
        elif not self.outbox and self.writing:
            self.loop.remove_writer(self.sock.fileno())
        self.writing = bool(self.outbox)

    def _readable(self) -> None:
        assert self.sock is not None
        try:
            chunk = self.sock.recv(1 << 20)
        except BlockingIOError:
            return
        except OSError as exc:
            self._lost(exc)
            return
        if not chunk:
            self._lost(WorkerLost(f"it exited with status {self._exit_status()}"))
            return
        self.inbox += chunk
        while len(self.inbox) >= _FRAME.size:
            end = _FRAME.size + _FRAME.unpack_from(self.inbox)[0]
            if len(self.inbox) < end:
                break
            kind, value = pickle.loads(self.inbox[_FRAME.size : end])
            del self.inbox[:end]
            future = self.waiting.popleft()
            self.head_since = time.monotonic()
            if future.done():  # cancelled meanwhile
                continue
            if kind == "page":
                future.set_result(value)
            else:
                future.set_exception(value)

    def _exit_status(self) -> int | None:
        self.process.join(timeout=1)
        return self.process.exitcode

    def _lost(self, exc: BaseException) -> None:
        lost = exc if isinstance(exc, WorkerLost) else WorkerLost(str(exc) or type(exc).__name__)
        while self.waiting:  # before close(), which cancels what still waits
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(lost)
        self.close()

    def close(self) -> None:
        """Hang up: the worker reads the end of its input and exits."""
        if self.sock is None:
            return
        atexit.unregister(self.close)
        if self.watchdog is not None:
            self.watchdog.cancel()
            self.watchdog = None
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.sock.fileno())
            if self.writing:
                self.loop.remove_writer(self.sock.fileno())
        self.sock.close()
        self.sock = None
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        for future in self.waiting:
            future.cancel()
        self.waiting.clear()


class ParserPool:
    """``workers`` spawned processes parsing pages; none (or none that could start) parses here.

    A machine that cannot start one (no working ``sem_open``, as in some containers) is said
    once on the log and the pages are parsed in the calling process. A page not parsed
    ``timeout`` seconds after it was waited for is given up (:class:`ParseTimeout` in its
    place): the workers are killed, new ones take the pages behind it.
    """

    def __init__(self, workers: int, timeout: float | None = PARSE_TIMEOUT) -> None:
        self.workers = workers
        self.timeout = timeout if timeout and timeout > 0 else None
        self.executor: ProcessPoolExecutor | None = self._start() if workers > 0 else None

    def _start(self) -> ProcessPoolExecutor | None:
        import multiprocessing

        try:
            # spawned, not forked: a fork would copy a running reactor and the caller's open files
            context = multiprocessing.get_context("spawn")
            return ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),)
            )
        except (OSError, ImportError, NotImplementedError) as exc:
            logger.warning("cannot start a page parser process (%s); parsing in this process", exc)
            return None

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
    ) -> Iterator[tuple[T, ParsedPage | ParseTimeout]]:
        """``(tag, url, html, profile, crawled_at)`` → ``(tag, parsed)`` in order, at most ``window`` in flight.

        The window keeps memory flat: pages are read only as fast as the worker parses them. A
        worker that dies is said once on the log; its pages and the rest are parsed here.
        """
        flight: deque[tuple[tuple[T, str, str, SiteProfile, str | None], Future[ParsedPage]]] = deque()
        for page in pages:
            if self.executor is None:
                while flight:
                    yield self._collect(flight)
                yield page[0], parse_page(*page[1:])
                continue
            flight.append((page, self.submit(*page[1:])))
            if len(flight) >= window:
                yield self._collect(flight)
        while flight:
            yield self._collect(flight)

    def _collect(
        self, flight: deque[tuple[tuple[T, str, str, SiteProfile, str | None], Future[ParsedPage]]]
    ) -> tuple[T, ParsedPage | ParseTimeout]:
        page, future = flight.popleft()
        try:
            return page[0], future.result(timeout=self.timeout)
        except BrokenProcessPool as exc:
            self.lost(exc)
            return page[0], parse_page(*page[1:])
        except FutureTimeout:  # stuck on this page: the pages behind it go to new workers
            self._kill()
            logger.warning("a page took longer than %g s to parse (%s); its worker was killed, a new one parses on",
                           self.timeout, page[1])  # fmt: skip
            self.executor = self._start()
            if self.executor is not None:
                for n, (behind, _) in enumerate(flight):
                    flight[n] = (behind, self.submit(*behind[1:]))
            return page[0], ParseTimeout(f"the page took longer than {self.timeout:g} s to parse")

    def _kill(self) -> None:
        """Kill the pool's workers (a stuck one does not hear anything else)."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        kill = getattr(executor, "kill_workers", None)  # Python 3.14
        if kill is not None:
            kill()
        else:
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

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
