"""``langson-archive probe``: which strategy read each field of the newest pages (nothing archived)."""

from __future__ import annotations

import argparse
import sys

from scraper.cli import options
from scraper.cli.options import UsageError
from scraper.cli.scrapy_run import one_line_errors, scrapy_settings
from scraper.crawl.lifecycle import EXIT_DEGRADED, EXIT_FAILED, EXIT_OK

NAME = "probe"
HELP = "fetch the first listing page and the newest digests; show which strategy read each field"
DESCRIPTION = (
    "Politely fetch each source's first listing page and its N newest digests (nothing is archived) "
    "and print, per page and field, which strategy answered (the site's template, a generic strategy "
    "or trafilatura) and which checks failed. Exit 0 when the template answered everything, 5 when "
    "anything fell past it, 1 when nothing could be fetched. Run it before the first crawl of the "
    "live sites and after any redesign."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", choices=options.SOURCE_CHOICES, default="all", help="which portal (default: all)")
    parser.add_argument("--config", metavar="FILE", help=f"TOML settings file (also ${options.CONFIG_ENV})")
    parser.add_argument("--limit", type=int, default=3, metavar="N", help="digests to read per source (default 3)")
    options.add_fetch_options(parser)


def run(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from scraper.crawl.spiders.probe import ProbeSpider, format_probe

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    settings = scrapy_settings(args, None)
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), "scraper.crawl.capture.WarcCaptureMiddleware": None}
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")  # nothing is archived, not even pages
    settings.set("CONDITIONAL_REQUESTS", False, priority="cmdline")
    process = CrawlerProcess(settings)
    one_line_errors(args)
    crawler = process.create_crawler(ProbeSpider)
    process.crawl(crawler, source=args.source, base_urls=dict(args.base_url), limit=args.limit)
    process.start()
    spider = crawler.spider
    reports = getattr(spider, "reports", {})
    for line in format_probe(reports, getattr(spider, "base_urls", {})):
        print(line)
    pages = [page for pages in reports.values() for page in pages]
    past = [page for page in pages if page.past_template]
    if not pages or all(page.error for page in pages):
        print("langson-archive probe: error: nothing could be fetched", file=sys.stderr)
        return EXIT_FAILED
    if past:
        print(
            f"langson-archive probe: {len(past)} of {len(pages)} pages needed strategies past the site's template "
            "(see 'When a portal changes its template' in the README)",
            file=sys.stderr,
        )
        return EXIT_DEGRADED
    print(f"langson-archive probe: ok, every field of {len(pages)} pages answered by the site's template")
    return EXIT_OK
