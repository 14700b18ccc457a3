"""The listing page object (``parse_listing``): which links are digests, and where the next page is.

Table-driven where it can be, one rule per row: the template's pager first, then the generic
next-page strategies, and the generic link scan that keeps menus, sidebars and related panels out.
"""

from __future__ import annotations

import pytest

from scraper.pages import parse_listing
from scraper.sites.profiles import LANGSON

BASE = "http://127.0.0.1:8000"


def test_listing_keeps_article_links_on_the_same_host_and_finds_next_page():
    html = """<html><body><div class="col-left"><section class="Article-News-List-default">
    <article><h2 class="title"><a href="/chi-dao-dieu-hanh-noi-bat/a.html">A</a></h2></article>
    <article><h2 class="title"><a href="https://elsewhere.example/chi-dao-dieu-hanh-noi-bat/b.html">B</a></h2></article>
    <article><h2 class="title"><a href="/tin-tuc/c.html">C</a></h2></article>
    <article><h2 class="title"><a href="/chi-dao-dieu-hanh-noi-bat/a.html">A again</a></h2></article>
    </section><ul class="pagination"><li class="active"><span>1</span></li>
    <li><a href="/chi-dao-dieu-hanh-noi-bat?page=2" title="Trang sau">›</a></li></ul></div></body></html>"""
    page = parse_listing("http://127.0.0.1:8000/chi-dao-dieu-hanh-noi-bat", html, LANGSON)
    assert [link.url for link in page.links] == ["http://127.0.0.1:8000/chi-dao-dieu-hanh-noi-bat/a.html"]
    assert page.next_url == "http://127.0.0.1:8000/chi-dao-dieu-hanh-noi-bat?page=2"


def _listing(inner: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><header><nav><a href='/'>Trang chủ</a></nav></header>{inner}</body></html>"


DIGEST_LINKS = "".join(
    f'<div class="item"><a href="/bai/tuan-{i}.html">Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần {i}</a></div>'
    for i in range(1, 4)
)


@pytest.mark.parametrize(
    ("url", "inner", "head", "next_url", "strategy"),
    [
        ("/ds", DIGEST_LINKS, '<link rel="next" href="/ds?page=2">', "/ds?page=2", "generic:rel-next"),
        ("/ds", DIGEST_LINKS + '<a href="/ds/trang-2">Trang sau</a>', "", "/ds/trang-2", "generic:next-text"),
        ("/ds", DIGEST_LINKS + '<a href="/tin/p/2">Xem thêm</a>', "", None, "none"),  # another listing's page
        ("/ds", DIGEST_LINKS + '<a href="/ds/p/2">Xem thêm</a>', "", "/ds/p/2", "generic:page-url"),
        (
            "/ds?page=2",  # a pager of icons only: the page numbers are in the links' URLs
            DIGEST_LINKS + '<div><a href="/ds?page=1"><i></i></a><a href="/ds?page=3"><i></i></a></div>',
            "",
            "/ds?page=3",
            "generic:page-url",
        ),
        (
            "/ds?page=3",  # the last page: its pager leads back only, nothing is guessed
            DIGEST_LINKS + '<div><a href="/ds">1</a><a href="/ds?page=2">2</a><span>3</span></div>',
            "",
            None,
            "generic:page-url",
        ),
        (
            "/ds?page=2",
            DIGEST_LINKS + '<a href="/ds?page=1" title="Trang đầu">«</a><a href="/ds?page=3" title="Trang sau">»</a>',
            "",
            "/ds?page=3",
            "generic:next-text",
        ),
        (
            "/ds?page=2",
            DIGEST_LINKS + '<div class="paging"><a href="/ds?page=1">1</a><span class="current">2</span>'
            '<a href="/ds?page=3">3</a><a href="/ds?page=9" title="Trang cuối">»</a></div>',
            "",
            "/ds?page=3",
            "generic:page-numbers",
        ),
        ("/ds/page/4", DIGEST_LINKS, "", "/ds/page/5", "generic:url-pattern"),
        ("/ds?page=4", DIGEST_LINKS, "", "/ds?page=5", "generic:url-pattern"),
        (
            "/ds?page=3",
            DIGEST_LINKS + '<ul class="pagination"><li><a href="/ds?page=2">2</a></li><li class="active">3</li></ul>',
            "",
            None,
            "template:vhv-2024",  # the template's pager is there and shows no next page: the end
        ),
    ],
    ids=[
        "rel-next",
        "next-text",
        "unknown-label-elsewhere",
        "unknown-label-to-the-next-page-url",
        "icon-pager",
        "pager-leads-back-only",
        "skips-first-page-arrow",
        "numbers",
        "path-number",
        "query-number",
        "template-pager-ends",
    ],  # fmt: skip
)
def test_next_listing_page(url, inner, head, next_url, strategy):
    page = parse_listing(BASE + url, _listing(inner, head), LANGSON)
    assert page.next_url == (BASE + next_url if next_url else None)
    assert page.next_strategy == strategy


def test_unknown_label_case_falls_to_numbers_only_when_present():
    page = parse_listing(BASE + "/ds", _listing(DIGEST_LINKS + '<a href="/ds/p/2">2</a>'), LANGSON)
    assert (page.next_url, page.next_strategy) == (BASE + "/ds/p/2", "generic:page-numbers")


def test_generic_pager_never_walks_back_to_a_visited_page():
    html = _listing(DIGEST_LINKS, '<link rel="next" href="/ds?page=2">')
    page = parse_listing(BASE + "/ds?page=3", html, LANGSON, visited={BASE + "/ds?page=2"})
    assert page.next_strategy != "generic:rel-next"


def test_generic_link_scan_keeps_the_content_and_leaves_menus_sidebars_and_related_panels_out():
    digest = "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần (từ ngày 04/03 đến ngày 10/03/2024)"
    html = _listing(
        f'<nav class="menu"><a href="/menu.html">{digest}</a></nav>'
        f'<div class="list"><h3><a href="/bai/a.html">Chỉ đạo, điều hành nổi bật của UBND…</a></h3>'
        f'<h3><a href="/bai/b.html" title="{digest}">Chỉ đạo, điều hành...</a></h3>'
        '<h3><a href="/bai/c.html">Hội nghị tổng kết công tác năm</a></h3>'
        '<h3><a href="/files/chi-dao-dieu-hanh-noi-bat.pdf">Chỉ đạo, điều hành nổi bật (tệp)</a></h3></div>'
        f'<div class="col-right"><a href="/bai/side.html">{digest}</a></div>'
        f'<div class="box"><div class="box-title">Tin liên quan</div><a href="/bai/rel.html">{digest}</a></div>'
        f'<aside><a href="/bai/aside.html">{digest}</a></aside>'
        f'<a href="https://elsewhere.example/bai/x.html">{digest}</a>'
    )
    page = parse_listing(BASE + "/chi-dao-dieu-hanh-noi-bat", html, LANGSON)
    assert [link.url for link in page.links] == [BASE + "/bai/a.html", BASE + "/bai/b.html"]
    assert page.links[1].title == digest  # the full title from the title attribute
    assert page.link_strategies == {"generic:digest-like-link": 2}


def _two_digests_and_next(written: str) -> str:
    """Two digest links and a "Trang sau" link, each written with ``written`` before its path."""
    links = "".join(
        f'<div class="item"><a href="{written}/bai/tuan-{i}.html">Chỉ đạo, điều hành nổi bật của UBND tỉnh trong '
        f"tuần {i}</a></div>"
        for i in range(1, 3)
    )
    return links + f'<a href="{written}/chi-dao-dieu-hanh-noi-bat?page=2">Trang sau</a>'


@pytest.mark.parametrize(
    ("written", "kept_as"),
    [
        ("http://langson.gov.vn", "https://langson.gov.vn"),  # an old CMS writes http on an https portal
        ("https://www.langson.gov.vn", "https://langson.gov.vn"),
        ("http://www.langson.gov.vn:80", "https://langson.gov.vn"),
        ("https://langson.gov.vn:8443", None),  # another port is another origin: left out
        ("https://vanphong.langson.gov.vn", None),  # another site
    ],
)
def test_links_to_the_portals_own_pages_by_another_scheme_or_www_are_put_on_its_origin(written, kept_as):
    listing = "https://langson.gov.vn/chi-dao-dieu-hanh-noi-bat"
    inner = _two_digests_and_next(written)
    page = parse_listing(listing, _listing(inner), LANGSON)
    if kept_as is None:
        assert page.links == [] and page.next_url != f"{written}/chi-dao-dieu-hanh-noi-bat?page=2"
    else:
        assert [link.url for link in page.links] == [f"{kept_as}/bai/tuan-{i}.html" for i in range(1, 3)]
        assert page.next_url == f"{kept_as}/chi-dao-dieu-hanh-noi-bat?page=2"


@pytest.mark.parametrize("written", ["https://langson.gov.vn", "http://www.langson.gov.vn", ""])
def test_links_to_the_live_host_on_a_mirrors_page_are_put_on_the_mirror(written):
    """A copy (wget without -k, an archive) keeps the live host in its links: the crawl stays on the copy."""
    inner = _two_digests_and_next(written)
    page = parse_listing(BASE + "/chi-dao-dieu-hanh-noi-bat", _listing(inner), LANGSON)
    assert [link.url for link in page.links] == [f"{BASE}/bai/tuan-{i}.html" for i in range(1, 3)]
    assert page.next_url == BASE + "/chi-dao-dieu-hanh-noi-bat?page=2"


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("?utm_source=zalo&utm_medium=social", ""),
        ("?id=5&utm_campaign=tuan&fbclid=IwAR0x", "?id=5"),
        ("?zarsrc=30&gclid=abc", ""),
        ("?page=2", "?page=2"),
        ("?utmost=1", "?utmost=1"),  # only the tracking parameters themselves
    ],
)
def test_tracking_parameters_are_left_out_of_links(query, kept):
    inner = f'<div class="item"><a href="/bai/tuan-1.html{query}">Chỉ đạo, điều hành nổi bật trong tuần 1</a></div>'
    page = parse_listing(BASE + "/chi-dao-dieu-hanh-noi-bat", _listing(inner), LANGSON)
    assert [link.url for link in page.links] == [f"{BASE}/bai/tuan-1.html{kept}"]


@pytest.mark.parametrize(
    ("pager", "unfollowable"),
    [
        ("<a href=\"javascript:__doPostBack('ctl00$pager','Page$2')\">2</a>", True),  # an ASP.NET pager posts back
        ('<a href="javascript:void(0)" onclick="loadPage(2)">Trang sau</a>', True),
        ('<a href="#" onclick="loadPage(2)">»</a>', True),
        ('<a href="javascript:void(0)">1</a>', False),  # the current page: nothing further is offered
        ("", False),
    ],
)
def test_a_next_page_control_that_is_a_script_is_told_apart(pager, unfollowable):
    page = parse_listing(BASE + "/Default.aspx", _listing(DIGEST_LINKS + f"<div>{pager}</div>"), LANGSON)
    assert page.next_url is None
    assert page.next_unfollowable is unfollowable


def test_a_listing_page_cut_before_its_closing_tags_says_so():
    whole = _listing(_two_digests_and_next(""))
    assert parse_listing(BASE + "/chi-dao-dieu-hanh-noi-bat", whole, LANGSON).cut_short is False
    cut = whole[: whole.index("Trang sau")]
    assert parse_listing(BASE + "/chi-dao-dieu-hanh-noi-bat", cut, LANGSON).cut_short is True


def _week(day: int) -> str:
    return f"Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần (từ ngày {day:02d}/03 đến ngày {day + 6:02d}/03/2024)"


@pytest.mark.parametrize(
    "item",
    [
        '<li><h3>{title}</h3><p>Tóm tắt.</p><a href="{href}">Xem chi tiết</a></li>',  # a read-more link
        '<li><a href="{href}"><img src="/t.jpg"></a><div><h3>{title}</h3></div></li>',  # a picture's link
        '<div class="row"><div><strong>{title}</strong></div><div><a href="{href}">»</a>'
        '<a href="{href}#binh-luan">Bình luận</a></div></div>',  # two links to the one article
    ],
)
def test_a_headline_in_plain_text_takes_its_items_one_article_link(item):
    items = "".join(item.format(title=_week(day), href=f"/bai/tuan-{day}.html") for day in (4, 11, 18))
    html = _listing(
        f"<h1>Chỉ đạo, điều hành nổi bật</h1><ul class='news'>{items}</ul>"
        f'<div class="col-right"><p>{_week(25)}</p><a href="/bai/side.html">Xem</a></div>'  # a sidebar's: left out
        f"<p>{_week(25)}</p><a href='/bai/x.html'>Một</a><a href='/bai/y.html'>Hai</a>"  # two articles: no item
    )
    page = parse_listing(BASE + "/chi-dao-dieu-hanh-noi-bat", html, LANGSON)
    assert [(link.url, link.title) for link in page.links] == [
        (f"{BASE}/bai/tuan-{day}.html", _week(day)) for day in (4, 11, 18)
    ]
    assert page.link_strategies == {"generic:item-title": 3}


def test_the_item_headline_scan_waits_for_a_page_with_no_digest_like_link():
    html = _listing(f"<h3>{_week(4)}</h3><a href='/bai/more.html'>Xem chi tiết</a>"
                    f"<h3><a href='/bai/tuan-11.html'>{_week(11)}</a></h3>")  # fmt: skip
    page = parse_listing(BASE + "/chi-dao-dieu-hanh-noi-bat", html, LANGSON)
    assert [link.url for link in page.links] == [f"{BASE}/bai/tuan-11.html"]
