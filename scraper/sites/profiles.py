"""The portals as data.

Each source is one :class:`SiteProfile`: where its listing lives, how it paginates, how
its article URLs look, which phrases are its page chrome, and its template versions.
A :class:`TemplateVersion` names the selectors of one skin of the site; a site may have
several, newest first. When a portal is redesigned, the new skin is a new entry in
``templates`` (see the README, "When a portal changes its template"), not a branch in
code. Selectors are tried in order within a template; what no template finds, the page
objects in :mod:`scraper.pages` look for with generic strategies, and say so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

_PATH_SAFE = "/!$&'()*+,;=:@-._~"  # RFC 3986 characters a path keeps as they are (Scrapy's choice too)


def url_path(url: str) -> str:
    """A URL's path in one spelling: percent-encoded as Scrapy requests it, from NFC text.

    A link may write a Vietnamese slug as it reads ("chỉ-đạo"), decomposed, or percent-encoded
    ("ch%E1%BB%89-%C4%91%E1%BA%A1o"); the page is one, and so must its key and path be.
    """
    path = urlsplit(url).path
    if "%" not in path and path.isascii():  # nearly every path: nothing to spell another way
        return path
    return quote(unicodedata.normalize("NFC", unquote(path)), safe=_PATH_SAFE)


@dataclass(frozen=True)
class TemplateVersion:
    """The selectors of one skin of a site. ``"css@attr"`` reads an attribute."""

    name: str
    title: tuple[str, ...]
    lead: tuple[str, ...]
    body: tuple[str, ...]
    published: tuple[str, ...]
    identity: tuple[str, ...] = ("link[rel=canonical]@href",)  # URLs the page gives for itself
    attachments: tuple[str, ...] = ()
    listing_links: tuple[str, ...] = ()
    pager: tuple[str, ...] = ()  # the pager's container: present with no next link = the last page
    next_page: tuple[str, ...] = ()
    # The template's own place for a missing lead: the body's first bold paragraph.
    lead_first_bold_paragraph: bool = False


@dataclass(frozen=True)
class SiteProfile:
    name: str  # short id used on the command line
    source: str  # the value of a record's ``source`` field: the live host
    base_url: str  # the live site; ``--base-url`` overrides it per run
    listing_path: str
    first_page: int  # the page number the bare listing URL shows (Drupal counts from 0)
    page_param: str
    article_path: re.Pattern[str]  # what an article URL's path looks like in the template
    key_pattern: re.Pattern[str]  # one group: what identifies an article across URL variants
    # "{key}" template for the canonical path when the page names none; None keeps the
    # fetched path on the live host.
    canonical_path: str | None
    templates: tuple[TemplateVersion, ...]  # newest first
    # Page chrome that must never be in a record's text: phrases found anywhere in a line,
    # and lines that are chrome only when they stand alone (they are ordinary words in text).
    chrome_phrases: tuple[str, ...] = ()
    chrome_lines: tuple[str, ...] = ()
    title_suffixes: tuple[str, ...] = ()  # what the site appends to <title>
    max_pages: int = 500  # a guard against pagers that never end

    def listing_url(self, base_url: str, page: int | None = None) -> str:
        """The listing page URL; ``None`` or the first page is the bare listing path."""
        parts = urlsplit(base_url.rstrip("/") + self.listing_path)
        query = "" if page is None or page == self.first_page else urlencode({self.page_param: page})
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))

    def is_article_url(self, url: str) -> bool:
        return bool(self.article_path.search(urlsplit(url).path))

    def record_key(self, url: str) -> str | None:
        """The identity of an article whatever URL variant it was reached by."""
        match = self.key_pattern.search(url_path(url))
        return f"{self.name}:{match.group(1)}" if match else None

    def canonical_url(self, url: str) -> str:
        """The live-site URL of an article, rebuilt from its key (or its path)."""
        path = url_path(url)
        match = self.key_pattern.search(path)
        if match and self.canonical_path:
            path = self.canonical_path.format(key=match.group(1))
        return self.base_url.rstrip("/") + path


LANGSON = SiteProfile(
    name="langson",
    source="langson.gov.vn",
    base_url="https://langson.gov.vn",
    listing_path="/chi-dao-dieu-hanh-noi-bat",
    first_page=1,
    page_param="page",
    article_path=re.compile(r"/chi-dao-dieu-hanh-noi-bat/[^/]+\.html$"),
    key_pattern=re.compile(r"/([^/]+)\.html$"),
    canonical_path=None,
    templates=(
        TemplateVersion(
            name="vhv-2024",
            title=("h1.title-detail", "h1[itemprop=headline]"),
            lead=("div.brief",),
            body=("div.content-detail", "[itemprop=articleBody]"),
            published=("meta[itemprop=datePublished]@content", "article .post-date", ".post-date"),
            attachments=(".attach-file a[href]",),
            listing_links=(
                "section.Article-News-List-default article h2 a[href]",
                ".col-left article.list-news-one .title a[href]",
            ),
            pager=("ul.pagination",),
            next_page=("ul.pagination a[title='Trang sau']", "ul.pagination li.active + li a"),
            lead_first_bold_paragraph=True,
        ),
    ),
    chrome_phrases=(
        "Tăng tương phản",
        "Giảm tương phản",
        "Tổng số điểm của bài viết là",
        "Click để đánh giá bài viết",
    ),
    chrome_lines=(
        "Cổng thông tin điện tử",
        "Tỉnh Lạng Sơn",
        "Cổng thông tin điện tử Tỉnh Lạng Sơn",
        "A- A A+",
        "Đọc bài",
        "Lưu",
        "Tin liên quan",
        "Tin nổi bật",
    ),
    title_suffixes=("Cổng thông tin điện tử tỉnh Lạng Sơn", "Cổng thông tin điện tử", "Lạng Sơn"),
)

VANPHONG = SiteProfile(
    name="vanphong",
    source="vanphong.langson.gov.vn",
    base_url="https://vanphong.langson.gov.vn",
    listing_path="/vi/chi-dao-dieu-hanh",
    first_page=0,
    page_param="page",
    article_path=re.compile(r"^(?:/index\.php)?(?:/(?:vi|en))?/node/\d+/?$"),
    key_pattern=re.compile(r"/node/(\d+)/?$"),
    canonical_path="/vi/node/{key}",
    templates=(
        TemplateVersion(
            name="drupal8-2017",
            title=("h1.page-title",),
            lead=(".field--name-field-tom-tat",),
            body=(".node__content .field--name-body", "article .field--name-body"),
            published=(
                "meta[property='article:published_time']@content",
                ".node__meta .field--name-created",
                ".field--name-created",
            ),
            identity=("link[rel=canonical]@href", "link[rel=shortlink]@href"),
            attachments=(".field--type-file a[href]", ".field--name-field-file a[href]"),
            listing_links=(".view-content .views-row .views-field-title a[href]", "main .views-row a[href]"),
            pager=("nav.pager", "ul.pager__items"),
            next_page=("li.pager__item--next a",),
        ),
    ),
    chrome_phrases=("Nhảy đến nội dung", "Skip to main content"),
    chrome_lines=(
        "Quyết tâm thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ tỉnh Lạng Sơn lần thứ XVI",
        "Tin mới",
        "Tin liên quan",
    ),
    title_suffixes=("Văn phòng UBND tỉnh Lạng Sơn",),
)

PROFILES: dict[str, SiteProfile] = {p.name: p for p in (LANGSON, VANPHONG)}
