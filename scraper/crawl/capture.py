"""Downloader middleware writing every request/response pair of a run to its WARC file.

Each run writes one gzipped WARC file (ISO 28500), ``captures/YYYY/<run-id>.warc.gz``, with
a ``request`` and a ``response`` record per fetch (headers as sent and received). The file
is named ``….warc.gz.open`` while the crawl runs and renamed when it ends; every record is
its own gzip member, so a crash loses at most the records being written. Members are
compressed by ISA-L (python-isal, level 3) when it is installed, else by zlib (level 6):
any gzip reader reads either.

Hashing and compressing are the costly part of a capture, so they are done off the
crawl's thread: the crawl hands each record's HTTP head and body to a writer thread that
computes the WARC digests, writes the headers, compresses and appends (hashlib and zlib
release the GIL, so this runs on another core). Fetches are handed over in batches, at most
``CAPTURE_BATCH`` of them or what ``CAPTURE_LINGER`` seconds brought (a crawl at the polite
delay hands each fetch over as it comes): every hand-over wakes the writer thread, and on a
fast crawl waking it per fetch cost 4 % of the run. At most ``CAPTURE_QUEUE`` batches wait
for it; a write that fails (a full disk) is logged with its URL and counted in
``captures/errors``, and the crawl goes on.

The middleware sits on the downloader side of HttpCompressionMiddleware, so bodies are
stored as the server sent them (compressed when it compressed them). Reading them back is
``scraper.archive.captures``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import os
import queue
import random
import sys
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.reactor import CallLaterOnce

from scraper import __version__
from scraper.archive import CAPTURES_DIR, OPEN_SUFFIX
from scraper.archive.captures import KIND_HEADER, SOURCE_HEADER

logger = logging.getLogger(__name__)


CAPTURE_QUEUE = 32  # batches waiting for the writer thread, at most
CAPTURE_BATCH = 16  # fetches handed to the writer thread at once, at most
CAPTURE_LINGER = 0.25  # seconds since the last hand-over after which a fetch is handed over at once


Fetch = tuple[str, tuple["bytes | PendingRecord", ...]]  # (url, its records): one fetch's hand-over


@dataclass(frozen=True)
class GzipBackend:
    """Who compresses each record into its gzip member, and at what level."""

    name: str
    compressobj: Any  # zlib's signature: (level, method, wbits)
    level: int

    def member(self, data: bytes) -> bytes:
        compressor = self.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        return compressor.compress(data) + compressor.flush()


ZLIB = GzipBackend("zlib", zlib.compressobj, 6)  # on the portals' pages level 9 is no smaller, 1 is 10 % larger


def gzip_backend() -> GzipBackend:
    """ISA-L (python-isal) at level 3: compressing is 80 % of a capture's cost, and ISA-L's level 3
    is 4.5× faster than zlib's level 6 for 7 % more bytes. zlib when isal is not installed."""
    try:
        from isal import isal_zlib
    except ImportError:
        return ZLIB
    return GzipBackend("isal", isal_zlib.compressobj, 3)


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found",
            500: "Internal Server Error", 503: "Service Unavailable"}  # fmt: skip


def _headers(headers: Any) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


@dataclass
class PendingRecord:
    """A WARC record the writer thread completes: digests, headers, compression (all off the crawl's thread)."""

    kind: str  # "request" or "response"
    uri: str
    record_id: str
    date: str  # WARC-Date, UTC with microseconds (WARC/1.1)
    http_head: bytes  # status line and headers, as warcio serializes them
    payload: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)  # further WARC headers

    def serialize(self) -> bytes:
        payload_digest = "sha1:" + base64.b32encode(hashlib.sha1(self.payload).digest()).decode("ascii")
        block = hashlib.sha1(self.http_head)
        block.update(self.payload)
        lines = [
            "WARC/1.1",
            f"WARC-Type: {self.kind}",
            f"WARC-Record-ID: {self.record_id}",
            f"WARC-Target-URI: {self.uri}",
            f"WARC-Date: {self.date}",
            f"WARC-Payload-Digest: {payload_digest}",
            f"WARC-Block-Digest: sha1:{base64.b32encode(block.digest()).decode('ascii')}",
            *(f"{name}: {value}" for name, value in self.headers),
            f"Content-Type: application/http; msgtype={self.kind}",
            f"Content-Length: {len(self.http_head) + len(self.payload)}",
        ]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
        return b"".join((head, self.http_head, self.payload, b"\r\n\r\n"))


class CaptureWriter(threading.Thread):
    """Append WARC records to a file, each its own gzip member, in a thread of its own.

    Hashing and compressing release the GIL: this runs beside the crawl, on another core.
    """

    def __init__(
        self,
        handle: BinaryIO,
        gzip: GzipBackend | None = None,
        batch: int = CAPTURE_BATCH,
        linger: float = CAPTURE_LINGER,
    ) -> None:
        super().__init__(name="warc-writer", daemon=True)
        self.handle = handle
        self.gzip = gzip or gzip_backend()
        self.queue: queue.Queue[list[Fetch] | None] = queue.Queue(maxsize=CAPTURE_QUEUE)
        self.failures: queue.SimpleQueue[tuple[str, OSError]] = queue.SimpleQueue()  # (url, error), for the crawl
        self.batch, self.linger = max(1, batch), linger
        self.pending: list[Fetch] = []  # fetches not handed over yet (the crawl's thread only)
        self.handed_at = time.monotonic()

    def put(self, url: str, *records: bytes | PendingRecord) -> None:
        """Queue ``records`` (a fetch's response and request) for writing; see ``CAPTURE_BATCH``."""
        self.pending.append((url, records))
        now = time.monotonic()
        if len(self.pending) >= self.batch or now - self.handed_at >= self.linger:
            self.hand_over(now)

    def hand_over(self, now: float | None = None) -> None:
        """Give the writer thread the fetches waiting in the crawl's thread."""
        if self.pending:
            self.queue.put(self.pending)
            self.pending = []
        self.handed_at = time.monotonic() if now is None else now

    def run(self) -> None:
        while (fetches := self.queue.get()) is not None:
            for url, records in fetches:
                members = [self.gzip.member(r if isinstance(r, bytes) else r.serialize()) for r in records]
                try:
                    self.handle.write(b"".join(members))
                    self.handle.flush()
                except OSError as exc:
                    self.failures.put((url, exc))

    def close(self) -> None:
        """Write what is waiting, then stop."""
        self.hand_over()
        self.queue.put(None)
        self.join()


class WarcCaptureMiddleware:
    """Downloader middleware: write each request/response pair to the run's WARC file."""

    def __init__(self, crawler: Crawler):
        from warcio.warcwriter import WARCWriter

        if not crawler.settings.getbool("CAPTURES_ENABLED", True):
            raise NotConfigured("captures disabled")
        self.archive_root = Path(crawler.settings.get("ARCHIVE_DIR", "output"))
        root = self.archive_root / CAPTURES_DIR
        now = dt.datetime.now(dt.timezone.utc)
        self.lifecycle = bool(crawler.settings.get("RUN_ID"))  # run by the lifecycle: one id, one manifest write
        self.run_id = crawler.settings.get("RUN_ID") or now.strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"
        self.final = root / now.strftime("%Y") / f"{self.run_id}.warc.gz"
        self.path = self.final.with_name(self.final.name + OPEN_SUFFIX)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.stats = crawler.stats
        self.handle: BinaryIO | None = self.path.open("ab")
        self.spool = BytesIO()  # one record at a time, serialized uncompressed for the writer thread
        self.ids = random.Random(os.urandom(32))  # WARC-Record-IDs: unique, not secret
        self.writer = WARCWriter(self.spool, gzip=False)
        self.thread = CaptureWriter(self.handle)
        self.later = CallLaterOnce(self.thread.hand_over)  # what waits is handed over soon (_hand_over_later)
        self.thread.start()
        gzip = self.thread.gzip  # zlib, the slower, when python-isal is missing: said here either way
        logger.info("capturing to %s (gzip members by %s, level %d)", self.path, gzip.name, gzip.level)
        info = self.writer.create_warcinfo_record(
            self.final.name,
            {"software": f"langson-archive/{__version__} (Scrapy, warcio)", "format": "WARC File Format 1.1"},
        )
        self._queue(self.final.name, info)
        crawler.signals.connect(self.close, signal=signals.spider_closed)
        reactor = sys.modules.get("twisted.internet.reactor")  # the crawl's, once Scrapy installed it
        if reactor is not None:
            reactor.addSystemEventTrigger("before", "shutdown", self.stopped_at_once)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.handle is None:
            return response
        self._write(request, response)
        self._hand_over_later()
        self.stats.inc_value("captures/responses")
        self._report_failures()
        return response

    def _queue(self, url: str, record: Any) -> None:
        """Hand a record warcio made (the run's warcinfo) to the writer thread at once."""
        self.writer.write_record(record)
        self.thread.put(url, self.spool.getvalue())
        self.thread.hand_over()
        self.spool.seek(0)
        self.spool.truncate()

    def _report_failures(self) -> None:
        """Failed writes of the writer thread: a full disk must not lose the crawl's records."""
        while not self.thread.failures.empty():
            url, exc = self.thread.failures.get()
            self.stats.inc_value("captures/errors")
            logger.error("could not write capture of %s: %s", url, exc)

    def _write(self, request: Request, response: Response) -> None:
        from warcio.statusandheaders import StatusAndHeaders

        parts = urlsplit(request.url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        req_headers = [("Host", parts.netloc), *_headers(request.headers)]
        req_http = StatusAndHeaders(f"{request.method} {target} HTTP/1.1", req_headers, is_http_request=True)
        protocol = (getattr(response, "protocol", None) or "HTTP/1.1").upper()
        reason = _REASONS.get(response.status, "")
        resp_http = StatusAndHeaders(f"{response.status} {reason}".strip(), _headers(response.headers), protocol)
        date = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        response_id, request_id = self._record_id(), self._record_id()
        extra = [
            (header, str(request.meta[name]))
            for header, name in ((SOURCE_HEADER, "source"), (KIND_HEADER, "page_kind"))
            if request.meta.get(name)
        ]  # which site and what kind of page, for reparse: URLs may be aliases
        self.thread.put(
            response.url,
            PendingRecord(
                "response", response.url, response_id, date, resp_http.to_ascii_bytes(), response.body, extra
            ),
            PendingRecord("request", request.url, request_id, date, req_http.to_ascii_bytes(), request.body or b"",
                          [("WARC-Concurrent-To", response_id)]),
        )  # fmt: skip

    def _hand_over_later(self) -> None:
        """Fetches left waiting when the crawl goes quiet are handed over ``CAPTURE_LINGER`` s later."""
        if self.thread.pending:
            self.later.schedule(self.thread.linger)  # once: a call already scheduled stays

    def _record_id(self) -> str:
        """A version-4 UUID from a generator seeded once from the OS: no system call per record."""
        return f"<urn:uuid:{uuid.UUID(int=self.ids.getrandbits(128), version=4)}>"

    def stopped_at_once(self) -> None:
        """The reactor stops with the spider still open (a second Ctrl-C): write every fetch, keep ``.open``.

        The crawl then rebuilds the run's records from this file; what still waited for the
        writer thread must be in it, and nothing may be appending while it is read.
        """
        self._write_all()

    def _write_all(self) -> bool:
        """Write every fetch still waiting and close the file; False when it was closed already."""
        if self.handle is None:
            return False
        self.later.cancel()
        self.thread.close()
        self._report_failures()
        self.handle.close()
        self.handle = None
        return True

    def close(self) -> None:
        if not self._write_all():
            return
        os.replace(self.path, self.final)
        self.stats.set_value("captures/file", str(self.final))
        if self.lifecycle:
            return  # the run report writes the manifest once, with this file under its final name
        from scraper.archive import Archive, ArchiveError

        try:  # the manifest was written before the file got its final name
            Archive(self.archive_root).write_manifest()
        except (ArchiveError, OSError) as exc:
            logger.error("could not update the manifest: %s", exc)
