"""A polite crawler: retries back off, the defaults are gentle, and robots.txt is obeyed."""

from __future__ import annotations

from scrapy.settings import Settings

from scraper.crawl.middlewares import BackoffRetryMiddleware
from tests.conftest import crawl_portal, export, load_expected


def test_backoff_doubles_and_is_capped():
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 2.0, "RETRY_BACKOFF_MAX": 5.0, "RETRY_TIMES": 5})
    crawler.spider = crawler._create_spider("x")
    mw = BackoffRetryMiddleware.from_crawler(crawler)
    request, delays = Request("http://127.0.0.1:1/"), []
    for _ in range(4):
        request = mw._retry(request, "503")
        delays.append(request.meta["backoff_delay"])
    assert delays == [2.0, 4.0, 5.0, 5.0]
    assert Settings({"RETRY_TIMES": 1}).getint("RETRY_TIMES") == 1


def test_polite_defaults():
    from scraper import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.DOWNLOAD_DELAY >= 1 and settings.AUTOTHROTTLE_ENABLED
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert settings.RETRY_TIMES >= 2 and 503 in settings.RETRY_HTTP_CODES
    assert "langson-archive" in settings.USER_AGENT and "contact" in settings.USER_AGENT


def test_robots_txt_is_obeyed(portal, tmp_path):
    blocked = next(e["path"] for e in load_expected() if e["site"] == "vanphong")
    portal["vanphong"].routes["/robots.txt"] = {"text": f"User-agent: *\nDisallow: {blocked}\n"}
    done = crawl_portal(portal, tmp_path, "--source", "vanphong")
    assert done.returncode == 0, done.stderr
    assert blocked not in portal["vanphong"].requests
    assert blocked not in {"/" + r["url"].split("/", 3)[3] for r in export(tmp_path)}
