"""Scrapy settings for langson-archive.

Politeness is explicit rather than left to Scrapy's fallback defaults: the portals are
small government servers. ``--delay`` on the command line lowers the delay for mirrors
and test servers only.
"""

import os

from scraper import PARSE_TIMEOUT, __version__  # noqa: F401 (PARSE_TIMEOUT is a setting: see below)

BOT_NAME = "langson-archive"
SPIDER_MODULES = ["scraper.crawl.spiders"]
NEWSPIDER_MODULE = "scraper.crawl.spiders"

# Who the portal's administrators can write to about this crawler; set it for real runs.
CONTACT = os.environ.get("LANGSON_ARCHIVE_CONTACT", "operator@example.invalid")
USER_AGENT = f"langson-archive/{__version__} (archiving bot; contact: {CONTACT})"

ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% around DOWNLOAD_DELAY
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
# A portal behind a load balancer or an anti-DDoS gate sets a cookie and redirects to the same
# URL: a crawler that drops cookies loops there until REDIRECT_MAX_TIMES and gets nothing.
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False

# A response yields at most a page of article requests or one record, and the pipelines
# are synchronous: Scrapy's default of 100 parallel workers per response only costs time.
CONCURRENT_ITEMS = 8
# Scrapy re-reads each callback's source on every response to warn about ``return value``
# in generators (bound methods defeat its cache); the spider's callbacks are tested instead.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Digest pages are parsed in a worker process while the crawl fetches (scraper/crawl/parsing.py);
# 0 parses in the crawl's own process, which is all a one-core machine can do.
PARSE_WORKERS = 1 if (os.cpu_count() or 1) > 1 else 0  # as scraper.pages.workers.default_workers()
# Seconds a worker may spend on one page (~2 ms is usual) before it is killed, the page counted
# as an error (tried again next run) and a new worker started; 0: no limit. Parsing in the
# crawl's own process (PARSE_WORKERS = 0) cannot be cut short. PARSE_TIMEOUT (60 s) is imported from
# the package at the top, so reparse's --parse-timeout has the same default without loading the parser.

# Listing pages a run walks at most, per source: 0 = the site profile's guard (max_pages).
LISTING_MAX_PAGES = 0

# An article that answers no digest (a 404, a file, an error page) on this many scheduled runs in
# a row, over at least this many days, is given up: the runs stop asking for it and stop ending
# in a partial failure because of it (`status` lists it; `crawl --retry-given-up` asks again).
# A server error or a timeout never gives up. 0 runs: never give up.
PENDING_GIVE_UP_RUNS = 5  # as scraper.archive.state.GIVE_UP_RUNS (settings import no other layer)
PENDING_GIVE_UP_DAYS = 14  # as scraper.archive.state.GIVE_UP_DAYS

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Raw captures (WARC) of every response, beside the archive; see scraper/archive/captures.py.
CAPTURES_ENABLED = True
DOWNLOADER_MIDDLEWARES = {
    "scraper.crawl.middlewares.RobotsServerErrorMiddleware": 60,  # robots.txt answering 5xx: disallow all (RFC 9309)
    "scraper.crawl.middlewares.OriginGuardMiddleware": 50,  # before robots.txt (100) and every redirect
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scraper.crawl.middlewares.GateRedirectMiddleware": 600,  # a redirect to the same URL (a cookie gate) is followed
    "scraper.crawl.middlewares.BackoffRetryMiddleware": 550,  # retries wait 2 s, 4 s, 8 s ...
    "scraper.crawl.middlewares.ConditionalRequestMiddleware": 560,  # If-None-Match / If-Modified-Since
    "scraper.crawl.middlewares.CrawlDelayMiddleware": 570,  # robots.txt's Crawl-delay / Request-rate, per host
    "scraper.crawl.capture.WarcCaptureMiddleware": 950,  # downloader side: sees responses as received
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "scraper.crawl.middlewares.LenientCompressionMiddleware": 590,  # a page under a false Content-Encoding is read
}
ROBOTS_MAX_CRAWL_DELAY = 60.0  # seconds: a robots.txt asking for more gets this, with a warning
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
CONDITIONAL_REQUESTS = True
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

EXTENSIONS = {
    "scraper.crawl.progress.ProgressExtension": 500,  # only with PROGRESS = True (the CLI sets it on a terminal)
}
PROGRESS = False

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.archive.ArchivePipeline": 800,
}

# Where the archive lives; the CLI's --out and `scrapy crawl -s ARCHIVE_DIR=...` set it.
ARCHIVE_DIR = "output"
COMMANDS_MODULE = "scraper.crawl.commands"  # `scrapy crawl` runs with the archive's lock, report and exit status
