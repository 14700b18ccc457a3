"""``langson-archive clear-pending``: forget articles that failed, for pages gone for good."""

from __future__ import annotations

import argparse

from scraper.archive import PendingArticles
from scraper.archive.lock import ArchiveLock
from scraper.cli import options
from scraper.crawl.lifecycle import EXIT_OK
from scraper.sites.profiles import PROFILES

NAME = "clear-pending"
HELP = "forget the articles that failed (fetched first by the next run) or were given up"
DESCRIPTION = (
    "Forget the pending and given-up articles (state/pending.json) that `status` lists: for a page gone "
    "for good. Without --source, of both sources."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_archive_options(parser, ranged=False)
    parser.add_argument("--source", choices=[*PROFILES, "all"], default=None, help="only this portal's")


def run(args: argparse.Namespace) -> int:
    options.require_archive(args.out)
    with ArchiveLock(args.out):
        pending = PendingArticles(args.out)
        count = pending.clear(None if args.source in (None, "all") else args.source)
        pending.save()
    print(f"langson-archive clear-pending: {count} pending articles forgotten")
    return EXIT_OK
