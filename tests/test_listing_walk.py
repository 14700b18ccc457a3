"""Walking a listing over loopback: each page is judged by its digests as a whole.

An old digest pinned on every page does not end a range walk, and a listing that shifts while
it is walked doubles nothing.
"""

from __future__ import annotations

import os
import shutil

import lxml.html

from bench.site import write_site
from tests import mockserver
from tests.conftest import PORTAL, crawl_portal, digest_paths, export, load_expected, run_cli


def test_an_old_digest_pinned_on_every_page_does_not_end_a_range_walk(portal, tmp_path):
    langson = [e for e in load_expected() if e["site"] == "langson"]
    pinned = min((e for e in langson if e["week_start"]), key=lambda e: e["week_start"])
    site = portal["langson"]
    pin = f'<article class="list-news-one"><h2 class="title"><a href="{pinned["path"]}">{pinned["title"]}</a></h2></article>'
    for listing in [p for p in site.routes if p.startswith("/chi-dao-dieu-hanh-noi-bat") and "?" in p or
                    p == "/chi-dao-dieu-hanh-noi-bat"]:  # fmt: skip
        route = site.routes[listing]
        if "file" not in route:
            continue
        html = (PORTAL / "langson" / "pages" / route["file"]).read_text(encoding="utf-8")
        opening = '<section class="section-list Article-News-List-default">'
        assert opening in html
        patched = tmp_path / f"pinned-{route['file']}"
        patched.write_text(html.replace(opening, opening + pin), encoding="utf-8")
        site.routes[listing] = {"file": os.path.relpath(patched, PORTAL / "langson" / "pages")}
    date_from, date_to = "2024-06-01", "2025-12-31"
    done = crawl_portal(portal, tmp_path / "a", "--source", "langson", "--from", date_from, "--to", date_to)
    assert done.returncode == 0, done.stderr
    want = {e["canonical_url"] for e in langson if e["week_start"] and e["week_end"] >= date_from}
    got = {r["canonical_url"] for r in export(tmp_path / "a")}
    assert want <= got and pinned["canonical_url"] not in got
    assert "/chi-dao-dieu-hanh-noi-bat?page=2" in site.requests  # the walk went past page 1


def test_listing_that_shifts_while_walked_doubles_nothing(portal, tmp_path):
    site = portal["langson"]
    page1 = (PORTAL / "langson" / "pages" / site.routes["/chi-dao-dieu-hanh-noi-bat"]["file"]).read_text("utf-8")
    page2_route = site.routes["/chi-dao-dieu-hanh-noi-bat?page=2"]
    page2 = (PORTAL / "langson" / "pages" / page2_route["file"]).read_text("utf-8")
    # a new digest went up between the two requests: page 1's last item now also opens page 2
    last_item = page1[page1.rindex("<article") : page1.index("</article>", page1.rindex("<article")) + 10]
    shifted = page2.replace("<article", last_item + "\n<article", 1)
    patched = tmp_path / "listing-2-shifted.html"
    patched.write_text(shifted, encoding="utf-8")
    site.routes["/chi-dao-dieu-hanh-noi-bat?page=2"] = {"file": os.path.relpath(patched, PORTAL / "langson" / "pages")}
    done = crawl_portal(portal, tmp_path, "--source", "langson")
    assert done.returncode == 0, done.stderr
    records = export(tmp_path)
    assert len(records) == len({r["key"] for r in records}) == len(digest_paths("langson"))
    article_requests = [p for p in site.requests if p.endswith(".html")]
    assert len(article_requests) == len(set(article_requests))  # each page fetched once


def test_a_listing_that_lists_oldest_first_is_walked_to_its_end_and_the_run_says_so(tmp_path):
    """New digests come last: a rerun that stopped at the first archived one would miss them in silence."""
    write_site(tmp_path / "portal", 25, oldest_first=True)
    site = mockserver.start(tmp_path / "portal")["langson"]
    try:
        args = ("crawl", "--source", "langson", "--base-url", f"langson={site.url}", "--out", str(tmp_path / "out"),
                "--delay", "0")  # fmt: skip
        done = run_cli(*args)
        assert done.returncode == 0 and "25 new" in done.stdout, done.stderr
        first_page = tmp_path / "portal" / "langson" / "pages" / "listing-1.html"
        unchanged = first_page.read_bytes()
        site.routes.update(write_site(tmp_path / "portal", 26, oldest_first=True))  # one more, on the last page
        first_page.write_bytes(unchanged)  # the first page as it was: a 304 to a conditional request
        before = len(site.requests)
        done = run_cli(*args)
        assert done.returncode == 0 and "degraded" in done.stdout and "1 new" in done.stdout, done.stdout
        assert "the listing lists its digests oldest first (new ones come last): walked to its end" in done.stderr
        assert len(export(tmp_path / "out")) == 26
        assert sum(path.startswith("/chi-dao-dieu-hanh-noi-bat?page=") for path in site.requests[before:]) == 2

        before = len(site.requests)
        in_range = run_cli(*args[:-2], "--out", str(tmp_path / "range"), "--from", "1996-01-01", "--to", "1996-01-31")
        assert in_range.returncode == 0, in_range.stderr
        # page 2 starts weeks after the range's end: the walk stops there, not at the listing's end
        assert [p for p in site.requests[before:] if "?page=" in p] == ["/chi-dao-dieu-hanh-noi-bat?page=2"]
        assert sorted(r["week_start"] for r in export(tmp_path / "range")) == [
            f"1996-01-{d:02d}" for d in (1, 8, 15, 22, 29)
        ]
    finally:
        site.stop()


def test_a_listing_of_plain_headlines_with_read_more_links_is_crawled_whole_and_the_run_says_so(tmp_path):
    """A template change that takes the link off the headline ("Xem chi tiết" beside it) loses no digest."""
    portal = tmp_path / "portal"
    shutil.copytree(PORTAL / "langson", portal / "langson")
    for listing in (portal / "langson" / "pages").glob("listing-*.html"):
        doc = lxml.html.fromstring(listing.read_bytes())
        for headline in doc.xpath("//article//h2"):
            link = headline.find(".//a")
            headline.text, href = link.text_content(), link.get("href")
            headline.remove(link)
            headline.getparent().append(lxml.html.fragment_fromstring(f'<a href="{href}">Xem chi tiết</a>'))
        for picture in doc.xpath("//article//a[img]"):
            picture.attrib.pop("title", None)
            picture.find("img").attrib.pop("alt", None)
        listing.write_bytes(lxml.html.tostring(doc, encoding="utf-8"))
    site = mockserver.start(portal)["langson"]
    try:
        done = run_cli("crawl", "--source", "langson", "--base-url", f"langson={site.url}", "--out", str(tmp_path / "out"),
                       "--delay", "0")  # fmt: skip
    finally:
        site.stop()
    assert done.returncode == 0 and "degraded" in done.stdout, done.stderr
    assert "listing links found only by the generic scan" in done.stderr
    assert len(export(tmp_path / "out")) == len(digest_paths("langson"))


def _walk(tmp_path, site_url):
    done = run_cli("crawl", "--source", "langson", "--base-url", f"langson={site_url}", "--out", str(tmp_path / "out"),
                   "--delay", "0")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def test_a_listing_page_with_no_digest_among_its_items_does_not_end_the_walk(tmp_path):
    """A listing that mixes digests with other news can hold a page of other news only: the digests
    older than it were left out in silence (the walk stopped at a page with no digest link)."""
    import re

    write_site(tmp_path / "portal", 25)
    page2 = tmp_path / "portal" / "langson" / "pages" / "listing-2.html"
    news = iter(range(100))
    html = re.sub(r'href="/chi-dao-dieu-hanh-noi-bat/[^"]+"', lambda _: f'href="/tin-hoat-dong/tin-{next(news)}.html"',
                  page2.read_text(encoding="utf-8"))  # fmt: skip
    html = re.sub(r'(title="|>)Chỉ đạo, điều hành nổi bật của UBND tỉnh[^"<]*', r"\1Hội nghị triển khai công tác", html)
    page2.write_text(html, encoding="utf-8")
    site = mockserver.start(tmp_path / "portal")["langson"]
    try:
        done = _walk(tmp_path, site.url)
        assert "15 new" in done.stdout, done.stdout  # pages 1 and 3: every digest the listing links
        assert "/chi-dao-dieu-hanh-noi-bat?page=3" in site.requests
        assert "a listing page brought no digest link" in done.stderr  # on this portal's listing, worth a look
    finally:
        site.stop()


def test_a_pager_that_leads_back_to_the_same_links_ends_the_walk_and_the_run_says_so(tmp_path):
    """A site that ignores its page parameter answers page 1 for every page: before, the walk ended there as
    if the listing did, and a first crawl reported "ok" with the older digests missing."""
    write_site(tmp_path / "portal", 25)
    pages = tmp_path / "portal" / "langson" / "pages"
    for number in (2, 3):
        shutil.copy(pages / "listing-1.html", pages / f"listing-{number}.html")
    site = mockserver.start(tmp_path / "portal")["langson"]
    try:
        done = _walk(tmp_path, site.url)
        assert "degraded" in done.stdout and "10 new" in done.stdout, done.stdout
        assert "a listing page brought only links of earlier pages (its pager leads nowhere new?)" in done.stderr
        assert [p for p in site.requests if "?page=" in p] == ["/chi-dao-dieu-hanh-noi-bat?page=2"]
    finally:
        site.stop()


def _as_news(html: str, keep: str = "") -> str:
    """A listing page whose digest items (but ``keep``) became other news."""
    import re

    news = iter(range(1000))

    def link(match: re.Match[str]) -> str:
        return match.group() if keep and keep in match.group() else f'href="/tin-hoat-dong/tin-{next(news)}.html"'

    html = re.sub(r'href="/chi-dao-dieu-hanh-noi-bat/[^"]+"', link, html)
    return re.sub(r'(title="|>)Chỉ đạo, điều hành nổi bật của UBND tỉnh[^"<]*',
                  lambda m: m.group() if keep and keep in m.group() else m.group(1) + "Hội nghị triển khai công tác",
                  html)  # fmt: skip


def test_a_scheduled_run_walks_past_a_few_pages_of_other_news_and_no_further(tmp_path):
    """New digests come first: a scheduled run looks a few pages past news-only pages (a digest pushed down
    by a busy day's news is found) but does not walk a long listing of other news on every run."""
    from bench.site import digest

    write_site(tmp_path / "portal", 60)
    site = mockserver.start(tmp_path / "portal")["langson"]
    try:
        assert "60 new" in _walk(tmp_path, site.url).stdout
        site.routes.update(write_site(tmp_path / "portal", 61))  # digest 60 goes up ...
        pages = tmp_path / "portal" / "langson" / "pages"
        newest = digest(60, 7)
        (pages / "listing-1.html").write_text(_as_news((pages / "listing-1.html").read_text("utf-8")), "utf-8")
        page2 = (pages / "listing-2.html").read_text("utf-8")  # ... and is pushed onto page 2 by the news
        first_item = page2[page2.index("<article") : page2.index("</article>") + len("</article>")]
        item = first_item.replace(digest(50, 7)["path"], newest["path"]).replace(
            digest(50, 7)["title"], newest["title"]
        )
        (pages / "listing-2.html").write_text(page2.replace(first_item, item), "utf-8")
        before = len(site.requests)
        done = _walk(tmp_path, site.url)
        assert "1 new" in done.stdout, done.stdout + done.stderr
        # page 2 brought the new digest, page 3 only archived ones; this listing's template reads digests only,
        # so a page without one is worth a look
        assert [p for p in site.requests[before:] if "?page=" in p] == [
            f"/chi-dao-dieu-hanh-noi-bat?page={n}" for n in (2, 3)
        ]
        assert "a listing page brought no digest link" in done.stderr

        for number in range(1, 7):  # the listing's first pages hold other news only (and page 1 changed)
            listing = pages / f"listing-{number}.html"
            listing.write_text(_as_news(listing.read_text("utf-8")) + "<!-- tin mới -->", "utf-8")
        before = len(site.requests)
        done = _walk(tmp_path, site.url)
        walked = [p for p in site.requests[before:] if "?page=" in p]
        assert walked == ["/chi-dao-dieu-hanh-noi-bat?page=2", "/chi-dao-dieu-hanh-noi-bat?page=3"], walked
        assert "after 3 pages in a row without a digest without reaching an archived digest (a possible gap)" in (
            done.stderr
        )  # said, as before, and why the walk ended there
    finally:
        site.stop()
