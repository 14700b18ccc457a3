"""``langson-archive validate``: every archived record against the schema and its partition."""

from __future__ import annotations

import argparse
from pathlib import Path

from scraper.archive import Archive, partition_for
from scraper.cli import options
from scraper.crawl.lifecycle import EXIT_FAILED, EXIT_OK
from scraper.records.prepare import check_record

NAME = "validate"
HELP = "check every archived record against the schema"
DESCRIPTION = (
    "Check every archived record against the record schema and the rules between its fields, that it "
    "is filed in the partition its week belongs in, and that no key appears twice. Prints one line "
    "per bad record and a count; exits 1 when any record is bad."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_archive_options(parser, ranged=False)


def run(args: argparse.Namespace) -> int:
    options.require_archive(args.out)
    archive = Archive(args.out)
    bad = total = 0
    seen: dict[str, Path] = {}  # key -> the file it was first found in
    with archive.reading():
        for path in archive.partitions():
            for number, record in enumerate(archive.read_partition(path), 1):
                total += 1
                problems = check_record(record)
                rel = path.relative_to(archive.root).as_posix()
                if not problems and partition_for(record) != rel:
                    problems.append(f"filed in {rel}, but its week belongs in {partition_for(record)}")
                key = record.get("key") if isinstance(record, dict) else None
                if isinstance(key, str) and key in seen:
                    problems.append(f"key {key} is also in {seen[key]}: one record per digest")
                elif isinstance(key, str):
                    seen[key] = path
                if problems:
                    bad += 1
                    print(f"{path}: record {number} ({record.get('url')}): {'; '.join(problems)}")
    print(f"{total - bad}/{total} records valid")
    return EXIT_FAILED if bad else EXIT_OK
