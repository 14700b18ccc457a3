"""Table-driven cases for the strategies and checks of the page objects, one rule per row."""

from __future__ import annotations

import pytest

from scraper.pages import parse_digest, parse_listing
from scraper.pages.blocks import Block
from scraper.pages.checks import is_byline, looks_like_lead
from scraper.sites.profiles import LANGSON, VANPHONG
from tests.test_extract_units import TITLE, URL, langson_page

BASE = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (Block("Văn phòng UBND tỉnh", bold=True, right=True), True),
        (Block("Trung tâm Thông tin - Văn phòng UBND tỉnh", bold=True), True),
        (Block("Nguồn: VP UBND tỉnh", italic=True), True),
        (Block("Hoàng Lan (tổng hợp)", italic=True), True),
        (Block("Minh Anh", right=True), True),
        (Block("Sở Tư pháp", bold=True), True),
        (Block("Sở Y tế tăng cường kiểm tra an toàn thực phẩm dịp cuối năm", bold=True), False),
        (Block("Tăng cường phòng, chống cháy rừng", bold=True), False),
        (Block("Văn phòng UBND tỉnh tổng hợp báo cáo trước ngày 15/3.", right=False), False),
        (Block("Việc một; việc hai", bold=True, right=True), False),
        (Block("x" * 150, right=True), False),
    ],
    ids=lambda v: v.text[:30] if isinstance(v, Block) else str(v),
)
def test_closing_byline(block, expected):
    assert is_byline(block) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Việc một; Việc hai; Việc ba là những nội dung chính trong chỉ đạo điều hành nổi bật tuần qua.", True),
        ("Bảo đảm an toàn giao thông dịp lễ; Triển khai kế hoạch thu ngân sách năm 2024", True),
        ("Là nội dung chính trong chỉ đạo, điều hành tuần qua", True),
        ("UBND tỉnh ban hành Công văn số 12/UBND-KT ngày 04/3/2024.", False),
        ("Mục một; hai", False),  # too short to be a week's list
    ],
)
def test_what_a_lead_looks_like(text, expected):
    assert looks_like_lead(text) is expected


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
        ("/ds", DIGEST_LINKS + '<a href="/ds/p/2">Xem thêm</a>', "", None, "none"),  # not a next-page label
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
        "unknown-label",
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


def test_headline_from_title_element_keeps_a_dash_inside_the_week_range():
    html = (
        langson_page("<p><strong>Mục</strong></p><p>Câu.</p>")
        .replace('<h1 class="title-detail" itemprop="headline">', "<h2>")
        .replace("</h1>", "</h2>")
    )
    title = "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần (từ ngày 12/01/2026 - 18/01/2026)"
    html = html.replace(TITLE, "x").replace("<head>", f"<head><title>{title} | Cổng thông tin điện tử</title>")
    record = parse_digest(URL, html, LANGSON).record
    assert record["title"] == title
    assert record["extraction_strategies"]["title"] == "generic:title"
    assert "title.generic" in record["extraction_warnings"]
    assert (record["week_start"], record["week_end"]) == ("2026-01-12", "2026-01-18")


def _vanphong_alias_page(head: str) -> str:
    title = "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần (từ ngày 04/03 đến ngày 10/03/2024)"
    return (
        f"<html><head>{head}</head><body><h1 class='page-title'>{title}</h1><article>"
        "<div class='field--name-field-tom-tat'>Việc một; việc hai là những nội dung chính.</div>"
        "<div class='node__content'><div class='field--name-body'><p><strong>Mục</strong></p><p>Câu.</p></div></div>"
        "<div class='field--name-created'>Thứ Hai, 11/03/2024 - 16:20</div></article></body></html>"
    )


@pytest.mark.parametrize(
    ("head", "key", "strategy", "warnings"),
    [
        ('<link rel="shortlink" href="/node/42">', "vanphong:42", "template:drupal8-2017", set()),
        (
            '<meta property="og:url" content="https://vanphong.langson.gov.vn/vi/node/42">',
            "vanphong:42",
            "generic:og-url",
            {"canonical_url.generic"},
        ),  # fmt: skip
        (
            '<link rel="canonical" href="https://elsewhere.example/node/42">',
            "vanphong:vi/tuan-nay",
            "generic:url-path",
            {"canonical_url.foreign_host", "canonical_url.generic"},
        ),  # fmt: skip
    ],
    ids=["shortlink", "og-url", "foreign-canonical"],
)
def test_identity_of_a_page_at_a_path_alias(head, key, strategy, warnings):
    record = parse_digest(BASE + "/vi/tuan-nay", _vanphong_alias_page(head), VANPHONG).record
    assert record["key"] == key
    assert record["extraction_strategies"]["canonical_url"] == strategy
    assert warnings <= set(record["extraction_warnings"])
    assert record["canonical_url"].startswith("https://vanphong.langson.gov.vn/")  # never the host fetched from


def test_dates_inside_the_body_are_never_taken_for_the_publication_date():
    html = langson_page("<p><strong>Mục</strong></p><p class='date'>Ngày 01/02/2024 UBND tỉnh ban hành.</p>")
    html = html.replace('<meta itemprop="datePublished" content="2024-03-11T09:05:00+07:00">', "")
    record = parse_digest(URL, html, LANGSON).record
    assert record["published_at"] is None
    assert "published_at.missing" in record["extraction_warnings"]


def test_a_body_container_that_repeats_the_lead_further_down_is_narrowed():
    body = (
        "<div class='copy'><p>Nội dung một; nội dung hai.</p></div>"
        "<div class='inner'><p><strong>Mục một</strong></p><p>Câu a thật dài để đủ làm thân bài của trang.</p>"
        "<p><strong>Mục hai</strong></p><p>Câu b thật dài để đủ làm thân bài của trang, có thêm vài chữ.</p></div>"
    )
    html = langson_page("<p>Ảnh: minh họa</p>" + body)
    record = parse_digest(URL, html, LANGSON).record
    assert record["text"].count("Nội dung một; nội dung hai.") == 1
    assert "body.narrowed" in record["extraction_warnings"]


@pytest.mark.parametrize(
    ("closing", "byline"),
    [
        ('<p style="text-align: right;"><strong>Văn phòng UBND tỉnh</strong></p>', "Văn phòng UBND tỉnh"),
        ('<p align="right"><em>Minh Anh (tổng hợp)</em></p>', "Minh Anh (tổng hợp)"),
        ('<div class="author">Trung tâm Thông tin</div>', "Trung tâm Thông tin"),
        ("<p><strong>Sở Tư pháp</strong></p>", "Sở Tư pháp"),
        ("<p>Câu cuối của mục hai, không phải dòng ký tên.</p>", None),
    ],
    ids=["right-bold", "right-italic", "author-class", "bold-agency", "plain-last-line"],
)
def test_closing_byline_is_metadata_not_a_section(closing, byline):
    body = "<p><strong>Mục một</strong></p><p>Câu a.</p><p><strong>Mục hai</strong></p><p>Câu b.</p>" + closing
    record = parse_digest(URL, langson_page(body), LANGSON).record
    assert record["byline"] == byline
    assert [s["heading"] for s in record["sections"]] == ["Mục một", "Mục hai"]
    if byline:
        assert byline not in record["text"]


@pytest.mark.parametrize(
    "header",
    [
        '<div class="info-line">Cập nhật: 11/03/2024 09:05</div>',
        '<p class="sub">Thứ Hai, 11-03-2024 09:05 (GMT+7)</p>',
        "<span>11 Tháng 3, 2024 09:05</span>",
    ],
)
def test_a_visible_date_beside_the_headline_is_found_whatever_its_class(header):
    html = langson_page("<p><strong>Mục</strong></p><p>Theo Công văn số 12/UBND-KT ngày 01/02/2024.</p>")
    html = html.replace('<meta itemprop="datePublished" content="2024-03-11T09:05:00+07:00">', "")
    html = html.replace("</h1>", "</h1>" + header)
    record = parse_digest(URL, html, LANGSON).record
    assert record["published_at"] == "2024-03-11T09:05:00+07:00"
    assert record["extraction_strategies"]["published_at"].startswith("generic:")
    assert "published_at.generic" in record["extraction_warnings"]
