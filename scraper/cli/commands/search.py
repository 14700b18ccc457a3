"""``langson-archive search QUERY``: Vietnamese-aware full-text search of the archive."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys

from scraper.archive import ArchiveError
from scraper.archive.lock import ArchiveLock, LockHeld
from scraper.cli import options
from scraper.cli.options import UsageError
from scraper.crawl.lifecycle import EXIT_FAILED, EXIT_OK
from scraper.search import SearchIndex
from scraper.sites.profiles import PROFILES

INDEXING_NOTE_FROM = 24  # month files to read before the search says it is indexing (two years' worth)

NAME = "search"
HELP = "find digests by words or document numbers, with or without diacritics"
DESCRIPTION = (
    "Search the archived digests, best match first (BM25), each with its key, week, title and a "
    "snippet with the match marked «like this». Without --exact a query needs no diacritics: "
    '"dau tu" finds "đầu tư", "d" matches "đ", and "hoa", "hòa" and "hoà" match each other; '
    "--exact keeps the diacritics (both tone-mark placements still match). Words in quotes must "
    'stand together ("le hoi"). A document number is one term whatever its spacing or "QĐ"/"QD" '
    "spelling (379/QĐ-UBND, 379 /QD-UBND). The index (index/search.sqlite in the archive) is "
    "brought up to date after every crawl and before every search. Exits 1 when nothing matches."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", metavar="QUERY", help='words, "a phrase", or a document number')
    options.add_archive_options(parser)
    parser.add_argument("--exact", action="store_true", help="match diacritics as written")
    parser.add_argument("--agency", metavar="NAME", help="only directives of this agency (as lead or partner)")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="results to show (default 10)")
    parser.add_argument("--json", action="store_true", help="one JSON object per result")


def run(args: argparse.Namespace) -> int:
    options.check_range(args)
    options.require_archive(args.out)
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    query = " ".join(args.query).strip()
    if not query:
        raise UsageError("the query is empty")
    index = SearchIndex(args.out)

    def reading(month_files: int) -> None:
        if month_files >= INDEXING_NOTE_FROM:  # a first search of a large archive takes a while: say why
            print(f"langson-archive search: indexing {month_files} month files changed since the last search",
                  file=sys.stderr)  # fmt: skip

    try:
        with ArchiveLock(args.out):
            index.update(reading=reading)
    except LockHeld:
        if not index.exists():
            raise
        print("langson-archive search: note: a run holds the archive; searching the index as it was",
              file=sys.stderr)  # fmt: skip
    except (sqlite3.Error, ArchiveError) as exc:
        raise ArchiveError(f"search index {index.path}: {exc}") from None
    source = None if args.source == "all" else PROFILES[args.source].source
    try:
        results = index.search(query, exact=args.exact, date_from=args.date_from, date_to=args.date_to,
                               source=source, agency=args.agency, limit=args.limit)  # fmt: skip
    except sqlite3.Error as exc:
        raise UsageError(f"query {query!r}: {exc}") from None
    for number, result in enumerate(results, 1):
        if args.json:
            print(json.dumps(result.as_dict(), ensure_ascii=False))
            continue
        week = f"{result.week_start} – {result.week_end}" if result.week_start else (result.published_at or "")[:10]
        print(f"{number}. {result.title}")
        print(f"   {result.key} · {week} · {result.source}")
        print(f"   {result.snippet}")
    if not results:
        print(f"langson-archive search: no digest matches {query!r}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
