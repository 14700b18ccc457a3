"""Reading the raw captures: the WARC files every run writes beside the archive.

Portals change templates and delete pages; the captures let records be rebuilt with a
newer extractor and no network (``langson-archive reparse``). The crawl writes them
(``scraper.crawl.capture``) with bodies as the server sent them; reading goes through
warcio, which undoes the content encoding, and never inflates a body past the crawl's cap.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Container, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from w3lib.encoding import html_to_unicode

from scraper.archive.store import capture_files
from scraper.pages.text import decode_page

logger = logging.getLogger(__name__)

# Extension fields of a response record (ISO 28500 allows them): the source and page kind
# the crawl requested the page as.
SOURCE_HEADER = "Langson-Archive-Source"
KIND_HEADER = "Langson-Archive-Page-Kind"


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


def _already(text: str) -> Callable[[], str]:
    """A ``decode`` for ``decode_page`` that hands back text decoded beforehand."""
    return lambda: text


class _Stderr:
    """What warcio writes to stderr while it reads (a decompression error it otherwise hides)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __enter__(self) -> _Stderr:
        self._saved, sys.stderr = sys.stderr, self
        return self

    def __exit__(self, *exc: object) -> None:
        sys.stderr = self._saved

    def write(self, text: str) -> int:
        if text.strip():
            self.lines.append(text.strip())
        return len(text)

    def flush(self) -> None:
        pass


_GZIP_MEMBER = b"\x1f\x8b\x08"  # each WARC record of a .warc.gz is a gzip member of its own


def _next_member(handle: BinaryIO, after: int) -> int | None:
    """The offset of the next gzip member starting after ``after``, or None at the end of the file."""
    handle.seek(after)
    carry, position = b"", after
    while chunk := handle.read(1 << 16):
        found = (carry + chunk).find(_GZIP_MEMBER)
        if found >= 0:
            return position - len(carry) + found
        carry, position = chunk[-2:], position + len(chunk)
    return None


def iter_captures(
    archive_root: str | os.PathLike[str],
    decode: bool = True,
    only: Container[tuple[str, int]] | None = None,
    max_bytes: int = MAX_CAPTURE_BYTES,
    damaged: list[str] | None = None,
) -> Iterator[Capture]:
    """The HTML responses stored in the archive's WARC files, decoded to text.

    The charset comes from the Content-Type header, then the page's own declaration,
    then detection, as a browser would. A damaged record (a file cut short by a crash, a
    corrupt block, a malformed header) is never yielded, not even cut short: it is skipped with
    a warning, named in ``damaged`` when given (a spot already named there is not warned about
    again), and reading goes on at the next record of the file.
    ``decode=False`` skips reading the bodies, for a quick pass over what is there;
    ``only`` yields just the captures it names by ``(file, offset)``.
    """
    for path in capture_files(archive_root):
        with path.open("rb") as handle:
            start: int | None = 0
            while start is not None:
                start = yield from _read_file(path, handle, start, decode, only, max_bytes, damaged)


def _read_file(
    path: Path,
    handle: BinaryIO,
    start: int,
    decode: bool,
    only: Container[tuple[str, int]] | None,
    max_bytes: int,
    damaged: list[str] | None,
) -> Generator[Capture, None, int | None]:
    """The captures of one file from byte ``start``; where to read on after a damaged record (None: done)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    handle.seek(start)
    records = ArchiveIterator(handle)
    stderr = _Stderr()
    try:
        while True:
            with stderr:
                record = next(records, None)
            if record is None:
                return None
            if record.rec_type != "response" or record.http_headers is None:
                with stderr:
                    records.read_to_end()
                if stderr.lines:
                    raise ValueError(stderr.lines[0])
                continue
            if not record.rec_headers.get_header("WARC-Target-URI"):
                logger.warning("%s: a response record with no WARC-Target-URI, skipped", path)
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower() and ctype:
                continue
            with stderr:
                body = record.content_stream().read(max_bytes + 1) if decode else b""
                offset = records.get_record_offset()  # reads the rest of the record: body first
            if stderr.lines:  # warcio met a corrupt block and handed back a cut body
                raise ValueError(stderr.lines[0])
            if len(body) > max_bytes:  # a gzip bomb, or a page over the crawl's cap: never inflated whole
                logger.warning("%s: %s inflates past %d bytes, skipped", path,
                               record.rec_headers.get_header("WARC-Target-URI"), max_bytes)  # fmt: skip
                continue
            if only is not None and (str(path), offset) not in only:
                continue
            text = ""
            if decode:
                encoding, decoded = html_to_unicode(ctype, body)
                text = decode_page(body, encoding, _already(decoded))
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
        at = records.offset  # the damaged record's start: warcio moves it on as each record is read through
        resume = _next_member(handle, at + 1)
        where = f"reading on at byte {resume}" if resume is not None else "nothing readable after it"
        spot = f"{path}@{at}"
        if damaged is None or spot not in damaged:  # a second pass over the same files says it once
            why = "".join(c if c.isprintable() else "?" for c in str(exc)[:80])  # warcio quotes the damaged bytes
            logger.warning("%s: a damaged record at byte %d skipped (%s); %s", path, at, why, where)
            if damaged is not None:
                damaged.append(spot)
        return resume
