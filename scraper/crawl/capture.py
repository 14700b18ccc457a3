"""Downloader middleware writing every request/response pair of a run to its WARC file.

Each run writes one gzipped WARC file (ISO 28500), ``captures/YYYY/<run-id>.warc.gz``, with
a ``request`` and a ``response`` record per fetch (headers as sent and received). The file
is named ``….warc.gz.open`` while the crawl runs and renamed when it ends; every record is
its own gzip member, so a crash loses at most the record being written.

The middleware sits on the downloader side of HttpCompressionMiddleware, so bodies are
stored as the server sent them (compressed when it compressed them). Reading them back is
``scraper.archive.captures``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from scraper import __version__
from scraper.archive import CAPTURES_DIR, OPEN_SUFFIX
from scraper.archive.captures import KIND_HEADER, SOURCE_HEADER

logger = logging.getLogger(__name__)


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found",
            500: "Internal Server Error", 503: "Service Unavailable"}  # fmt: skip


def _headers(headers: Any) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


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
        self.writer = WARCWriter(self.handle, gzip=True)
        info = self.writer.create_warcinfo_record(
            self.final.name,
            {"software": f"langson-archive/{__version__} (Scrapy, warcio)", "format": "WARC File Format 1.1"},
        )
        self.writer.write_record(info)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.handle is None:
            return response
        try:
            self._write(request, response)
            self.stats.inc_value("captures/responses")
        except OSError as exc:  # a full disk must not lose the crawl's records
            self.stats.inc_value("captures/errors")
            logger.error("could not write capture of %s: %s", response.url, exc)
        return response

    def _write(self, request: Request, response: Response) -> None:
        from warcio.statusandheaders import StatusAndHeaders

        parts = urlsplit(request.url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        req_headers = [("Host", parts.netloc), *_headers(request.headers)]
        req_http = StatusAndHeaders(f"{request.method} {target} HTTP/1.1", req_headers, is_http_request=True)
        req_record = self.writer.create_warc_record(
            request.url, "request", payload=BytesIO(request.body or b""), http_headers=req_http
        )
        protocol = (getattr(response, "protocol", None) or "HTTP/1.1").upper()
        reason = _REASONS.get(response.status, "")
        resp_http = StatusAndHeaders(f"{response.status} {reason}".strip(), _headers(response.headers), protocol)
        resp_record = self.writer.create_warc_record(
            response.url, "response", payload=BytesIO(response.body), http_headers=resp_http
        )
        req_record.rec_headers.add_header("WARC-Concurrent-To", resp_record.rec_headers.get_header("WARC-Record-ID"))
        for header, name in ((SOURCE_HEADER, "source"), (KIND_HEADER, "page_kind")):
            if request.meta.get(name):  # which site and what kind of page, for reparse: URLs may be aliases
                resp_record.rec_headers.add_header(header, str(request.meta[name]))
        self.writer.write_record(resp_record)
        self.writer.write_record(req_record)
        assert self.handle is not None
        self.handle.flush()

    def close(self) -> None:
        if self.handle is None:
            return
        self.handle.close()
        self.handle = None
        os.replace(self.path, self.final)
        self.stats.set_value("captures/file", str(self.final))
        if self.lifecycle:
            return  # the run report writes the manifest once, with this file under its final name
        from scraper.archive import Archive, ArchiveError

        try:  # the manifest was written before the file got its final name
            Archive(self.archive_root).write_manifest()
        except (ArchiveError, OSError) as exc:
            logger.error("could not update the manifest: %s", exc)
