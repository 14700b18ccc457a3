"""``langson-archive status``: what the archive holds and what the last run did."""

from __future__ import annotations

import argparse
import json

from scraper.archive.status import build_status, format_status
from scraper.cli import options
from scraper.crawl.lifecycle import EXIT_OK

NAME = "status"
HELP = "digests per source and year, newest week, gaps, pending articles, last run"
DESCRIPTION = (
    "Summarise the archive: digests per source and year, the newest week, weeks with no digest, "
    "articles that failed and will be fetched first by the next run, and the last run's outcome. "
    "--json prints the same as one JSON object for monitoring."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_archive_options(parser, ranged=False)
    parser.add_argument("--json", action="store_true", help="print the status as JSON")


def run(args: argparse.Namespace) -> int:
    options.require_archive(args.out)
    status = build_status(args.out)
    print(json.dumps(status, ensure_ascii=False, indent=2) if args.json else format_status(status))
    return EXIT_OK
