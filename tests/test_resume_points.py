"""Where a walk goes on when it reaches an earlier walk's resume point, decided with no crawl running.

A scheduled run walks its listing from page 1 until it joins the archive, then goes on from
each resume point that cut-short walks left in ``state/walks.json``. A resume point this run's
walk has already been through must not be dropped (Scrapy filters a second request for a page):
the walk goes on from where it stopped, past every page the cut walk reached.
"""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from scraper.crawl.spiders.digests import DigestSpider
from scraper.sites.profiles import PROFILES

BASE = "http://127.0.0.1:9"
PROFILE = PROFILES["langson"]
PAGE_1 = "/chi-dao-dieu-hanh-noi-bat"
PAGE_2 = "/chi-dao-dieu-hanh-noi-bat?page=2"
PAGE_3 = "/chi-dao-dieu-hanh-noi-bat?page=3"


def _spider(resume: list[tuple[str, int, int]], visited: list[str]) -> DigestSpider:
    spider = DigestSpider.from_crawler(get_crawler(DigestSpider), source="langson", base_urls={"langson": BASE})
    spider.resume = {"langson": list(resume)}
    spider.visited["langson"].update(BASE + path for path in visited)
    return spider


@pytest.mark.parametrize(
    ("resume", "visited", "stopped_at", "next_path", "listing_read", "expected"),
    [
        # a resume point this run has not reached: walk from it, not stopping at archived pages up to 4
        pytest.param([(PAGE_3, 3, 4)], [PAGE_1], 1, PAGE_2, True, (PAGE_3, 3, 4, False), id="not-visited"),
        # the walk went through page 1 and stopped there, but the cut walk had reached page 2
        pytest.param([(PAGE_1, 1, 2)], [PAGE_1], 1, PAGE_2, True, (PAGE_2, 2, 2, False), id="visited-go-on"),
        # the walk stopped at page 2, past every page (1) the cut walk reached: that walk is complete
        pytest.param([(PAGE_1, 1, 1)], [PAGE_1, PAGE_2], 2, PAGE_3, True, None, id="visited-covered"),
        # the walk stopped where the listing ends: nothing past it
        pytest.param([(PAGE_1, 1, 3)], [PAGE_1], 1, None, True, None, id="visited-listing-ends"),
        # the first page answered 304 (not read): read the resume point's page again, unconditionally
        pytest.param([(PAGE_1, 1, 2)], [PAGE_1], 1, None, False, (PAGE_1, 1, 2, True), id="visited-not-read"),
        # a covered resume point does not hide the next one
        pytest.param(
            [(PAGE_1, 1, 1), (PAGE_3, 3, 5)],
            [PAGE_1, PAGE_2],
            2,
            PAGE_3,
            True,
            (PAGE_3, 3, 5, False),
            id="covered-next",
        ),
    ],
)
def test_a_walk_goes_on_from_resume_points(resume, visited, stopped_at, next_path, listing_read, expected):
    spider = _spider(resume, visited)
    next_page = (BASE + next_path, stopped_at + 1) if next_path else None
    requests = list(spider._walk_done(PROFILE, stopped_at, next_page, listing_read=listing_read))
    if expected is None:
        assert requests == []
        assert spider.walk_next["langson"] is None  # the walk is complete
        return
    path, number, through, unfiltered = expected
    [request] = requests
    assert request.url == BASE + path
    assert request.cb_kwargs["number"] == number
    assert request.dont_filter is unfiltered
    assert not request.meta.get("conditional")  # a resumed page is always read
    assert spider.resuming_through["langson"] == through
    assert spider.walk_next["langson"] == (BASE + path, number)  # where a run stopped now would resume
