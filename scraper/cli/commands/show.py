"""``langson-archive show KEY``: one archived record, pretty-printed."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from scraper.archive import Archive
from scraper.cli import options
from scraper.crawl.lifecycle import EXIT_FAILED, EXIT_OK

NAME = "show"
HELP = "pretty-print one archived record, by key or URL"
DESCRIPTION = (
    "Print one archived record as indented JSON (Vietnamese as is, not escaped). KEY is the record's "
    "key as `export` prints it, or any URL the digest was fetched or published at. An unknown key "
    "exits 1 and names the closest keys."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", metavar="KEY", help="the record's key, or one of its URLs")
    options.add_archive_options(parser, ranged=False)
    parser.add_argument("--field", metavar="NAME", help="print only this field of the record")


def _names(record: dict[str, Any]) -> set[str]:
    return {str(record.get(k)) for k in ("key", "url", "canonical_url") if record.get(k)} | set(
        record.get("also_published_at") or []
    )


def run(args: argparse.Namespace) -> int:
    options.require_archive(args.out)
    wanted = args.key.strip()
    keys: list[str] = []
    for record in Archive(args.out).iter_records():
        if wanted in _names(record):
            if args.field and args.field not in record:
                print(f"langson-archive show: error: the record has no field {args.field!r} "
                      f"(fields: {', '.join(record)})", file=sys.stderr)  # fmt: skip
                return EXIT_FAILED
            value = record[args.field] if args.field else record
            print(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=2))
            return EXIT_OK
        keys.append(str(record.get("key")))
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else f" ({len(keys)} records in {args.out})"
    print(f"langson-archive show: error: no record with key or URL {wanted!r}{hint}", file=sys.stderr)
    return EXIT_FAILED
