"""Reading the raw captures: the WARC files every run writes beside the archive.

Portals change templates and delete pages; the captures let records be rebuilt with a
newer extractor and no network (``langson-archive reparse``). The crawl writes them
(``scraper.crawl.capture``) with bodies as the server sent them; reading goes through
warcio, which undoes the content encoding, and never inflates a body past the crawl's cap.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass

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
                logger.warning("%s: stopped reading at a damaged record (%s)", path, exc)
