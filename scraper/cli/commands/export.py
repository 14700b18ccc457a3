"""``langson-archive export``: archived records as JSON Lines or CSV, on stdout or into a file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from scraper.archive import Archive, dumps, overlaps
from scraper.archive.exports import (
    DIRECTIVE_COLUMNS,
    DOCUMENT_COLUMNS,
    directive_rows,
    document_index,
    one_per_week,
    write_csv,
    write_rows,
)
from scraper.archive.files import atomic_text
from scraper.cli import options
from scraper.cli.options import UsageError
from scraper.crawl.lifecycle import EXIT_OK
from scraper.sites.profiles import PROFILES

NAME = "export"
HELP = "print archived records (JSON Lines, or CSV) on stdout or into a file"
DESCRIPTION = (
    "Print every archived record once, sorted by week, on stdout or (-o FILE) into a file that is "
    "replaced atomically: a failed export leaves the previous file as it was. --one-per-week keeps "
    "one record per week when both portals published it (the langson.gov.vn copy, the provincial "
    "portal of record; the other's URL stays in also_published_at). --directives prints one row per "
    "directive (section: lead and partner agencies, earliest deadline, documents), --documents one row "
    "per distinct cited document with every digest that cites it (a citation index). --format sqlite "
    "-o FILE writes the whole archive as one SQLite database (digests with a full-text index, sections, "
    "directives, agencies, documents, citations) and a Datasette metadata file beside it; --format wacz "
    "-o FILE packs the raw captures with a pages list of the digests into a WACZ file for ReplayWeb.page."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_archive_options(parser)
    parser.add_argument("--format", choices=["jsonl", "csv", "sqlite", "wacz"], default="jsonl",
                        help="output format (default jsonl); sqlite and wacz need -o FILE")  # fmt: skip
    parser.add_argument("--sections", action="store_true", help="CSV with one row per section instead of per digest")
    parser.add_argument("--one-per-week", action="store_true", help="one record per week across both portals")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument(
        "--directives", action="store_true", help="one row per directive (section) instead of per digest"
    )
    shape.add_argument(
        "--documents", action="store_true", help="one row per cited document, with the digests citing it"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def selected(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The records to export, in order, streamed one partition at a time."""
    sources = None if args.source == "all" else {PROFILES[args.source].source}
    for partition in Archive(args.out).iter_partitions():
        records = [
            r for r in partition
            if (sources is None or r.get("source") in sources) and overlaps(r, args.date_from, args.date_to)
        ]  # fmt: skip
        # both portals' copies of a week share a partition, so choosing per partition is exact
        yield from one_per_week(records) if args.one_per_week else records


def write(records: Iterator[dict[str, Any]], out: TextIO, args: argparse.Namespace) -> int:
    rows: Iterable[dict[str, Any]] = records
    missing: list[str] = []
    if args.directives:
        rows, columns = directive_rows(records, missing), DIRECTIVE_COLUMNS
    elif args.documents:
        rows, columns = document_index(records, missing), DOCUMENT_COLUMNS
    if args.format == "csv":
        if args.directives or args.documents:
            count = write_rows(rows, columns, out)
        else:
            count = write_csv(rows, out, sections=args.sections)
    else:
        count = 0
        for row in rows:
            out.write(dumps(row) + "\n")
            count += 1
    if missing:  # never silent: these records have no directives or document parts to export
        print(f"langson-archive export: warning: {len(missing)} records were written before schema 1.2 and have no "
              f"{'directives' if args.directives else 'document parts'} (e.g. {missing[0]}); run "
              "`langson-archive reparse` to fill them from the captures", file=sys.stderr)  # fmt: skip
    return count


def _check_output(path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"-o {path}: is a folder")
    if not path.parent.is_dir():
        raise UsageError(f"-o {path}: no folder {path.parent}")


def run(args: argparse.Namespace) -> int:
    options.check_range(args)
    if args.sections and args.format != "csv":
        raise UsageError("--sections needs --format csv")
    if args.sections and (args.directives or args.documents):
        raise UsageError("--sections, --directives and --documents are three different shapes: choose one")
    options.require_archive(args.out)
    records = selected(args)
    shaped = args.directives or args.documents or args.sections
    if args.format in ("sqlite", "wacz") and (args.output in (None, "-") or shaped):
        raise UsageError(
            "--format sqlite writes a whole database: give -o FILE (no --sections/--directives/--documents)"
        )
    if args.output is None or args.output == "-":
        write(records, sys.stdout, args)
        sys.stdout.flush()
        return EXIT_OK
    path = Path(args.output)
    _check_output(path)
    if args.format == "wacz":
        from scraper.archive.wacz import WaczUnavailable, write_wacz

        try:
            packed = write_wacz(Path(args.out), records, path, title="Lạng Sơn weekly digests")
        except WaczUnavailable as exc:
            raise UsageError(str(exc)) from None
        print(f"langson-archive export: {packed['captures']} capture files and {packed['pages']} digest pages "
              f"packed into {path} (open it in https://replayweb.page)", file=sys.stderr)  # fmt: skip
        return EXIT_OK
    if args.format == "sqlite":
        from scraper.search.database import write_database

        older: list[str] = []
        count = write_database(path, records, older)
        print(f"langson-archive export: {count} digests written to {path} (Datasette metadata: "
              f"{path.with_name(path.stem + '.metadata.json')})", file=sys.stderr)  # fmt: skip
        if older:
            print(f"langson-archive export: warning: {len(older)} records were written before schema 1.2: their "
                  f"directives and document parts are missing (e.g. {older[0]}); run `langson-archive reparse`",
                  file=sys.stderr)  # fmt: skip
        return EXIT_OK
    with atomic_text(path) as handle:
        count = write(records, handle, args)
    unit = "rows" if args.format == "csv" or args.directives or args.documents else "records"
    print(f"langson-archive export: {count} {unit} written to {path}", file=sys.stderr)
    return EXIT_OK
