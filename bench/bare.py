"""The baseline for ``bench.crawl``: a bare Scrapy spider fetching a given list of URLs.

    python -m bench.bare URLS_FILE

It fetches exactly the pages the project's crawl fetched (one URL per line, in the order
the server saw them) with the project's politeness settings (``scraper.settings`` with
``--delay 0`` applied as the command line applies it): robots.txt obeyed, the same
concurrency per host, the same user agent, timeouts and retries. Nothing is parsed,
captured or written: what it costs is Scrapy's engine, the downloader and the server, the
ceiling no crawl built on Scrapy can pass.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.fetched = 0

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.fetched_one, dont_filter=True)

    def fetched_one(self, response: scrapy.http.Response) -> None:
        self.fetched += 1


def bare_settings() -> Settings:
    """The project's settings as ``crawl --delay 0`` sets them, minus everything it adds to Scrapy."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    for name, value in {
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "RETRY_ENABLED": True,
        "DOWNLOADER_MIDDLEWARES": {},
        "SPIDER_MIDDLEWARES": {},
        "EXTENSIONS": {},
        "ITEM_PIPELINES": {},
        "COMMANDS_MODULE": "",
        "CAPTURES_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }.items():
        settings.set(name, value, priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.bare URLS_FILE", file=sys.stderr)
        return 2
    urls = [line for line in Path(args[0]).read_text(encoding="utf-8").splitlines() if line]
    process = CrawlerProcess(bare_settings())
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    spider = crawler.spider
    fetched = spider.fetched if isinstance(spider, BareSpider) else 0
    print(f"bare scrapy: {fetched} of {len(urls)} pages fetched")
    return 0 if fetched == len(urls) else 1


if __name__ == "__main__":
    sys.exit(main())
