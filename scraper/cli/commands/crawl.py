"""``langson-archive crawl``: fetch new digests (or a date range) into the archive."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import time
from pathlib import Path
from typing import Any

from scraper.archive.lock import ArchiveLock
from scraper.cli import options
from scraper.cli.scrapy_run import one_line_errors, scrapy_settings, stop_on_signals
from scraper.crawl.lifecycle import (
    fewer_collections,
    finish_crawl,
    new_run_id,
    prepare_archive,
    recover_captures,
    run_report,
    save_report,
)

NAME = "crawl"
HELP = "fetch new digests (or a date range) into the archive"
DESCRIPTION = (
    "Walk each portal's listing and archive the digests. Without --from/--to only digests not yet "
    "archived are fetched; with a range every digest whose week overlaps it is fetched again and "
    "re-extracted. Ends with a one-line summary; the run's report goes to runs/ in the archive."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_archive_options(parser)
    options.add_fetch_options(parser)
    parser.add_argument("--max-size", type=options.size, default=None, metavar="BYTES",
                        help="refuse responses larger than BYTES (default 10 MiB)")  # fmt: skip
    parser.add_argument("--exit-codes", choices=["simple", "detailed"], default="simple",
                        help="simple: 0 whether or not anything was new; detailed: 0 new digests, "
                        "4 nothing new, 5 degraded (3 partial failure, 1 failed, 75 locked in both)")  # fmt: skip
    parser.add_argument("--retry-given-up", action="store_true",
                        help="ask again for the articles earlier runs gave up on (`status` lists them)")  # fmt: skip
    options.add_progress_option(parser)


def run(args: argparse.Namespace) -> int:
    options.check_range(args)
    out = Path(args.out)
    options.check_writable(out)
    with ArchiveLock(out):
        index = prepare_archive(out)
        return _crawl_locked(args, out, index)


def _crawl_locked(args: argparse.Namespace, out: Path, index: Any) -> int:
    from scrapy.crawler import CrawlerProcess

    from scraper.crawl.spiders.digests import DigestSpider

    settings = scrapy_settings(args, out)
    run_id = new_run_id()
    settings.set("RUN_ID", run_id, priority="cmdline")  # the capture file and the report share it
    started_at = dt.datetime.now(dt.timezone.utc)
    started = time.monotonic()
    process = CrawlerProcess(settings)
    one_line_errors(args)
    crawler = process.create_crawler(DigestSpider)
    process.crawl(
        crawler,
        source=args.source,
        base_urls=dict(args.base_url),
        date_from=args.date_from,
        date_to=args.date_to,
        archive_dir=str(out),
        archive_index=index,
        retry_given_up=args.retry_given_up,
    )
    received = stop_on_signals(process)
    with fewer_collections():
        process.start(install_signal_handlers=False)
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    recovered = recover_captures(out) if received else 0  # stopped at once: the run's records are in its captures
    report = run_report(stats, started_at, time.monotonic() - started, source=args.source,
                        date_from=args.date_from, date_to=args.date_to)  # fmt: skip
    report["run_id"] = run_id
    if received:
        report.update(outcome="interrupted", signal=signal.Signals(received[0]).name, recovered=recovered)
    save_report(out, report)
    return finish_crawl(report, out, args.exit_codes)
