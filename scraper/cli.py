"""The ``langson-archive`` command line.

    langson-archive crawl  [--source S] [--from D] [--to D] [--base-url S=URL]... [--out DIR] [--delay SEC]
    langson-archive export [--out DIR] [--from D] [--to D] [--source S]
    langson-archive validate [--out DIR]

Bad input ends with one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper import __version__
from scraper.archive import Archive, ArchiveError, dumps, overlaps
from scraper.exports import one_per_week, write_csv
from scraper.profiles import PROFILES

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3

SOURCE_CHOICES = [*PROFILES, "all"]


class UsageError(Exception):
    """Bad command-line input; the message is shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as argparse does, with our prefix
        self.exit(EXIT_USAGE, f"langson-archive: error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _base_url(text: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    if not sep or name not in PROFILES:
        raise argparse.ArgumentTypeError(f"{text!r}: use SOURCE=URL with SOURCE one of {', '.join(PROFILES)}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{text!r}: {url!r} is not an http(s) URL")
    return name, url.rstrip("/")


def _delay(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the delay cannot be negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="langson-archive",
        description="Archive the Lạng Sơn People's Committee weekly digests "
        "('Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần') as dated JSON Lines.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def common(sub: argparse.ArgumentParser, ranged: bool = True) -> None:
        sub.add_argument("--out", default="output", metavar="DIR", help="archive root (default: output)")
        if ranged:
            sub.add_argument("--source", choices=SOURCE_CHOICES, default="all", help="which portal (default: all)")
            sub.add_argument(
                "--from",
                dest="date_from",
                type=_date,
                metavar="YYYY-MM-DD",
                help="keep digests whose week ends on or after this day",
            )
            sub.add_argument(
                "--to",
                dest="date_to",
                type=_date,
                metavar="YYYY-MM-DD",
                help="keep digests whose week starts on or before this day",
            )

    crawl = commands.add_parser(
        "crawl",
        help="fetch new digests (or a date range) into the archive",
        description="Walk each portal's listing and archive the digests. Without --from/--to only "
        "digests not yet archived are fetched; with a range every digest whose week overlaps it "
        "is fetched again and re-extracted.",
    )
    common(crawl)
    crawl.add_argument(
        "--base-url",
        action="append",
        type=_base_url,
        default=[],
        metavar="SOURCE=URL",
        help="fetch SOURCE from URL instead of the live host (a mirror or test server)",
    )
    crawl.add_argument(
        "--delay",
        type=_delay,
        default=None,
        metavar="SECONDS",
        help="seconds between requests to one host (default 1, with AutoThrottle); "
        "0 is for local mirrors and test servers only, never for the live portals",
    )
    crawl.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="log detail on stderr (default WARNING)",
    )
    crawl.add_argument("--log-file", metavar="FILE", help="write the log to FILE instead of stderr")

    export = commands.add_parser(
        "export",
        help="print archived records on stdout (JSON Lines, or CSV)",
        description="Print every archived record once, sorted by week. --one-per-week keeps one record "
        "per week when both portals published it (the langson.gov.vn copy, the provincial portal "
        "of record; the other's URL stays in also_published_at).",
    )
    common(export)
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="output format (default jsonl)")
    export.add_argument(
        "--sections", action="store_true", help="CSV with one row per section instead of one per digest"
    )
    export.add_argument("--one-per-week", action="store_true", help="one record per week across both portals")

    reparse = commands.add_parser(
        "reparse",
        help="rebuild every record from the stored captures with the current extractor (no network)",
    )
    common(reparse, ranged=False)

    validate = commands.add_parser("validate", help="check every archived record against the schema")
    common(validate, ranged=False)
    return parser


def _check_range(args: argparse.Namespace) -> None:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError(f"--from {args.date_from} is after --to {args.date_to}")


def _check_writable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory")
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out}: not writable")


def run_crawl(args: argparse.Namespace) -> int:
    _check_range(args)
    out = Path(args.out)
    _check_writable(out)
    archive = Archive(out)
    before = archive.known_keys()  # also proves the archive is readable before any fetching

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from scraper.spiders.digests import DigestSpider

    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DIR", str(out), priority="cmdline")
    settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    if args.log_file:
        settings.set("LOG_FILE", args.log_file, priority="cmdline")
    if args.delay is not None:
        settings.set("DOWNLOAD_DELAY", args.delay, priority="cmdline")
        settings.set("AUTOTHROTTLE_START_DELAY", max(args.delay, 0.1), priority="cmdline")
        if args.delay == 0:
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
            settings.set("DOWNLOAD_DELAY_JITTER", 0, priority="cmdline")
    started = time.monotonic()
    settings.set("LOG_INSTALL_ROOT_HANDLER", True, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DigestSpider)
    process.crawl(
        crawler,
        source=args.source,
        base_urls=dict(args.base_url),
        date_from=args.date_from,
        date_to=args.date_to,
        archive_dir=str(out),
    )
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    return report_crawl(stats, out, len(before), time.monotonic() - started)


def report_crawl(stats: dict[str, Any], out: Path, archived_before: int, seconds: float) -> int:
    """Print the one-line summary and choose the exit status."""
    errors = sum(v for k, v in stats.items() if k.startswith("errors/"))
    requests = stats.get("downloader/request_count", 0)
    new, updated, unchanged = (stats.get(f"archive/{k}", 0) for k in ("new", "updated", "unchanged"))
    problem = stats.get("archive/error")
    if problem:
        print(f"langson-archive: error: archive not updated: {problem}", file=sys.stderr)
        return EXIT_FAILED
    listings = sum(v for k, v in stats.items() if k.startswith("listing/") and k.endswith("/pages"))
    outcome = "failed" if listings == 0 else ("partial" if errors else "ok")
    print(
        f"langson-archive crawl {outcome}: {new} new, {updated} updated, {unchanged} unchanged digests; "
        f"{listings} listing pages, {requests} requests, {errors} errors in {seconds:.1f} s; archive {out}"
    )
    if outcome == "failed":
        print("langson-archive: error: no listing page could be fetched", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_PARTIAL if errors else EXIT_OK


def _selected(args: argparse.Namespace):
    archive = Archive(args.out)
    if not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out}: no archive there")
    sources = None if args.source == "all" else {PROFILES[args.source].source}
    records = sorted(
        (r for r in archive.iter_records() if sources is None or r.get("source") in sources),
        key=lambda r: (r.get("week_start") or r.get("published_at") or "", r.get("key", "")),
    )
    return [r for r in records if overlaps(r, args.date_from, args.date_to)]


def run_export(args: argparse.Namespace) -> int:
    _check_range(args)
    if args.sections and args.format != "csv":
        raise UsageError("--sections needs --format csv")
    records = _selected(args)
    if args.one_per_week:
        records = one_per_week(records)
    out = sys.stdout
    if args.format == "csv":
        write_csv(records, out, sections=args.sections)
    else:
        for record in records:
            out.write(dumps(record) + "\n")
    out.flush()
    return EXIT_OK


def run_reparse(args: argparse.Namespace) -> int:
    from scraper.reparse import reparse

    if not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out}: no archive there")
    started = time.monotonic()
    report = reparse(args.out)
    merge = report.merge
    for key in merge.updated:
        print(f"changed {key}")
    for key in merge.new:
        print(f"added {key}")
    print(
        f"langson-archive reparse: {report.captures} captured pages, {report.digests} digests: "
        f"{len(merge.new)} added, {len(merge.updated)} changed, {len(merge.unchanged)} unchanged, "
        f"{len(report.invalid)} invalid; {len(merge.files_written)} files rewritten in "
        f"{time.monotonic() - started:.1f} s"
    )
    return EXIT_FAILED if report.invalid else EXIT_OK


def run_validate(args: argparse.Namespace) -> int:
    from scraper.schema import validate_record

    if not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out}: no archive there")
    archive = Archive(args.out)
    bad = total = 0
    for path in archive.partitions():
        for number, record in enumerate(archive.read_partition(path), 1):
            total += 1
            problems = validate_record(record)
            if problems:
                bad += 1
                print(f"{path}: record {number} ({record.get('url')}): {'; '.join(problems)}")
    print(f"{total - bad}/{total} records valid")
    return EXIT_FAILED if bad else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"crawl": run_crawl, "export": run_export, "validate": run_validate, "reparse": run_reparse}
    try:
        return handlers[args.command](args)
    except (UsageError, ArchiveError) as exc:
        print(f"langson-archive: error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_FAILED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("langson-archive: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
