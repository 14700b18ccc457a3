"""Raw captures: every response the crawl receives, kept as WARC (ISO 28500) beside the archive.

Portals change templates and delete pages; the captures let records be rebuilt with a
newer extractor and no network (``langson-archive reparse``). Each run writes one gzipped
WARC file, ``captures/YYYY/<run-id>.warc.gz``, with a ``request`` and a ``response``
record per fetch (headers as sent and received). The file is named ``….warc.gz.open``
while the crawl runs and renamed when it ends; every record is its own gzip member, so
a crash loses at most the record being written.

The middleware sits on the downloader side of HttpCompressionMiddleware, so bodies are
stored as the server sent them (compressed when it compressed them); reading goes through
warcio, which undoes the content encoding.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Container, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from w3lib.encoding import html_to_unicode

from scraper import __version__
from scraper.archive import CAPTURES_DIR, OPEN_SUFFIX, capture_files
from scraper.textnorm import decode_page

logger = logging.getLogger(__name__)

# Extension fields of a response record (ISO 28500 allows them): the source and page kind
# the crawl requested the page as.
SOURCE_HEADER = "Langson-Archive-Source"
KIND_HEADER = "Langson-Archive-Page-Kind"


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
        self.lifecycle = bool(crawler.settings.get("RUN_ID"))  # run by scraper.runs: one id, one manifest write
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


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found",
            500: "Internal Server Error", 503: "Service Unavailable"}  # fmt: skip


@dataclass
class Capture:
    url: str
    date: str  # WARC-Date, ISO 8601 UTC
    status: int
    html: str  # "" when read with ``decode=False``
    file: str
    offset: int  # of the WARC record in its file: with ``file``, names one capture
    source: str = ""  # the profile name the crawl fetched it for ("" in captures before 0.2)
    kind: str = ""  # "article", "listing" or ""


MAX_CAPTURE_BYTES = 10 * 1024 * 1024  # the crawl's DOWNLOAD_MAXSIZE default


def iter_captures(
    archive_root: str | os.PathLike[str],
    decode: bool = True,
    only: Container[tuple[str, int]] | None = None,
    max_bytes: int = MAX_CAPTURE_BYTES,
) -> Iterator[Capture]:
    """The HTML responses stored in the archive's WARC files, decoded to text.

    The charset comes from the Content-Type header, then the page's own declaration,
    then detection, as a browser would. A file cut short by a crash yields the records
    before the damage and a warning. ``decode=False`` skips reading the bodies, for a
    quick pass over what is there; ``only`` yields just the captures it names by
    ``(file, offset)``.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    for path in capture_files(archive_root):
        with path.open("rb") as handle:
            try:
                records = ArchiveIterator(handle)
                for record in records:
                    if record.rec_type != "response" or record.http_headers is None:
                        continue
                    if not record.rec_headers.get_header("WARC-Target-URI"):
                        logger.warning("%s: a response record with no WARC-Target-URI, skipped", path)
                        continue
                    ctype = record.http_headers.get_header("Content-Type") or ""
                    if "html" not in ctype.lower() and ctype:
                        continue
                    body = record.content_stream().read(max_bytes + 1) if decode else b""
                    if len(body) > max_bytes:  # a gzip bomb, or a page over the crawl's cap: never inflated whole
                        logger.warning("%s: %s inflates past %d bytes, skipped", path,
                                       record.rec_headers.get_header("WARC-Target-URI"), max_bytes)  # fmt: skip
                        continue
                    offset = records.get_record_offset()  # reads the rest of the record: body first
                    if only is not None and (str(path), offset) not in only:
                        continue
                    text = ""
                    if decode:
                        encoding, decoded = html_to_unicode(ctype, body)
                        text = decode_page(body, encoding, lambda d=decoded: d)
                    yield Capture(
                        url=record.rec_headers.get_header("WARC-Target-URI"),
                        date=record.rec_headers.get_header("WARC-Date"),
                        status=int(record.http_headers.get_statuscode() or 0),
                        html=text,
                        file=str(path),
                        offset=offset,
                        source=record.rec_headers.get_header(SOURCE_HEADER) or "",
                        kind=record.rec_headers.get_header(KIND_HEADER) or "",
                    )
            # warcio itself raises AttributeError or TypeError on some damaged records
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError, TypeError) as exc:
                logger.warning("%s: stopped reading at a damaged record (%s)", path, exc)
