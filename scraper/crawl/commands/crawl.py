"""``scrapy crawl digests``: the same run as ``langson-archive crawl``, not a different program.

Scrapy's own command takes no lock, writes no run report and exits 0 when every request
failed. This one wraps the crawl in the lifecycle of :mod:`scraper.crawl.lifecycle`: the archive's
lock (exit 75 when another run holds it), the preparation of the archive, one run report
and the same summary line and exit statuses (simple mode).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from scraper.archive import ArchiveError
from scraper.archive.lock import ArchiveLock, LockHeld
from scraper.crawl.lifecycle import (
    EXIT_FAILED,
    EXIT_LOCKED,
    fewer_collections,
    finish_crawl,
    new_run_id,
    prepare_archive,
    run_report,
    save_report,
)


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("run one spider: scrapy crawl digests [-a NAME=VALUE] [-s NAME=VALUE]")
        assert self.settings is not None and self.crawler_process is not None
        out = Path(opts.spargs.get("archive_dir") or self.settings.get("ARCHIVE_DIR", "output"))
        try:
            lock = ArchiveLock(out).acquire()
        except LockHeld as exc:
            print(f"langson-archive: {exc}; not starting (exit {EXIT_LOCKED})", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
            return
        except ArchiveError as exc:
            print(f"langson-archive: error: {exc}", file=sys.stderr)
            self.exitcode = EXIT_FAILED
            return
        try:
            index = prepare_archive(out)
        except ArchiveError as exc:
            lock.release()
            print(f"langson-archive: error: {exc}", file=sys.stderr)
            self.exitcode = EXIT_FAILED
            return
        try:
            run_id = new_run_id()
            self.crawler_process.settings.set("RUN_ID", run_id, priority="cmdline")  # shared with the capture file
            crawler = self._create_crawler(args[0])
            started_at, started = dt.datetime.now(dt.timezone.utc), time.monotonic()
            self.crawler_process.crawl(crawler, archive_index=index, **opts.spargs)
            with fewer_collections():
                self.crawler_process.start()
            if self.crawler_process.bootstrap_failed or crawler.stats is None:
                self.exitcode = EXIT_FAILED
                return
            spargs = opts.spargs
            report = run_report(crawler.stats.get_stats(), started_at, time.monotonic() - started,
                                source=spargs.get("source", "all"), date_from=spargs.get("date_from"),
                                date_to=spargs.get("date_to"))  # fmt: skip
            report["run_id"] = run_id
            save_report(out, report)
            self.exitcode = finish_crawl(report, out, "simple")
        finally:
            lock.release()
