"""``langson-archive reparse``: rebuild the records from the stored captures, no network."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from pathlib import Path
from typing import Any

from scraper import PARSE_TIMEOUT
from scraper.archive.lock import ArchiveLock
from scraper.cli import options
from scraper.crawl.lifecycle import EXIT_FAILED, EXIT_OK, refresh_data_package
from scraper.progress import logs_above, progress_bar
from scraper.records.reparse import reparse as rebuild_records

NAME = "reparse"
HELP = "rebuild every record from the stored captures with the current extractor (no network)"
DESCRIPTION = (
    "Read the newest capture of every digest from the archive's WARC files, extract it again with "
    "the current extractor and merge the results: a changed record gets a new revision, an unchanged "
    "one is not rewritten, a record with no capture is kept as it is. Prints each key added or "
    "changed, then a summary; exits 1 when a rebuilt record is invalid, a page took longer than "
    "--parse-timeout to parse, or a capture record is damaged (those records are kept as they are)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_archive_options(parser, ranged=False)
    options.add_progress_option(parser)
    parser.add_argument("--parse-timeout", type=float, default=PARSE_TIMEOUT, metavar="SECONDS",
                        help=f"give up a page that takes longer than this to parse (default {PARSE_TIMEOUT:g}; "
                        "0: no limit); its record is kept as it is")  # fmt: skip
    parser.add_argument("--log-level", default="WARNING", type=options.log_level, metavar="LEVEL",
                        help="log detail on stderr: DEBUG, INFO, WARNING (default) or ERROR")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    options.require_archive(args.out)
    logging.basicConfig(level=args.log_level, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    shown = args.progress if args.progress is not None else sys.stderr.isatty()
    started = time.monotonic()
    with ArchiveLock(args.out), contextlib.ExitStack() as stack:
        bars: list[Any] = []  # made once the number of pages to read is known

        def advance(done: int, total: int) -> None:
            if not bars:
                bars.append(stack.enter_context(progress_bar(total, "langson-archive reparse", " pages")))
                stack.enter_context(logs_above(sys.stderr))
            bars[0].update(done - bars[0].n)

        report = rebuild_records(args.out, progress=advance if shown else None, timeout=args.parse_timeout)
        merge = report.merge
        refresh_data_package(Path(args.out))
    for key in merge.updated:
        print(f"changed {key}")
    for key in merge.new:
        print(f"added {key}")
    print(
        f"langson-archive reparse: {report.captures} captured pages, {report.digests} digests: "
        f"{len(merge.new)} added, {len(merge.updated)} changed, {len(merge.unchanged)} unchanged, "
        f"{len(report.invalid)} invalid{f', {len(report.unparsed)} not parsed in time' if report.unparsed else ''}"
        f"{f', {len(report.damaged)} damaged capture records skipped' if report.damaged else ''}; "
        f"{len(merge.files_written)} files rewritten in "
        f"{time.monotonic() - started:.1f} s"
    )
    return EXIT_FAILED if report.invalid or report.unparsed or report.damaged else EXIT_OK
