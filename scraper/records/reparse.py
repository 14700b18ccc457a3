"""Rebuild records from the stored captures with the current extractor, with no network."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scraper import PARSE_TIMEOUT
from scraper.archive import OPEN_SUFFIX, Archive, MergeResult, capture_files
from scraper.archive.captures import Capture, iter_captures
from scraper.pages.workers import ParserPool, ParseTimeout, default_workers
from scraper.records.prepare import prepare_record
from scraper.sites.profiles import PROFILES, SiteProfile

logger = logging.getLogger(__name__)


@dataclass
class ReparseReport:
    captures: int = 0  # HTML responses read
    digests: int = 0  # distinct digests found in them
    invalid: list[str] = field(default_factory=list)  # URLs whose record broke the schema
    unparsed: list[str] = field(default_factory=list)  # URLs whose page took longer than the parse timeout
    damaged: list[str] = field(default_factory=list)  # "file@offset" of each damaged capture record skipped
    merge: MergeResult = field(default_factory=MergeResult)


def profile_for(capture: Capture) -> SiteProfile | None:
    """Which site an article capture belongs to: as recorded by the crawl, else by its URL's shape."""
    if capture.kind:
        return PROFILES.get(capture.source) if capture.kind == "article" else None
    return profile_for_url(capture.url)


def profile_for_url(url: str) -> SiteProfile | None:
    """Which site an article URL belongs to, by the shape of its path (hosts may be mirrors)."""
    for profile in PROFILES.values():
        if profile.is_article_url(url) and profile.record_key(url):
            return profile
    return None


def latest_captures(
    archive_root: str | os.PathLike[str], files: set[str] | None = None, damaged: list[str] | None = None
) -> tuple[int, dict[tuple[str, int], SiteProfile]]:
    """Which capture is the newest successful one of each article: (file, offset) → profile.

    Bodies are not read here, so memory does not grow with the size of the captured pages.
    Damaged records are skipped and named in ``damaged``.
    """
    seen = 0
    latest: dict[str, tuple[Capture, SiteProfile]] = {}
    for capture in iter_captures(archive_root, decode=False, damaged=damaged):
        if files is not None and capture.file not in files:
            continue
        seen += 1
        profile = profile_for(capture)
        if capture.status != 200 or profile is None:
            continue
        # a path alias has no key in its URL: one capture per alias (the record's key comes from the page)
        key = profile.record_key(capture.url) or f"{profile.name}:{urlsplit(capture.url).path}"
        if key not in latest or capture.date >= latest[key][0].date:
            latest[key] = (capture, profile)
    return seen, {(capture.file, capture.offset): profile for capture, profile in latest.values()}


def reparse(
    archive_root: str | os.PathLike[str],
    files: set[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    timeout: float | None = PARSE_TIMEOUT,
) -> ReparseReport:
    """Re-extract every captured digest (of ``files`` only, when given) and merge the results.

    Records with no capture are left as they are; a changed record is updated (with its
    revision history), an unchanged one is not rewritten. ``progress(done, total)`` is
    called as pages are read. Pages are parsed in ``workers`` worker processes while the
    captures are read (default: one when there is a second core; 0 parses here); a page a
    worker spends more than ``timeout`` seconds on is not rebuilt (``report.unparsed``).
    """
    report = ReparseReport()
    report.captures, latest = latest_captures(archive_root, files, report.damaged)
    records: list[dict[str, Any]] = []
    pages = (
        (capture.url, capture.url, capture.html, latest[(capture.file, capture.offset)],
         capture.date.replace("Z", "+00:00") if capture.date else None)
        for capture in iter_captures(archive_root, only=latest, damaged=report.damaged)  # a page's text at a time
    )  # fmt: skip
    with ParserPool(default_workers() if workers is None else workers, timeout) as pool:
        for done, (url, parsed) in enumerate(pool.parse_in_order(pages), 1):
            if progress is not None:
                progress(done, len(latest))
            if isinstance(parsed, ParseTimeout):  # its record, if archived, stays as it is
                report.unparsed.append(url)
                logger.error("could not parse %s: %s; not rebuilt", url, parsed)
                continue
            parsed.relay_log()
            result = parsed.extraction
            if result.unusable:
                logger.warning("%s: %s; not rebuilt", url, result.reason)
            if not result.is_digest or result.record is None:
                continue
            prepared = prepare_record(result.record)  # the crawl's pipelines run the same steps
            if not prepared.valid:
                report.invalid.append(url)
                logger.error("invalid record from %s: %s", url, "; ".join(prepared.problems))
                continue
            records.append(prepared.record)
    report.digests = len(records)
    archive = Archive(archive_root)
    report.merge = archive.merge(records)
    archive.write_manifest()
    return report


def recover_open_captures(archive_root: str | os.PathLike[str]) -> ReparseReport | None:
    """Archive the digests in capture files that runs left open, then close the files.

    A capture file keeps its ``.open`` suffix until its run ends; one still open when no run
    holds the lock belongs to a run that was killed (or stopped at once) before its records
    were archived. None when there is nothing to recover.
    """
    open_files = [p for p in capture_files(archive_root) if p.name.endswith(OPEN_SUFFIX)]
    if not open_files:
        return None
    report = reparse(archive_root, files={str(p) for p in open_files})
    for path in open_files:
        os.replace(path, path.with_name(path.name[: -len(OPEN_SUFFIX)]))
    logger.info("recovered %d digests from %s", report.digests, ", ".join(p.name for p in open_files))
    return report
